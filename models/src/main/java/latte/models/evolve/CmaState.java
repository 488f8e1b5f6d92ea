package latte.models.evolve;

import java.util.Arrays;

/**
 * A checkpoint of {@link CmaEs}: everything a run needs to continue exactly as if never stopped.
 * The generator needs no state of its own: every generation's samples derive from (seed, g).
 *
 * @param seed             the run's seed
 * @param lambda           population size
 * @param mean             m [n]
 * @param sigma            step size σ
 * @param pathC            p_c [n]
 * @param pathSigma        p_σ [n]
 * @param covariance       C [n, n] row-major
 * @param basis            B as rows (row i: the unit eigenvector of the i-th eigenvalue) [n, n] — kept, not recomputed,
 *                         because the lazy decomposition is older than C
 * @param axes             D, the square roots of those eigenvalues [n]
 * @param generation       completed generations
 * @param evaluations      candidates evaluated
 * @param eigenEvaluations the evaluation count at the last decomposition
 * @param nanCount         NaN fitness values so far
 * @param best             the best candidate so far [n], or null
 * @param bestFitness      its fitness, or NaN
 */
public record CmaState(long seed, int lambda, double[] mean, double sigma, double[] pathC, double[] pathSigma,
                    double[] covariance, double[] basis, double[] axes, long generation, long evaluations,
                    long eigenEvaluations, long nanCount, double[] best, double bestFitness) {
    private static final int FORMAT = 1, HEADER = 13;

    public CmaState {
        int n = mean.length;
        if (n < 1 || pathC.length != n || pathSigma.length != n || covariance.length != n * n || basis.length != n * n
                || axes.length != n || best != null && best.length != n || lambda < 2 || !(sigma > 0))
            throw new IllegalArgumentException("CmaState: inconsistent sizes for n = " + n + " (mean " + n + ", pathC "
                    + pathC.length + ", pathSigma " + pathSigma.length + ", covariance " + covariance.length + ", basis "
                    + basis.length + ", axes " + axes.length + ", best " + (best == null ? "none" : best.length)
                    + ") or lambda " + lambda + " < 2 or sigma " + sigma + " <= 0");
    }

    /**
     * One flat array, exact (every value a double; the 64-bit seed split into two 32-bit halves):
     * {@code [format, n, lambda, seedHi, seedLo, sigma, generation, evaluations, eigenEvaluations,
     * nanCount, bestFitness, hasBest, 0, mean, pathC, pathSigma, covariance, basis, axes, best?]}.
     * Store it as F64 (or as raw bytes): rounding to F32 would not resume exactly.
     */
    public double[] toArray() {
        int n = mean.length;
        double[] a = new double[HEADER + 5 * n + 2 * n * n];
        double[] head = {FORMAT, n, lambda, seed >>> 32, seed & 0xffffffffL, sigma, generation, evaluations,
                eigenEvaluations, nanCount, bestFitness, best == null ? 0 : 1, 0};
        System.arraycopy(head, 0, a, 0, HEADER);
        int at = HEADER;
        for (double[] part : new double[][] {mean, pathC, pathSigma, covariance, basis, axes, best == null ? new double[n] : best}) {
            System.arraycopy(part, 0, a, at, part.length);
            at += part.length;
        }
        return a;
    }

    /** The inverse of {@link #toArray()}; a wrong format or length is a clear error. */
    public static CmaState fromArray(double[] a) {
        if (a.length < HEADER || a[0] != FORMAT)
            throw new IllegalArgumentException("CmaState.fromArray: " + a.length + " values"
                    + (a.length > 0 ? ", format " + a[0] : "") + ", expected format " + FORMAT + " with a " + HEADER + "-value header");
        int n = (int) a[1];
        int want = HEADER + 5 * n + 2 * n * n;
        if (n < 1 || a.length != want)
            throw new IllegalArgumentException("CmaState.fromArray: " + a.length + " values for n = " + n + ", expected " + want);
        long seed = ((long) a[3] << 32) | (long) a[4];
        int at = HEADER;
        double[] mean = Arrays.copyOfRange(a, at, at += n), pc = Arrays.copyOfRange(a, at, at += n);
        double[] ps = Arrays.copyOfRange(a, at, at += n), cov = Arrays.copyOfRange(a, at, at += n * n);
        double[] basis = Arrays.copyOfRange(a, at, at += n * n), axes = Arrays.copyOfRange(a, at, at += n);
        double[] best = a[11] == 1 ? Arrays.copyOfRange(a, at, at + n) : null;
        return new CmaState(seed, (int) a[2], mean, a[5], pc, ps, cov, basis, axes, (long) a[6], (long) a[7], (long) a[8],
                (long) a[9], best, a[10]);
    }
}
