/**
 * Pure-Java control tasks rendered to pixels (JDK only).
 *
 * <p>{@link latte.envs.Env} is shaped like Gymnasium's API: {@code reset(seed)} returns a
 * {@link latte.envs.Reset}, {@code step(action)} a {@link latte.envs.Step}. Tasks are created by
 * name through {@link latte.envs.Envs#make}; wrappers add action repeat, time limits, pixel
 * observations and frame stacking; {@link latte.envs.VectorEnv} steps copies in parallel. The
 * MinAtar games live in {@code latte.envs.minatar}.
 */
package latte.envs;
