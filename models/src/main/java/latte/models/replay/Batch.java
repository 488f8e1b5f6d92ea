package latte.models.replay;

/**
 * A batch of {@code B} chunks of {@code T} consecutive steps, time-major, as flat arrays.
 *
 * <p>Index convention (PlaNet): {@code action[t]} is the action that <em>led to</em>
 * {@code obs[t]}, and {@code reward[t]} is the reward received with {@code obs[t]}:
 * <pre>
 *   o_0 --a_0,r_0--> o_1 --a_1,r_1--> o_2 ...          (the environment's episode)
 *   chunk starting at step i:  obs[t] = o_{i+t},  action[t] = a_{i+t-1},  reward[t] = r_{i+t-1}
 * </pre>
 * so the RSSM's {@code h_t = f(h_{t-1}, s_{t-1}, action[t])} sees the action between the two
 * frames, and the reward head on {@code (h_t, s_t)} predicts {@code reward[t]}.
 *
 * @param obs         uint8 frames, {@code [T, B, H, W, C]}
 * @param action      {@code [T, B, A]}
 * @param reward      {@code [T, B]}
 * @param nonterminal 0 where {@code obs[t]} is a terminal state, else 1, {@code [T, B]}
 */
public record Batch(int steps, int batch, int height, int width, int channels, int actionSize,
                    byte[] obs, float[] action, float[] reward, float[] nonterminal) {
    public Batch {
        long frame = (long) height * width * channels;
        if (obs.length != steps * batch * frame || action.length != steps * batch * actionSize
                || reward.length != steps * batch || nonterminal.length != steps * batch)
            throw new IllegalArgumentException("Batch: arrays do not match [T=" + steps + ", B=" + batch
                    + ", H=" + height + ", W=" + width + ", C=" + channels + ", A=" + actionSize + "]");
    }

    /** Bytes in one frame. */
    public int frameSize() {
        return height * width * channels;
    }
}
