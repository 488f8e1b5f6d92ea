package latte.models;

import latte.envs.Observation;

/**
 * A trained agent. Call {@link #reset()} at the start of every episode, then {@link #act} with
 * each observation the environment returns (for the pixel agents a 64x64 RGB
 * {@link latte.envs.Frame}); the returned action is in the normalised box {@code [-1, 1]^A}
 * (the environment's {@code rescaleActions} option maps it onto the task's range), or a one-hot
 * vector of A choices for a discrete task.
 */
public interface Agent {
    /** Forgets the belief of the previous episode. */
    void reset();

    /**
     * The action for the current observation, given everything seen since {@link #reset()}.
     *
     * @throws IllegalArgumentException for a null observation or one of another kind or size than the agent reads
     */
    float[] act(Observation observation);

    /** The number of action dimensions (or choices). */
    int actionSize();
}
