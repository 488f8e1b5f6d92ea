package latte.envs;

/** What {@link Env#reset} returns: the first observation and side information. */
public record Reset(Observation observation, Info info) {}
