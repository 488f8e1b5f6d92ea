package latte.core.kernels;

import latte.core.Parallel;

/**
 * The log-likelihood of a one-dimensional Gaussian mixture per row, forward and backward in one
 * pass each: the loss of a mixture density network (the MDN head of World Models' M, K = 5
 * components for every latent dimension of every step of every sequence: about 1.6M rows times K
 * at the paper's batch). Composed from primitives the same loss takes a dozen full-size buffers.
 *
 * <pre>
 *   p [R, 3K] = [l_1..l_K | μ_1..μ_K | s_1..s_K] per row (logits, means, log standard deviations)   x, y [R]
 *   log π_k = l_k − logsumexp(l)
 *   u_k     = (x − μ_k) e^{−s_k}
 *   t_k     = log π_k − u_k² / 2 − s_k − ½ log 2π
 *   y       = logsumexp_k t_k = log Σ_k π_k N(x; μ_k, e^{s_k})
 * </pre>
 * Backward from dy, with the responsibilities γ_k = e^{t_k − y} and the weights π_k:
 * <pre>
 *   dl_k = dy (γ_k − π_k)     dμ_k = dy γ_k u_k e^{−s_k}     ds_k = dy γ_k (u_k² − 1)     dx = −Σ_k dμ_k
 * </pre>
 * Both log-sum-exps are max-shifted, so a point far from every component gives a large negative
 * log-likelihood, not −∞. Rows split over threads; each row's arithmetic is fixed, so results do
 * not depend on the thread count. exp and log are {@link VecMath}'s (the same bits interpreted or
 * compiled); {@link #logProbScalar} is the double-precision reference.
 */
public final class Mixture {
    private static final float HALF_LOG_2PI = (float) (0.5 * Math.log(2 * Math.PI));

    private Mixture() {}

    /** y[r] = log p(x[r]) under row r's mixture, for {@code rows} rows of K components. */
    public static void logProb(int rows, int k, float[] p, int pOff, float[] x, int xOff, float[] y, int yOff, int threads) {
        check("Mixture.logProb", rows, k, p, pOff, x, xOff);
        Conv2d.checkArray("Mixture.logProb", "y [" + rows + "]", y, yOff, rows);
        Parallel.forRange(rows, parts(threads, rows, k), (lo, hi) -> {
            float[] t = new float[k];
            for (int r = lo; r < hi; r++) y[yOff + r] = row(k, p, pOff + r * 3 * k, x[xOff + r], t);
        });
    }

    /** One row's log-likelihood ({@code t}: K floats of scratch). */
    private static float row(int k, float[] p, int o, float x, float[] t) {
        float lse = logSumExp(p, o, k);
        float tmax = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            float inv = VecMath.exp(-p[o + 2 * k + j]);
            float u = (x - p[o + k + j]) * inv;
            t[j] = p[o + j] - lse - 0.5f * u * u - p[o + 2 * k + j] - HALF_LOG_2PI;
            tmax = Math.max(tmax, t[j]);
        }
        float s = 0f;
        for (int j = 0; j < k; j++) s += VecMath.exp(t[j] - tmax);
        return tmax + VecMath.log(s);
    }

    private static float logSumExp(float[] a, int o, int k) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) m = Math.max(m, a[o + j]);
        float s = 0f;
        for (int j = 0; j < k; j++) s += VecMath.exp(a[o + j] - m);
        return m + VecMath.log(s);
    }

    /**
     * Accumulates the gradients of {@code Σ_r dy[r] y[r]} into {@code dp} (same layout as p) and
     * {@code dx} (either may be null); {@code y} is what {@link #logProb} returned.
     */
    public static void logProbBackward(int rows, int k, float[] p, int pOff, float[] x, int xOff, float[] y, int yOff,
                                       float[] dy, int dyOff, float[] dp, int dpOff, float[] dx, int dxOff, int threads) {
        String op = "Mixture.logProbBackward";
        check(op, rows, k, p, pOff, x, xOff);
        Conv2d.checkArray(op, "y [" + rows + "]", y, yOff, rows);
        Conv2d.checkArray(op, "dy [" + rows + "]", dy, dyOff, rows);
        if (dp != null) Conv2d.checkArray(op, "dp [" + rows + "," + 3 * k + "]", dp, dpOff, rows * 3 * k);
        if (dx != null) Conv2d.checkArray(op, "dx [" + rows + "]", dx, dxOff, rows);
        Parallel.forRange(rows, parts(threads, rows, k), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int o = pOff + r * 3 * k, d = dpOff + r * 3 * k;
                float g = dy[dyOff + r], xv = x[xOff + r], yv = y[yOff + r];
                float lse = logSumExp(p, o, k), gx = 0f;
                for (int j = 0; j < k; j++) {
                    float s = p[o + 2 * k + j], inv = VecMath.exp(-s);
                    float u = (xv - p[o + k + j]) * inv, logPi = p[o + j] - lse;
                    float gamma = VecMath.exp(logPi - 0.5f * u * u - s - HALF_LOG_2PI - yv), gg = g * gamma;
                    float dmu = gg * u * inv;
                    gx -= dmu;
                    if (dp != null) {
                        dp[d + j] += g * (gamma - VecMath.exp(logPi));
                        dp[d + k + j] += dmu;
                        dp[d + 2 * k + j] += gg * (u * u - 1f);
                    }
                }
                if (dx != null) dx[dxOff + r] += gx;
            }
        });
    }

    /** Reference for {@link #logProb}: the same formula in double with {@code Math.exp}/{@code Math.log}. */
    public static void logProbScalar(int rows, int k, float[] p, int pOff, float[] x, int xOff, float[] y, int yOff) {
        check("Mixture.logProbScalar", rows, k, p, pOff, x, xOff);
        Conv2d.checkArray("Mixture.logProbScalar", "y [" + rows + "]", y, yOff, rows);
        double[] t = new double[k];
        for (int r = 0; r < rows; r++) {
            int o = pOff + r * 3 * k;
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < k; j++) m = Math.max(m, p[o + j]);
            for (int j = 0; j < k; j++) s += Math.exp(p[o + j] - m);
            double lse = m + Math.log(s), tmax = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double u = (x[xOff + r] - (double) p[o + k + j]) * Math.exp(-p[o + 2 * k + j]);
                t[j] = p[o + j] - lse - 0.5 * u * u - p[o + 2 * k + j] - 0.5 * Math.log(2 * Math.PI);
                tmax = Math.max(tmax, t[j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(t[j] - tmax);
            y[yOff + r] = (float) (tmax + Math.log(sum));
        }
    }

    /** Parts of at least ~800 rows of K = 5 (some 80 us of work each): less would not pay for the split. */
    private static int parts(int threads, int rows, int k) {
        return (int) Math.max(1, Math.min(threads, (long) rows * k / 4096));
    }

    private static void check(String op, int rows, int k, float[] p, int pOff, float[] x, int xOff) {
        if (rows < 0 || k < 1) throw new IllegalArgumentException(op + ": rows " + rows + " (>= 0) and K " + k + " (>= 1)");
        Conv2d.checkArray(op, "p [" + rows + "," + 3 * k + "]", p, pOff, rows * 3 * k);
        Conv2d.checkArray(op, "x [" + rows + "]", x, xOff, rows);
    }
}
