package latte.models.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import latte.autodiff.GradCheck;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.core.Rng;
import latte.models.world.RewardSource;
import org.junit.jupiter.api.Test;

/** The heads' batched forward, their loss gradient, bootstrap, and the disagreement as an uncertainty and a reward. */
class EnsembleTest {
    private static ExplorationConfig config(int members, int units, int layers, double lr) {
        return new ExplorationConfig(members, units, layers, lr, "disagreement", 1.0);
    }

    private static float[] normal(Rng rng, int n, float std) {
        float[] x = new float[n];
        rng.fillNormal(x, 0, n, 0f, std);
        return x;
    }

    /** Member k alone, from the store's slices, in plain loops: x [N, In] -> [N, S]. */
    private static double[] byHand(Ensemble e, int k, float[] x, int n) {
        float[] v = e.store().values();
        List<ParamStore.Param> ps = e.store().params();
        double[] h = new double[x.length];
        for (int i = 0; i < x.length; i++) h[i] = x[i];
        int in = e.inputSize();
        for (int l = 0; l < ps.size() / 2; l++) {
            ParamStore.Param w = ps.get(2 * l), b = ps.get(2 * l + 1);
            int out = w.shape()[2], wo = w.offset() + k * in * out, bo = b.offset() + k * out;
            double[] y = new double[n * out];
            for (int r = 0; r < n; r++)
                for (int j = 0; j < out; j++) {
                    double s = v[bo + j];
                    for (int i = 0; i < in; i++) s += h[r * in + i] * v[wo + i * out + j];
                    y[r * out + j] = l < ps.size() / 2 - 1 ? (s > 0 ? s : Math.expm1(s)) : s;       // ELU between layers
                }
            h = y;
            in = out;
        }
        return h;
    }

    @Test
    void allMembersRunAsOneBatchedMatmulPerLayerAndEachMatchesItselfAlone() {
        Ensemble e = new Ensemble(4, 2, 3, config(3, 5, 2, 1e-3), Activation.ELU, new Rng(1));
        assertThat(e.store().params()).extracting(p -> Arrays.toString(p.shape()))
                .containsExactly("[3, 6, 5]", "[3, 1, 5]", "[3, 5, 5]", "[3, 1, 5]", "[3, 5, 3]", "[3, 1, 3]");
        int n = 7;
        float[] x = normal(new Rng(2), n * 6, 1f);
        float[] mu;
        try (Tape.Scope ignored = Tape.noGrad()) {
            Var out = e.predict(Var.of(x, n, 6));
            assertThat(out.shape()).containsExactly(3, n, 3);
            mu = out.toArray();
        }
        for (int k = 0; k < 3; k++) {
            double[] ref = byHand(e, k, x, n);
            for (int i = 0; i < ref.length; i++) assertThat((double) mu[k * n * 3 + i]).isCloseTo(ref[i], within(1e-5));
        }
        assertThatThrownBy(() -> e.predict(Var.of(x, n * 6 / 7, 7))).hasMessageContaining("expected [N, 6] (features then action)");
    }

    @Test
    void headLossAndDisagreementGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(3);
        int k = 2, n = 4, in = 3, hidden = 4, s = 2;
        Var x = Var.of(normal(rng, k * n * in, 1f), k, n, in), y = Var.of(normal(rng, k * n * s, 1f), k, n, s);
        Var w0 = Var.leaf(normal(rng, k * in * hidden, 0.5f), k, in, hidden), b0 = Var.leaf(normal(rng, k * hidden, 0.5f), k, 1, hidden);
        Var w1 = Var.leaf(normal(rng, k * hidden * s, 0.5f), k, hidden, s), b1 = Var.leaf(normal(rng, k * s, 0.5f), k, 1, s);
        GradCheck.elementwise("ensemble loss", v -> Ensemble.loss(x, y, List.of(v[0], v[2]), List.of(v[1], v[3]), Activation.TANH),
                w0, b0, w1, b1);
        // the shared input [N, In], broadcast over the members (stride-0 batched GEMM), through the disagreement
        Var shared = Var.leaf(normal(rng, n * in, 1f), n, in);
        GradCheck.elementwise("disagreement", v -> latte.autodiff.ReduceOps.sum(Ensemble.disagreement(
                Ensemble.forward(v[0], List.of(v[1], w1), List.of(b0, b1), Activation.TANH))), shared, w0);
    }

    @Test
    void bootstrapIsDeterministicForASeedAndDiffersBetweenMembers() {
        int[][] a = Ensemble.bootstrap(4, 50, new Rng(5)), b = Ensemble.bootstrap(4, 50, new Rng(5)), c = Ensemble.bootstrap(4, 50, new Rng(6));
        assertThat(a).isDeepEqualTo(b);
        assertThat(Arrays.deepEquals(a, c)).isFalse();
        for (int i = 0; i < 4; i++) {
            assertThat(Arrays.stream(a[i]).allMatch(j -> j >= 0 && j < 50)).isTrue();
            assertThat(Arrays.stream(a[i]).distinct().count()).isLessThan(50);           // with replacement: about 63% distinct
            for (int j = 0; j < i; j++) assertThat(a[i]).isNotEqualTo(a[j]);
        }
        // a whole update is reproducible from the constructor's seed
        Ensemble.Data d = new Ensemble.Data(20, normal(new Rng(7), 20 * 3, 1f), normal(new Rng(8), 20 * 2, 1f));
        float[][] after = new float[2][];
        for (int r = 0; r < 2; r++) {
            Ensemble e = new Ensemble(2, 1, 2, config(3, 8, 1, 1e-2), Activation.ELU, new Rng(9));
            e.update(d);
            e.update(d);
            after[r] = Arrays.copyOf(e.store().values(), e.store().size());
        }
        assertThat(after[1]).containsExactly(after[0]);
    }

    @Test
    void identicalMembersDisagreeNotAtAll() {
        Ensemble e = new Ensemble(3, 1, 2, config(4, 8, 2, 1e-3), Activation.ELU, new Rng(10));
        Var f = Var.of(normal(new Rng(11), 30, 2f), 10, 3), a = Var.of(normal(new Rng(12), 10, 1f), 10, 1);
        try (Tape.Scope ignored = Tape.noGrad()) {
            for (float d : e.disagreement(f, a).toArray()) assertThat(d).isGreaterThan(1e-6f);   // independent initialisations disagree
            e.cloneMember(2);
            assertThat(e.disagreement(f, a).toArray()).containsOnly(0f);
        }
    }

    /** y(x, a) = [sin(2 x) + a, x a] on x, a ~ U(-1, 1). */
    private static Ensemble.Data toy(int n, float lo, float hi, Rng rng) {
        float[] in = new float[n * 2], out = new float[n * 2];
        for (int i = 0; i < n; i++) {
            float x = rng.uniform(lo, hi) * (rng.bernoulli(0.5) ? 1 : -1), a = rng.uniform(lo, hi) * (rng.bernoulli(0.5) ? 1 : -1);
            in[2 * i] = x;
            in[2 * i + 1] = a;
            out[2 * i] = (float) Math.sin(2 * x) + a;
            out[2 * i + 1] = x * a;
        }
        return new Ensemble.Data(n, in, out);
    }

    private static double meanDisagreement(Ensemble e, Ensemble.Data d) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            float[] x = d.inputs();
            Var f = Var.of(Arrays.copyOf(x, x.length), d.n(), 2);
            float[] dis = Ensemble.disagreement(e.predict(f)).toArray();
            double s = 0;
            for (float v : dis) s += v;
            return s / dis.length;
        }
    }

    @Test
    void afterTrainingOnANarrowRangeTheMembersAgreeThereAndDisagreeFarFromIt() {
        Ensemble e = new Ensemble(1, 1, 2, config(5, 32, 2, 3e-3), Activation.ELU, new Rng(13));
        Ensemble.Data train = toy(256, 0f, 1f, new Rng(14));
        float first = e.update(train), last = first;
        for (int i = 0; i < 600; i++) last = e.update(train);
        assertThat(last).isLessThan(first / 20);                                         // the regression is learned
        double inside = meanDisagreement(e, toy(200, 0f, 1f, new Rng(15)));
        double outside = meanDisagreement(e, toy(200, 4f, 6f, new Rng(16)));
        assertThat(outside).isGreaterThan(20 * inside);
    }

    @Test
    void theIntrinsicRewardIsTheDisagreementOfTheTransitionsAction() {
        Ensemble e = new Ensemble(3, 2, 2, config(3, 8, 1, 1e-3), Activation.ELU, new Rng(17));
        int n = 5;
        Var from = Var.of(normal(new Rng(18), n * 3, 1f), n, 3), act = Var.of(normal(new Rng(19), n * 2, 1f), n, 2);
        Var to = Var.of(normal(new Rng(20), n * 3, 1f), n, 3);
        Supplier<Var> fromS = () -> from, actS = () -> act;
        RewardSource.Transitions t = new RewardSource.Transitions(to, fromS, actS);
        try (Tape.Scope ignored = Tape.noGrad()) {
            float[] r = new Disagreement(e, 1f).reward(t).toArray(), half = new Disagreement(e, 0.5f).reward(t).toArray();
            float[] mu = e.predict(latte.autodiff.ShapeOps.concat(1, from, act)).toArray();   // [3, n, 2]
            for (int i = 0; i < n; i++) {
                double var = 0;
                for (int d = 0; d < 2; d++) {
                    double m = 0, q = 0;
                    for (int k = 0; k < 3; k++) m += mu[(k * n + i) * 2 + d] / 3.0;
                    for (int k = 0; k < 3; k++) q += Math.pow(mu[(k * n + i) * 2 + d] - m, 2) / 3.0;
                    var += q / 2;
                }
                assertThat((double) r[i]).isCloseTo(var, within(1e-6 + 1e-4 * var));
                assertThat(half[i]).isCloseTo(r[i] / 2, within(1e-7f));
            }
        }
    }
}
