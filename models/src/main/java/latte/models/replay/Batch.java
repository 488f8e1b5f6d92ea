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
 * @param layout      how each observation is stored ({@link ObsSpec}: frames, grids or state vectors)
 * @param obs         the observations' bytes, {@code [T, B, layout.bytes()]}
 * @param action      {@code [T, B, A]}
 * @param reward      {@code [T, B]}
 * @param nonterminal 0 where {@code obs[t]} is a terminal state, else 1, {@code [T, B]}
 */
public record Batch(int steps, int batch, ObsSpec layout, int actionSize,
                    byte[] obs, float[] action, float[] reward, float[] nonterminal) {
    public Batch {
        long frame = layout.bytes();
        if (obs.length != steps * batch * frame || action.length != steps * batch * actionSize
                || reward.length != steps * batch || nonterminal.length != steps * batch)
            throw new IllegalArgumentException("Batch: arrays do not match [T=" + steps + ", B=" + batch
                    + ", " + layout + ", A=" + actionSize + "]");
    }

    public int height() { return layout.height(); }
    public int width() { return layout.width(); }
    public int channels() { return layout.channels(); }

    /** Bytes in one observation. */
    public int frameSize() {
        return layout.bytes();
    }

    /** The sub-batch of sequences {@code [b0, b1)}: every step's rows of those sequences, copied. */
    public Batch sequences(int b0, int b1) {
        if (b0 < 0 || b1 > batch || b0 >= b1)
            throw new IllegalArgumentException("Batch.sequences: [" + b0 + ", " + b1 + ") is not a non-empty range of the " + batch + " sequences");
        int n = b1 - b0, frame = frameSize();
        byte[] o = new byte[steps * n * frame];
        float[] a = new float[steps * n * actionSize], r = new float[steps * n], c = new float[steps * n];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(obs, (t * batch + b0) * frame, o, t * n * frame, n * frame);
            System.arraycopy(action, (t * batch + b0) * actionSize, a, t * n * actionSize, n * actionSize);
            System.arraycopy(reward, t * batch + b0, r, t * n, n);
            System.arraycopy(nonterminal, t * batch + b0, c, t * n, n);
        }
        return new Batch(steps, n, layout, actionSize, o, a, r, c);
    }
}
