package latte.models.plan;

import latte.core.Rng;

/**
 * The cross-entropy method over action sequences (PlaNet, Hafner et al. 2019, section 3 and
 * appendix; Rubinstein 1997).
 *
 * <pre>
 *   q(a_{t:t+H}) = Normal(mean = 0, std = 1)                 per time step and action dimension
 *   repeat I times:
 *     draw J candidates a^(j) ~ q, clipped to the action box      [H, J, A]
 *     score R^(j) = objective(a^(j))   (PlaNet: sum of predicted reward means under the prior)
 *     refit q's mean and std to the top K candidates
 *   return mean[0]  (the first action; the agent replans every step)
 * </pre>
 * All candidates are scored in one call, so a model can push them through as one batch.
 */
public final class Cem {
    /** Planner sizes: horizon H, candidates J, top K, iterations I. */
    public record Config(int horizon, int candidates, int topK, int iterations) {
        public Config {
            if (horizon <= 0 || candidates <= 0 || topK <= 0 || iterations <= 0 || topK > candidates)
                throw new IllegalArgumentException("Cem.Config: need positive sizes with topK <= candidates, got horizon "
                        + horizon + ", candidates " + candidates + ", topK " + topK + ", iterations " + iterations);
        }

        /** PlaNet's planner: H 12, J 1000, K 100, I 10. */
        public static Config paper() {
            return new Config(12, 1000, 100, 10);
        }
    }

    /** Scores candidate action sequences. */
    @FunctionalInterface
    public interface Objective {
        /**
         * Writes the return of each candidate into {@code returns[j]}.
         *
         * @param actions    time-major candidate sequences {@code [H, J, A]}: step t of candidate j,
         *                   dimension d at {@code (t * J + j) * A + d}
         * @param candidates J
         * @param returns    {@code [J]}, to be filled
         */
        void score(float[] actions, int candidates, float[] returns);
    }

    private final Config config;
    private final float[] low, high;
    private final int actionSize;
    // Scratch reused across calls (a planner is used by one thread).
    private final float[] actions, returns, mean, std;
    private final int[] order;

    public Cem(Config config, float[] low, float[] high) {
        if (low.length != high.length || low.length == 0)
            throw new IllegalArgumentException("Cem: action bounds of lengths " + low.length + " and " + high.length);
        for (int d = 0; d < low.length; d++)
            if (!(low[d] < high[d])) throw new IllegalArgumentException("Cem: empty action range [" + low[d] + ", " + high[d] + "] at " + d);
        this.config = config;
        this.low = low.clone();
        this.high = high.clone();
        this.actionSize = low.length;
        int ha = config.horizon() * actionSize;
        this.actions = new float[ha * config.candidates()];
        this.returns = new float[config.candidates()];
        this.mean = new float[ha];
        this.std = new float[ha];
        this.order = new int[config.candidates()];
    }

    public Config config() {
        return config;
    }

    /** Plans from the current belief (held by {@code objective}) and returns the first action. */
    public float[] plan(Objective objective, Rng rng) {
        int h = config.horizon(), j = config.candidates(), k = config.topK(), a = actionSize;
        java.util.Arrays.fill(mean, 0f);
        java.util.Arrays.fill(std, 1f);
        for (int it = 0; it < config.iterations(); it++) {
            for (int t = 0; t < h; t++)
                for (int c = 0; c < j; c++)
                    for (int d = 0; d < a; d++) {
                        int m = t * a + d;
                        float x = mean[m] + std[m] * rng.normal();
                        actions[(t * j + c) * a + d] = Math.min(high[d], Math.max(low[d], x));
                    }
            objective.score(actions, j, returns);
            topK(returns, j, k);
            for (int t = 0; t < h; t++)
                for (int d = 0; d < a; d++) {
                    double s = 0, s2 = 0;
                    for (int r = 0; r < k; r++) {
                        float x = actions[(t * j + order[r]) * a + d];
                        s += x;
                        s2 += (double) x * x;
                    }
                    double mu = s / k;
                    mean[t * a + d] = (float) mu;
                    std[t * a + d] = (float) Math.sqrt(Math.max(0, s2 / k - mu * mu));
                }
        }
        return java.util.Arrays.copyOf(mean, a);
    }

    /** Puts the indices of the {@code k} largest returns first in {@link #order} (ties: lower index first). */
    private void topK(float[] r, int n, int k) {
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(r[i])) throw new IllegalStateException("Cem: candidate " + i + " scored NaN");
            order[i] = i;
        }
        // Partial selection sort is O(nk); a heap-free quickselect keeps it O(n) on average.
        int lo = 0, hi = n - 1, want = k - 1;
        while (lo < hi) {
            int p = partition(r, lo, hi, lo + (hi - lo) / 2);
            if (p == want) break;
            if (p < want) lo = p + 1; else hi = p - 1;
        }
    }

    private int partition(float[] r, int lo, int hi, int pivot) {
        float pv = r[order[pivot]];
        swap(pivot, hi);
        int store = lo;
        for (int i = lo; i < hi; i++) {
            if (better(r, order[i], order[hi], pv)) swap(i, store++);
        }
        swap(store, hi);
        return store;
    }

    private static boolean better(float[] r, int i, int pivotIndex, float pv) {
        return r[i] > pv || (r[i] == pv && i < pivotIndex);
    }

    private void swap(int x, int y) {
        int t = order[x];
        order[x] = order[y];
        order[y] = t;
    }
}
