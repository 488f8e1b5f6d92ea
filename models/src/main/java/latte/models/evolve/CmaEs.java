package latte.models.evolve;

import java.util.Arrays;
import latte.core.Rng;

/**
 * The covariance matrix adaptation evolution strategy, (μ/μ_w, λ)-CMA-ES as in Hansen's tutorial
 * ("The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, the algorithm summary of
 * appendix A), minimising. One generation is {@link #ask} then {@link #tell}:
 * <pre>
 *   sample   y_k = B D z_k,  z_k ~ N(0, I),  x_k = m + σ y_k                  k = 1..λ   (C = B D² Bᵀ)
 *   select   sort by f; y_w = Σ_{i≤μ} w_i y_{i:λ}
 *   mean     m ← m + σ y_w                                                 (c_m = 1)
 *   paths    p_σ ← (1 − c_σ) p_σ + √(c_σ (2 − c_σ) μ_eff) C^−½ y_w
 *            h_σ = [ |p_σ| / √(1 − (1 − c_σ)^(2g)) / E|N(0,I)| < 1.4 + 2/(n + 1) ]   (stall test)
 *            p_c ← (1 − c_c) p_c + h_σ √(c_c (2 − c_c) μ_eff) y_w
 *   cov      C ← (1 − c_1 − c_μ + c_1 (1 − h_σ) c_c (2 − c_c)) C + c_1 p_c p_cᵀ + c_μ Σ_{i≤μ} w_i y_{i:λ} y_{i:λ}ᵀ
 *   step     σ ← σ exp((c_σ / d_σ)(|p_σ| / E|N(0,I)| − 1))
 *   eigen    B, D from C once more than λ / (c_1 + c_μ) / n / 10 evaluations have passed (lazy: O(n²) per sample)
 * </pre>
 * A NaN fitness ranks worst (after +∞) and is counted ({@link #nanCount()}); a generation of
 * only NaNs changes nothing but the counters. All randomness of generation g comes from a
 * generator derived from (seed, g), so {@link #state()} / {@link #restore} resume exactly, and
 * an {@link Evolution} run gives the same result on any number of threads.
 */
public final class CmaEs {
    /** The strategy parameters, named as in the tutorial (table 1, with positive weights only). */
    public record Parameters(int n, int lambda, int mu, double[] weights, double muEff, double cc, double cSigma,
                             double c1, double cMu, double dSigma, double chiN) {
        /** The defaults for dimension n: λ = 4 + ⌊3 ln n⌋. */
        public static Parameters defaults(int n) {
            if (n < 1) throw new IllegalArgumentException("CmaEs: dimension " + n + ", expected >= 1");
            return of(n, 4 + (int) Math.floor(3 * Math.log(n)));
        }

        /** The default constants for dimension n and population λ (>= 2): μ = ⌊λ/2⌋, w_i ∝ ln(λ/2 + ½) − ln i. */
        public static Parameters of(int n, int lambda) {
            if (n < 1) throw new IllegalArgumentException("CmaEs: dimension " + n + ", expected >= 1");
            if (lambda < 2) throw new IllegalArgumentException("CmaEs: population " + lambda + ", expected >= 2");
            int mu = lambda / 2;
            double[] w = new double[mu];
            double sum = 0, sq = 0;
            for (int i = 0; i < mu; i++) sum += w[i] = Math.log(lambda / 2.0 + 0.5) - Math.log(i + 1);
            for (int i = 0; i < mu; i++) sq += (w[i] /= sum) * w[i];
            double muEff = 1 / sq;
            double cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
            double cs = (muEff + 2) / (n + muEff + 5);
            double c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
            double cmu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
            double ds = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
            double chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
            return new Parameters(n, lambda, mu, w, muEff, cc, cs, c1, cmu, ds, chiN);
        }

        /** Evaluations between two eigendecompositions: λ / (c_1 + c_μ) / n / 10. */
        public double eigenGap() {
            return lambda / (c1 + cMu) / n / 10;
        }
    }

    private final Parameters p;
    private final long seed;
    private final double[] mean, pc, ps;
    private final double[][] cov;
    private double[][] basis;                 // rows: unit eigenvectors of C
    private double[] axes;                    // D: square roots of C's eigenvalues, in the order of basis
    private double sigma;
    private long generation, evaluations, eigenEvaluations, nanCount;
    private double[] best;
    private double bestFitness = Double.NaN;
    private double[][] askedY;                // y_k of the generation in flight (null between generations)

    /** A fresh search from {@code x0} with step size {@code sigma0} and the default population. */
    public CmaEs(double[] x0, double sigma0, long seed) {
        this(x0, sigma0, 0, seed);
    }

    /** A fresh search; {@code lambda == 0} picks the default population 4 + ⌊3 ln n⌋. */
    public CmaEs(double[] x0, double sigma0, int lambda, long seed) {
        if (x0 == null || x0.length == 0) throw new IllegalArgumentException("CmaEs: x0 is empty, expected the starting point of dimension >= 1");
        for (int i = 0; i < x0.length; i++)
            if (!Double.isFinite(x0[i])) throw new IllegalArgumentException("CmaEs: x0[" + i + "] = " + x0[i] + ", expected finite values");
        if (!(sigma0 > 0) || !Double.isFinite(sigma0))
            throw new IllegalArgumentException("CmaEs: sigma0 = " + sigma0 + ", expected a finite step size > 0");
        this.p = lambda == 0 ? Parameters.defaults(x0.length) : Parameters.of(x0.length, lambda);
        int n = x0.length;
        this.seed = seed;
        this.mean = x0.clone();
        this.sigma = sigma0;
        this.pc = new double[n];
        this.ps = new double[n];
        this.cov = new double[n][n];
        this.basis = new double[n][n];
        this.axes = new double[n];
        for (int i = 0; i < n; i++) {
            cov[i][i] = basis[i][i] = axes[i] = 1;
        }
    }

    // ---------------------------------------------------------------- one generation

    /** The λ candidates of the next generation, x_k = m + σ B D z_k (the same on every call until {@link #tell}). */
    public double[][] ask() {
        int n = p.n, lambda = p.lambda;
        Rng rng = new Rng(derive(seed, 0, generation, 0));
        double[][] xs = new double[lambda][n];
        askedY = new double[lambda][n];
        double[] z = new double[n];
        for (int k = 0; k < lambda; k++) {
            for (int i = 0; i < n; i++) z[i] = rng.normal();
            double[] y = askedY[k];
            for (int i = 0; i < n; i++) {                     // y = Σ_i D_i z_i b_i (b_i the rows of basis)
                double a = axes[i] * z[i];
                double[] b = basis[i];
                for (int j = 0; j < n; j++) y[j] += a * b[j];
            }
            for (int j = 0; j < n; j++) xs[k][j] = mean[j] + sigma * y[j];
        }
        return xs;
    }

    /** Updates the distribution from the fitness (lower is better; NaN worst) of the candidates of {@link #ask}. */
    public void tell(double[] fitness) {
        if (askedY == null) throw new IllegalStateException("CmaEs.tell: no generation in flight; call ask() first");
        if (fitness.length != p.lambda)
            throw new IllegalArgumentException("CmaEs.tell: " + fitness.length + " fitness values, expected lambda = " + p.lambda);
        int n = p.n, mu = p.mu;
        Integer[] order = new Integer[p.lambda];
        int nans = 0;
        for (int k = 0; k < p.lambda; k++) {
            order[k] = k;
            if (Double.isNaN(fitness[k])) nans++;
        }
        Arrays.sort(order, (a, b) -> Double.compare(fitness[a], fitness[b])); // stable; Double.compare puts NaN last
        double[][] y = askedY;
        askedY = null;
        nanCount += nans;
        evaluations += p.lambda;
        generation++;
        if (nans == p.lambda) return;                              // nothing to learn from
        int top = order[0];
        if (Double.isNaN(bestFitness) || fitness[top] < bestFitness) {
            bestFitness = fitness[top];
            best = new double[n];
            for (int j = 0; j < n; j++) best[j] = mean[j] + sigma * y[top][j];
        }
        double[] yw = new double[n];
        for (int i = 0; i < mu; i++) {
            double w = p.weights[i];
            double[] yi = y[order[i]];
            for (int j = 0; j < n; j++) yw[j] += w * yi[j];
        }
        for (int j = 0; j < n; j++) mean[j] += sigma * yw[j];
        double[] t = invSqrtC(yw);
        double cs = p.cSigma, cc = p.cc, norm = 0;
        double psScale = Math.sqrt(cs * (2 - cs) * p.muEff);
        for (int j = 0; j < n; j++) {
            ps[j] = (1 - cs) * ps[j] + psScale * t[j];
            norm += ps[j] * ps[j];
        }
        norm = Math.sqrt(norm);
        boolean hs = norm / Math.sqrt(1 - Math.pow(1 - cs, 2.0 * generation)) / p.chiN < 1.4 + 2.0 / (n + 1);
        double pcScale = hs ? Math.sqrt(cc * (2 - cc) * p.muEff) : 0;
        for (int j = 0; j < n; j++) pc[j] = (1 - cc) * pc[j] + pcScale * yw[j];
        double keep = 1 - p.c1 - p.cMu + (hs ? 0 : p.c1 * cc * (2 - cc));
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {                        // the lower triangle, then mirrored: C stays symmetric
                double rankMu = 0;
                for (int k = 0; k < mu; k++) {
                    double[] yk = y[order[k]];
                    rankMu += p.weights[k] * yk[i] * yk[j];
                }
                cov[i][j] = keep * cov[i][j] + p.c1 * pc[i] * pc[j] + p.cMu * rankMu;
                cov[j][i] = cov[i][j];
            }
        sigma *= Math.exp(cs / p.dSigma * (norm / p.chiN - 1));
        if (evaluations - eigenEvaluations > p.eigenGap()) decompose();
    }

    /** C^−½ v = B D^−1 Bᵀ v. */
    private double[] invSqrtC(double[] v) {
        int n = p.n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double[] b = basis[i];
            double dot = 0;
            for (int j = 0; j < n; j++) dot += b[j] * v[j];
            dot /= axes[i];
            for (int j = 0; j < n; j++) out[j] += dot * b[j];
        }
        return out;
    }

    /**
     * B and D from C. An eigenvalue that rounding made zero or negative is raised to 1e-20 of
     * the largest, so sampling and C^−½ stay defined.
     */
    private void decompose() {
        eigenEvaluations = evaluations;
        SymmetricEigen.Result r = SymmetricEigen.decompose(cov);
        double floor = Math.max(r.values()[p.n - 1] * 1e-20, Double.MIN_NORMAL);
        basis = r.vectors();
        axes = new double[p.n];
        for (int i = 0; i < p.n; i++) axes[i] = Math.sqrt(Math.max(r.values()[i], floor));
    }

    // ---------------------------------------------------------------- readings

    public Parameters parameters() {
        return p;
    }

    public int dimension() {
        return p.n;
    }

    /** The distribution's mean m (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    public double sigma() {
        return sigma;
    }

    /** Completed generations (tells). */
    public long generation() {
        return generation;
    }

    /** Candidates evaluated so far (λ per generation). */
    public long evaluations() {
        return evaluations;
    }

    /** Candidates whose fitness was NaN so far. */
    public long nanCount() {
        return nanCount;
    }

    /** The best candidate told so far (a copy), or null before the first finite fitness. */
    public double[] best() {
        return best == null ? null : best.clone();
    }

    /** The best fitness told so far; NaN before the first non-NaN one. */
    public double bestFitness() {
        return bestFitness;
    }

    /** max / min eigenvalue of C at the last decomposition (the squared axis ratio). */
    public double conditionNumber() {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double a : axes) {
            lo = Math.min(lo, a * a);
            hi = Math.max(hi, a * a);
        }
        return hi / lo;
    }

    public long seed() {
        return seed;
    }

    // ---------------------------------------------------------------- checkpoints

    /** Everything a resumed run needs; see {@link #toArray()} for a flat form. A generation in flight is not part of it (its {@link #ask} is regenerated identically). */
    public CmaState state() {
        int n = p.n;
        double[] c = new double[n * n], b = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(cov[i], 0, c, i * n, n);
            System.arraycopy(basis[i], 0, b, i * n, n);
        }
        return new CmaState(seed, p.lambda, mean.clone(), sigma, pc.clone(), ps.clone(), c, b, axes.clone(), generation,
                evaluations, eigenEvaluations, nanCount, best == null ? null : best.clone(), bestFitness);
    }

    /** The optimiser at {@code s}: it continues exactly as the one {@code s} was taken from. */
    public static CmaEs restore(CmaState s) {
        int n = s.mean().length;
        CmaEs es = new CmaEs(s.mean(), s.sigma(), s.lambda(), s.seed());
        System.arraycopy(s.pathC(), 0, es.pc, 0, n);
        System.arraycopy(s.pathSigma(), 0, es.ps, 0, n);
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.covariance(), i * n, es.cov[i], 0, n);
            System.arraycopy(s.basis(), i * n, es.basis[i], 0, n);
        }
        es.axes = s.axes().clone();
        es.generation = s.generation();
        es.evaluations = s.evaluations();
        es.eigenEvaluations = s.eigenEvaluations();
        es.nanCount = s.nanCount();
        es.best = s.best() == null ? null : s.best().clone();
        es.bestFitness = s.bestFitness();
        return es;
    }

    /** Seed mixing (SplitMix64's finaliser per part): independent streams per (seed, parts...). */
    static long derive(long seed, long... parts) {
        long h = mix(seed + 0x9E3779B97F4A7C15L);
        for (long v : parts) h = mix(h ^ mix(v + 0x632BE59BD9B4E019L));
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
