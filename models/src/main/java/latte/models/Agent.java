package latte.models;

import latte.envs.Frame;

/**
 * A trained agent that acts from pixels. Call {@link #reset()} at the start of every episode,
 * then {@link #act} with each frame the environment shows (64x64 RGB); the returned action is in
 * the normalised box {@code [-1, 1]^A} (the environment's {@code rescaleActions} option maps it
 * onto the task's range).
 */
public interface Agent {
    /** Forgets the belief of the previous episode. */
    void reset();

    /** The action for the current frame, given everything seen since {@link #reset()}. */
    float[] act(Frame frame);

    /** The number of action dimensions. */
    int actionSize();
}
