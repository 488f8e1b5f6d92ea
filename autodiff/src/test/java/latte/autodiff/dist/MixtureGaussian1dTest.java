package latte.autodiff.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import latte.autodiff.GradCheck;
import latte.autodiff.Var;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

/** The mixture density head against closed forms in double, Monte Carlo with fixed seeds, and finite differences. */
class MixtureGaussian1dTest {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    /** log Σ_k softmax(l)_k N(x; μ_k, σ_k) in double, by hand (the log-sum-exp shifted by hand too). */
    static double closedForm(double x, double[] logits, double[] mu, double[] sigma) {
        double lmax = Double.NEGATIVE_INFINITY, lz = 0;
        for (double l : logits) lmax = Math.max(lmax, l);
        for (double l : logits) lz += Math.exp(l - lmax);
        double[] terms = new double[mu.length];
        double tmax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < mu.length; k++) {
            double z = (x - mu[k]) / sigma[k];
            terms[k] = logits[k] - lmax - Math.log(lz) - 0.5 * z * z - Math.log(sigma[k]) - 0.5 * LOG_2PI;
            tmax = Math.max(tmax, terms[k]);
        }
        double s = 0;
        for (double t : terms) s += Math.exp(t - tmax);
        return tmax + Math.log(s);
    }

    static float[] f(double... v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) a[i] = (float) v[i];
        return a;
    }

    static double[] logs(double... v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) a[i] = Math.log(v[i]);
        return a;
    }

    @Test
    void logProbMatchesClosedForm() {
        // two latent dimensions, K = 3; the second dimension's x sits far out in a tail
        double[][] logits = {{0.2, -1.0, 0.5}, {2.0, 0.0, -3.0}}, mu = {{-1, 0.5, 2}, {0, 1, -2}}, sigma = {{0.5, 1, 2}, {0.1, 0.3, 1.5}};
        double[] x = {0.7, 9.0};
        float[] l = new float[6], m = new float[6], ls = new float[6];
        for (int d = 0; d < 2; d++)
            for (int k = 0; k < 3; k++) {
                l[d * 3 + k] = (float) logits[d][k];
                m[d * 3 + k] = (float) mu[d][k];
                ls[d * 3 + k] = (float) Math.log(sigma[d][k]);
            }
        MixtureGaussian1d p = new MixtureGaussian1d(Var.of(l, 2, 3), Var.of(m, 2, 3), Var.of(ls, 2, 3));
        float[] got = p.logProb(Var.of(f(x), 2)).toArray();
        for (int d = 0; d < 2; d++) assertThat((double) got[d]).isCloseTo(closedForm(x[d], logits[d], mu[d], sigma[d]), within(1e-4));
        // one component is a plain Gaussian
        MixtureGaussian1d one = new MixtureGaussian1d(Var.of(f(7), 1), Var.of(f(1), 1), Var.of(f(Math.log(2)), 1));
        double z = (0.3 - 1) / 2;
        assertThat((double) one.logProb(Var.scalar(0.3f)).item()).isCloseTo(-0.5 * z * z - Math.log(2) - 0.5 * LOG_2PI, within(1e-6));
        // the mean: Σ π μ
        double[] pi = {Math.exp(0.2), Math.exp(-1.0), Math.exp(0.5)};
        double zsum = pi[0] + pi[1] + pi[2];
        assertThat((double) p.mean().toArray()[0]).isCloseTo((pi[0] * -1 + pi[1] * 0.5 + pi[2] * 2) / zsum, within(1e-5));
    }

    @Test
    void farOutliersStayFiniteAndExact() {
        // every component's density underflows in double at x = 1e3 (z ~ 1e4): logsumexp keeps it finite
        MixtureGaussian1d p = new MixtureGaussian1d(Var.of(f(0, 0), 2), Var.of(f(0, 1), 2), Var.of(f(Math.log(0.1), Math.log(0.1)), 2));
        float got = p.logProb(Var.scalar(1000f)).item();
        assertThat(got).isFinite();
        assertThat((double) got).isCloseTo(closedForm(1000, new double[] {0, 0}, new double[] {0, 1}, new double[] {0.1, 0.1}),
                within(1e-6 * 5e7));
    }

    @Test
    void logProbGradChecks() {
        Rng r = new Rng(3);
        float[] l = new float[2 * 3 * 4], m = new float[24], s = new float[24], x = new float[6];
        r.fillNormal(l, 0, 24, 0, 1);
        r.fillNormal(m, 0, 24, 0, 1);
        r.fillUniform(s, 0, 24, -0.7f, 0.3f);
        r.fillNormal(x, 0, 6, 0, 1);
        GradCheck.elementwise("mdn logProb", v -> new MixtureGaussian1d(v[0], v[1], v[2]).logProb(v[3]),
                Var.leaf(l, 2, 3, 4), Var.leaf(m, 2, 3, 4), Var.leaf(s, 2, 3, 4), Var.leaf(x, 2, 3));
        float[] params = new float[2 * 15];
        r.fillNormal(params, 0, params.length, 0, 0.5f);
        GradCheck.elementwise("mdn split", v -> MixtureGaussian1d.split(v[0], 5).logProb(v[1]), Var.leaf(params, 2, 15),
                Var.leaf(f(0.3, -0.4), 2));
    }

    /** The fused kernel behind split() against the composed primitives: values and every gradient. */
    @Test
    void fusedLogProbMatchesComposed() {
        Rng r = new Rng(8);
        int rows = 7, k = 5;
        float[] params = new float[rows * 3 * k], x = new float[rows];
        r.fillNormal(params, 0, params.length, 0, 1);
        r.fillNormal(x, 0, rows, 0, 2);
        Var p1 = Var.leaf(params.clone(), rows, 3 * k), x1 = Var.leaf(x.clone(), rows);
        Var p2 = Var.leaf(params.clone(), rows, 3 * k), x2 = Var.leaf(x.clone(), rows);
        float[] seed = new float[rows];
        r.fillNormal(seed, 0, rows, 0, 1);
        float[] fused, composed;
        try (latte.autodiff.Tape tape = latte.autodiff.Tape.record()) {
            Var y = MixtureGaussian1d.split(p1, k).logProb(x1);
            fused = y.toArray();
            tape.backward(y, seed);
        }
        try (latte.autodiff.Tape tape = latte.autodiff.Tape.record()) {
            Var y = MixtureGaussian1d.split(p2, k).logProbComposed(x2);
            composed = y.toArray();
            tape.backward(y, seed);
        }
        for (int i = 0; i < rows; i++) assertThat((double) fused[i]).isCloseTo(composed[i], within(1e-5));
        float[] g1 = p1.gradArray(), g2 = p2.gradArray();
        for (int i = 0; i < g1.length; i++) assertThat((double) g1[i]).as("d params[%d]", i).isCloseTo(g2[i], within(1e-5));
        for (int i = 0; i < rows; i++) assertThat((double) x1.gradArray()[i]).isCloseTo(x2.gradArray()[i], within(1e-5));
        GradCheck.elementwise("fused mixture logProb", v -> latte.autodiff.MixtureOps.gaussianMixtureLogProb(v[0], v[1], 2),
                Var.leaf(java.util.Arrays.copyOf(params, 2 * 3 * 2), 2, 6), Var.leaf(java.util.Arrays.copyOf(x, 2), 2));
    }

    /** A known mixture replicated over many rows: sample mean and variance vs Σπμ and Σπ(σ² + μ²) − mean². */
    @Test
    void samplingMatchesTheMixturesMoments() {
        int rows = 100_000;
        double[] pi = {0.3, 0.7}, mu = {-2, 1}, sigma = {0.5, 1};
        float[] x = drawMany(rows, pi, mu, sigma, 1f, new Rng(4));
        double mean = 0, sq = 0;
        for (float v : x) { mean += v; sq += (double) v * v; }
        mean /= rows;
        double var = sq / rows - mean * mean;
        double wantMean = 0.3 * -2 + 0.7 * 1, wantVar = 0.3 * (0.25 + 4) + 0.7 * (1 + 1) - wantMean * wantMean;
        assertThat(mean).isCloseTo(wantMean, within(0.03));                  // standard error 0.005
        assertThat(var).isCloseTo(wantVar, within(0.06));
    }

    @Test
    void temperatureConcentratesOrFlattensTheComponents() {
        int rows = 20_000;
        double[] pi = {0.3, 0.7}, mu = {-2, 1}, sigma = {0.5, 1};
        // tau -> small: nearly every draw from the likely component, with the noise shrunk by sqrt(tau)
        float[] cold = drawMany(rows, pi, mu, sigma, 0.01f, new Rng(5));
        int near = 0;
        double sq = 0;
        for (float v : cold) {
            if (Math.abs(v - 1) < 0.5) near++;
            sq += (v - 1.0) * (v - 1.0);
        }
        assertThat(near).isEqualTo(rows);                                    // 5 sd of sqrt(0.01) * 1
        assertThat(Math.sqrt(sq / rows)).isCloseTo(0.1, within(0.01));
        // tau large: the component choice flattens towards uniform (0.3^(1/tau) vs 0.7^(1/tau))
        // (the noise, sd up to sqrt(50), blurs the components together: read the choice off the mean, -0.47 vs 0.1 at tau = 1)
        float[] hot = drawMany(rows, pi, mu, sigma, 50f, new Rng(6));
        double wantLow = Math.pow(0.3, 1 / 50.0) / (Math.pow(0.3, 1 / 50.0) + Math.pow(0.7, 1 / 50.0));
        double mean = 0;
        for (float v : hot) mean += v;
        mean /= rows;
        assertThat(mean).isCloseTo(wantLow * -2 + (1 - wantLow) * 1, within(0.1));         // standard error 0.04
    }

    @Test
    void sampleIsDeterministicForASeedAndRejectsBadTemperatures() {
        MixtureGaussian1d p = new MixtureGaussian1d(Var.of(f(0, 1, 2, 3, 4, 5), 2, 3), Var.of(f(1, 2, 3, 4, 5, 6), 2, 3), Var.zeros(2, 3));
        assertThat(p.sample(new Rng(9), 1f).toArray()).containsExactly(p.sample(new Rng(9), 1f).toArray());
        assertThat(p.sample(new Rng(9), 1f).shape()).containsExactly(2);
        for (float tau : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY})
            assertThatThrownBy(() -> p.sample(new Rng(1), tau)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("temperature tau = " + tau);
        assertThatThrownBy(() -> p.logProb(Var.zeros(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x [3], expected [2]");
        assertThatThrownBy(() -> MixtureGaussian1d.split(Var.zeros(4, 14), 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected [.., 3K] = [.., 15]");
    }

    private static float[] drawMany(int rows, double[] pi, double[] mu, double[] sigma, float tau, Rng rng) {
        int k = pi.length;
        float[] l = new float[rows * k], m = new float[rows * k], s = new float[rows * k];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++) {
                l[r * k + j] = (float) Math.log(pi[j]);
                m[r * k + j] = (float) mu[j];
                s[r * k + j] = (float) Math.log(sigma[j]);
            }
        return new MixtureGaussian1d(Var.of(l, rows, k), Var.of(m, rows, k), Var.of(s, rows, k)).sample(rng, tau).toArray();
    }
}
