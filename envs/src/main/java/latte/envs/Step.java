package latte.envs;

/**
 * What {@link Env#step} returns. {@code terminated}: the task reached a terminal state (no
 * bootstrapping past it); {@code truncated}: the episode was cut by a time limit.
 */
public record Step(Observation observation, double reward, boolean terminated, boolean truncated, Info info) {
    /** Whether the episode is over for either reason. */
    public boolean done() {
        return terminated || truncated;
    }
}
