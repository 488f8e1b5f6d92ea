package latte.envs;

/**
 * A reinforcement-learning environment, shaped like Gymnasium's {@code Env}.
 *
 * <pre>
 *   Reset r = env.reset(seed);                 // observation, info
 *   Step s = env.step(action);                 // observation, reward, terminated, truncated, info
 *   Frame f = env.render();                    // uint8 [H, W, 3]
 * </pre>
 *
 * <p>All randomness comes from one generator created by {@link #reset(long)}; {@link #reset()}
 * continues that generator (or, before any seeded reset, seeds it with 0), so a seed fixes the
 * whole sequence of episodes. Box actions are {@code float[]} of the spec's size; a
 * {@link Space.Discrete} action is a one-element array holding the index ({@code {1f}}).
 */
public interface Env extends AutoCloseable {
    /** Starts an episode with a fresh generator seeded by {@code seed}. */
    Reset reset(long seed);

    /** Starts an episode, continuing the generator of the last seeded reset. */
    Reset reset();

    /** Applies {@code action} and advances the environment by one step. */
    Step step(float[] action);

    /** The actions {@link #step} accepts. */
    Space actionSpec();

    /** The observations {@link #reset} and {@link #step} return. */
    Space observationSpec();

    /** The current scene as an RGB frame of the size chosen at construction. */
    Frame render();

    /** The environment at the bottom of a stack of wrappers (name, defaults, render size). */
    BaseEnv unwrapped();

    /** Releases threads or buffers; the default does nothing. */
    @Override
    default void close() {}
}
