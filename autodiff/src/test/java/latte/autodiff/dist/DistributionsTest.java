package latte.autodiff.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import latte.autodiff.GradCheck;
import latte.autodiff.Ops;
import latte.autodiff.ReduceOps;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

/** Distributions against closed forms (computed here in double), Monte Carlo with fixed seeds, and gradient checks. */
class DistributionsTest {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    static Var v(float... x) {
        return Var.leaf(x, x.length);
    }

    static Var v2(int rows, float... x) {
        return Var.leaf(x, rows, x.length / rows);
    }

    @Test
    void gaussianLogProbEntropyKlClosedForms() {
        float[] m1 = {0.5f, -1f, 2f}, s1 = {1f, 0.5f, 2f}, m2 = {0f, 0f, 1f}, s2 = {2f, 1f, 0.5f}, x = {0.3f, -0.2f, 1.1f};
        DiagGaussian p = new DiagGaussian(v(m1), v(s1)), q = new DiagGaussian(v(m2), v(s2));
        double lp = 0, h = 0, kl = 0;
        for (int i = 0; i < 3; i++) {
            lp += -0.5 * Math.pow((x[i] - m1[i]) / s1[i], 2) - Math.log(s1[i]) - 0.5 * LOG_2PI;
            h += 0.5 * (1 + LOG_2PI) + Math.log(s1[i]);
            kl += Math.log(s2[i] / s1[i]) + (s1[i] * s1[i] + Math.pow(m1[i] - m2[i], 2)) / (2 * s2[i] * s2[i]) - 0.5;
        }
        assertThat((double) p.logProb(v(x)).item()).isCloseTo(lp, within(1e-5));
        assertThat((double) p.entropy().item()).isCloseTo(h, within(1e-5));
        assertThat((double) DiagGaussian.kl(p, q).item()).isCloseTo(kl, within(1e-5));
        assertThat((double) DiagGaussian.kl(p, p).item()).isCloseTo(0, within(1e-6));
    }

    @Test
    void gaussianKlMatchesMonteCarlo() {
        DiagGaussian p = new DiagGaussian(v(0.5f, -1f), v(1f, 0.7f)), q = new DiagGaussian(v(0f, 0f), v(1.5f, 1f));
        Rng rng = new Rng(1);
        int n = 20000;
        double acc = 0;
        try (Tape.Scope _ = Tape.noGrad()) {
            for (int i = 0; i < n; i++) {
                Var x = p.rsample(rng);
                acc += p.logProb(x).item() - q.logProb(x).item();
            }
        }
        assertThat(acc / n).isCloseTo(DiagGaussian.kl(p, q).item(), within(0.02));
    }

    @Test
    void gaussianRsampleMoments() {
        DiagGaussian p = new DiagGaussian(Var.full(3f, 4000), Var.full(0.5f, 4000));
        float[] x = p.rsample(new Rng(2)).toArray();
        double m = 0, s = 0;
        for (float f : x) m += f;
        m /= x.length;
        for (float f : x) s += (f - m) * (f - m);
        assertThat(m).isCloseTo(3, within(0.03));
        assertThat(Math.sqrt(s / x.length)).isCloseTo(0.5, within(0.02));
    }

    @Test
    void gaussianGradients() {
        Rng r = new Rng(5);
        GradCheck.elementwise("gaussian logProb", a -> new DiagGaussian(a[0], a[1]).logProb(a[2]),
                v2(2, 0.1f, 0.2f, -0.3f, 0.4f, 0.5f, 0.6f), v2(2, 1f, 0.5f, 2f, 0.7f, 1.2f, 0.9f), v2(2, 0f, 1f, -1f, 0.5f, 0.3f, 0.2f));
        GradCheck.elementwise("gaussian entropy", a -> new DiagGaussian(a[0], a[1]).entropy(), v(0.1f, 0.2f), v(1f, 0.5f));
        GradCheck.elementwise("gaussian kl", a -> DiagGaussian.kl(new DiagGaussian(a[0], a[1]), new DiagGaussian(a[2], a[3])),
                v2(2, 0.1f, 0.2f, -0.3f, 0.4f), v2(2, 1f, 0.5f, 2f, 0.7f), v2(2, 0f, 1f, -1f, 0.5f), v2(2, 1.5f, 0.8f, 1f, 1.1f));
        GradCheck.elementwise("gaussian rsample", a -> new DiagGaussian(a[0], a[1]).rsample(new Rng(9)), v(0.1f, 0.2f, 0.3f), v(1f, 0.5f, 2f));
        assertThat(r.nextLong()).isNotZero();
    }

    @Test
    void tanhGaussianDensityIsNormalisedAndConsistent() {
        TanhGaussian d = new TanhGaussian(v(0.4f), v(0.8f));
        // integrate p(a) over (-1, 1) by the midpoint rule: a proper density integrates to 1
        int n = 4000;
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (-1 + (i + 0.5) * 2.0 / n);
        double total = 0;
        try (Tape.Scope _ = Tape.noGrad()) {
            float[] lp = d.logProb(Var.of(a, n, 1)).toArray();
            for (float l : lp) total += Math.exp(l) * 2.0 / n;
        }
        assertThat(total).isCloseTo(1, within(2e-3));
        // hand formula at one point: log N(u) - ln(1 - tanh^2 u)
        double u = 0.3, t = Math.tanh(u);
        double expected = -0.5 * Math.pow((u - 0.4) / 0.8, 2) - Math.log(0.8) - 0.5 * LOG_2PI - Math.log(1 - t * t);
        assertThat((double) d.logProbPreTanh(v((float) u)).item()).isCloseTo(expected, within(1e-5));
        assertThat((double) d.logProb(v((float) t)).item()).isCloseTo(expected, within(1e-4));
        assertThat((double) d.mode().item()).isCloseTo(Math.tanh(0.4), within(1e-6));
        TanhGaussian.Sample smp = d.rsample(new Rng(3));
        assertThat(Math.abs(smp.action().item())).isLessThan(1f);
        assertThat((double) smp.logProb().item()).isCloseTo(d.logProb(smp.action()).item(), within(1e-3));
    }

    @Test
    void tanhGaussianGradients() {
        GradCheck.elementwise("tanh-gaussian rsample action", a -> new TanhGaussian(a[0], a[1]).rsample(new Rng(4)).action(), v2(2, 0.1f, -0.5f, 0.3f, 0.2f), v2(2, 0.5f, 0.9f, 1.2f, 0.3f));
        GradCheck.elementwise("tanh-gaussian rsample logProb", a -> new TanhGaussian(a[0], a[1]).rsample(new Rng(4)).logProb(), v2(2, 0.1f, -0.5f, 0.3f, 0.2f), v2(2, 0.5f, 0.9f, 1.2f, 0.3f));
        GradCheck.elementwise("tanh-gaussian logProb(a)", a -> new TanhGaussian(a[0], a[1]).logProb(a[2]), v(0.1f, -0.5f), v(0.5f, 0.9f), v(0.3f, -0.7f));
        GradCheck.elementwise("tanh-gaussian entropy", a -> new TanhGaussian(a[0], a[1]).entropy(new Rng(6), 3), v(0.1f, -0.5f), v(0.5f, 0.9f));
    }

    @Test
    void categoricalClosedForms() {
        float[] lp = {1f, 2f, 0.5f}, lq = {0f, -1f, 1f};
        Categorical p = new Categorical(v(lp)), q = new Categorical(v(lq));
        double[] pp = softmax(lp), qq = softmax(lq);
        double h = 0, kl = 0;
        for (int i = 0; i < 3; i++) {
            h -= pp[i] * Math.log(pp[i]);
            kl += pp[i] * Math.log(pp[i] / qq[i]);
        }
        assertThat((double) p.entropy().item()).isCloseTo(h, within(1e-6));
        assertThat((double) Categorical.kl(p, q).item()).isCloseTo(kl, within(1e-6));
        assertThat((double) p.logProb(new int[] {2}).item()).isCloseTo(Math.log(pp[2]), within(1e-6));
        assertThat((double) p.logProb(Var.of(new float[] {0, 1, 0}, 3)).item()).isCloseTo(Math.log(pp[1]), within(1e-6));
        assertThat(p.mode().toArray()).containsExactly(0, 1, 0);
    }

    static double[] softmax(float[] l) {
        double z = 0;
        double[] p = new double[l.length];
        for (float x : l) z += Math.exp(x);
        for (int i = 0; i < l.length; i++) p[i] = Math.exp(l[i]) / z;
        return p;
    }

    @Test
    void categoricalSamplingFrequencies() {
        float[] l = {1f, 2f, 0.5f, -1f};
        int rows = 20000;
        float[] logits = new float[rows * 4];
        for (int r = 0; r < rows; r++) System.arraycopy(l, 0, logits, r * 4, 4);
        int[] idx = new Categorical(Var.of(logits, rows, 4)).sampleIndices(new Rng(8));
        double[] f = new double[4];
        for (int k : idx) f[k] += 1.0 / rows;
        double[] p = softmax(l);
        for (int k = 0; k < 4; k++) assertThat(f[k]).isCloseTo(p[k], within(0.015));
    }

    @Test
    void straightThroughHasOneHotValueAndProbabilityGradient() {
        Var logits = Var.leaf(new float[] {0.2f, -0.4f, 1f, 0.3f, 0.1f, -0.2f}, 2, 3);
        float[] w = {1f, -2f, 0.5f, 3f, 1f, -1f};
        Var sample;
        try (Tape t = Tape.record()) {
            sample = new Categorical(logits).rsampleStraightThrough(new Rng(1));
            t.backward(ReduceOps.sum(Ops.mul(sample, Var.of(w, 2, 3))));
        }
        float[] st = logits.gradArray();
        float[] s = sample.toArray();
        for (int r = 0; r < 2; r++) {
            float rowSum = s[3 * r] + s[3 * r + 1] + s[3 * r + 2];
            assertThat(rowSum).isEqualTo(1f);
            for (int k = 0; k < 3; k++) assertThat(s[3 * r + k]).isIn(0f, 1f);
        }
        Var logits2 = Var.leaf(logits.toArray(), 2, 3);
        try (Tape t = Tape.record()) {
            t.backward(ReduceOps.sum(Ops.mul(new Categorical(logits2).probs(), Var.of(w, 2, 3))));
        }
        assertThat(st).containsExactly(logits2.gradArray());
    }

    @Test
    void categoricalGradients() {
        GradCheck.elementwise("categorical entropy", a -> new Categorical(a[0]).entropy(), v2(2, 0.2f, -0.4f, 1f, 0.3f, 0.1f, -0.2f));
        GradCheck.elementwise("categorical kl", a -> Categorical.kl(new Categorical(a[0]), new Categorical(a[1])),
                v2(2, 0.2f, -0.4f, 1f, 0.3f, 0.1f, -0.2f), v2(2, 0f, 0.5f, -1f, 1f, 0.2f, 0.4f));
        GradCheck.elementwise("categorical logProb idx", a -> new Categorical(a[0]).logProb(new int[] {2, 0}), v2(2, 0.2f, -0.4f, 1f, 0.3f, 0.1f, -0.2f));
        GradCheck.elementwise("categorical 3d logProb", a -> new Categorical(a[0]).logProb(Var.of(new float[] {0, 1, 1, 0, 0, 1, 1, 0}, 2, 2, 2)),
                Var.leaf(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f}, 2, 2, 2));
    }

    @Test
    void bernoulli() {
        float[] l = {-2f, 0.5f, 3f};
        Bernoulli b = new Bernoulli(v(l));
        float[] lp1 = b.logProb(Var.full(1f, 3)).toArray(), lp0 = b.logProb(Var.full(0f, 3)).toArray(), h = b.entropy().toArray();
        for (int i = 0; i < 3; i++) {
            double p = 1 / (1 + Math.exp(-l[i]));
            assertThat((double) lp1[i]).isCloseTo(Math.log(p), within(1e-6));
            assertThat((double) lp0[i]).isCloseTo(Math.log(1 - p), within(1e-6));
            assertThat((double) h[i]).isCloseTo(-p * Math.log(p) - (1 - p) * Math.log(1 - p), within(1e-6));
        }
        float[] many = new float[10000];
        java.util.Arrays.fill(many, 0.5f);
        float[] s = new Bernoulli(Var.of(many, 10000)).sample(new Rng(4)).toArray();
        double mean = 0;
        for (float x : s) mean += x / 10000.0;
        assertThat(mean).isCloseTo(1 / (1 + Math.exp(-0.5)), within(0.015));
        GradCheck.elementwise("bernoulli logProb", a -> new Bernoulli(a[0]).logProb(Var.of(new float[] {1, 0, 1}, 3)), v(l));
        GradCheck.elementwise("bernoulli entropy", a -> new Bernoulli(a[0]).entropy(), v(l));
    }
}
