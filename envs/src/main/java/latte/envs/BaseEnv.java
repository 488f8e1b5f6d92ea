package latte.envs;

/**
 * An environment at the bottom of a stack of wrappers: what {@link Env#unwrapped()} returns.
 * Two kinds exist: the physics {@link Task}s (a state vector, a rasterised scene) and the
 * MinAtar games ({@code latte.envs.minatar}: a boolean grid, a palette picture).
 */
public interface BaseEnv extends Env {
    /** The registry name, e.g. {@code cartpole-swingup} or {@code MinAtar/Breakout}. */
    String name();

    /** Where the environment comes from, e.g. {@code dm_control cartpole.swingup}. */
    String source();

    /**
     * Episode length of the original environment, in its own steps: what {@link Envs#make} puts
     * in a {@link TimeLimit}; 0 when it has no limit of its own.
     */
    int defaultEpisodeSteps();

    /** The render size: {@code {height, width}}. */
    int[] renderSize();

    /** Renders into {@code out} ({@code [H, W, 3]} bytes) without allocating. */
    void renderInto(byte[] out);

    @Override
    default BaseEnv unwrapped() {
        return this;
    }
}
