package latte.models.rssm;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.core.Rng;
import latte.models.world.RssmWorldModel;
import org.junit.jupiter.api.Test;

/** DreamerV2's categorical state: KL, KL balancing, the straight-through gradient and the RSSM's shapes. */
class CategoricalLatentTest {
    // two variables of three classes per row, two rows
    private static final float[] Q = {0.5f, -1f, 2f, 0f, 0f, 0f, 1f, 2f, 3f, -2f, 0.5f, 0.25f};
    private static final float[] P = {1f, 1f, -0.5f, 3f, -1f, 0f, 0f, 0f, 0f, 1f, -1f, 2f};

    private static double[] softmax(float[] l, int off, int k) {
        double m = Double.NEGATIVE_INFINITY, z = 0;
        for (int i = 0; i < k; i++) m = Math.max(m, l[off + i]);
        double[] p = new double[k];
        for (int i = 0; i < k; i++) z += p[i] = Math.exp(l[off + i] - m);
        for (int i = 0; i < k; i++) p[i] /= z;
        return p;
    }

    /** sum over variables of sum_k q_k ln(q_k / p_k), by hand in double. */
    private static double handKl(float[] q, float[] p, int row, int vars, int k) {
        double kl = 0;
        for (int v = 0; v < vars; v++) {
            int off = (row * vars + v) * k;
            double[] a = softmax(q, off, k), b = softmax(p, off, k);
            for (int i = 0; i < k; i++) kl += a[i] * Math.log(a[i] / b[i]);
        }
        return kl;
    }

    @Test
    void klOfCategoricalsMatchesAHandComputation() {
        try (Tape.Scope s = Tape.noGrad()) {
            Var kl = Latent.kl(Latent.OneHot.of(Var.of(Q, 2, 6), 2, 3), Latent.OneHot.of(Var.of(P, 2, 6), 2, 3));
            assertThat(kl.shape()).containsExactly(2);
            for (int r = 0; r < 2; r++) assertThat((double) kl.at(r)).isCloseTo(handKl(Q, P, r, 2, 3), within(1e-5));
            Var self = Latent.kl(Latent.OneHot.of(Var.of(Q, 2, 6), 2, 3), Latent.OneHot.of(Var.of(Q, 2, 6), 2, 3));
            assertThat(self.toArray()).containsOnly(0f);
        }
    }

    /**
     * alpha KL(sg(q) || p) + (1 - alpha) KL(q || sg(p)) has KL's value, and its gradient is KL's
     * scaled by (1 - alpha) on q's logits and by alpha on p's.
     */
    @Test
    void klBalancingSplitsTheGradient() {
        float alpha = 0.8f;
        float[][] plain = klGrads(0f), balanced = klGrads(alpha);
        for (int i = 0; i < Q.length; i++) {
            assertThat(balanced[0][i]).isCloseTo((1 - alpha) * plain[0][i], within(1e-6f));
            assertThat(balanced[1][i]).isCloseTo(alpha * plain[1][i], within(1e-6f));
        }
        assertThat(balanced[2][0]).isCloseTo(plain[2][0], within(1e-5f));
        assertThat((double) plain[2][0]).isCloseTo(handKl(Q, P, 0, 2, 3) + handKl(Q, P, 1, 2, 3), within(1e-5));
        // gradient of sum KL on q's logits is nonzero (else the split above would be vacuous)
        double norm = 0;
        for (float g : plain[0]) norm += g * g;
        assertThat(norm).isGreaterThan(1e-3);
    }

    private static float[][] klGrads(float alpha) {
        Var q = Var.leaf(Q.clone(), 2, 6), p = Var.leaf(P.clone(), 2, 6);
        try (Tape tape = Tape.record()) {
            Var loss = sum(RssmWorldModel.klTerm(Latent.OneHot.of(q, 2, 3), Latent.OneHot.of(p, 2, 3), alpha));
            tape.backward(loss);
            return new float[][] {q.gradArray(), p.gradArray(), {loss.item()}};
        }
    }

    /**
     * Straight-through: the sample is one-hot, and d/dlogits of sum(w * sample) equals the
     * gradient through the probabilities, p_k (w_k - sum_j p_j w_j) per variable.
     */
    @Test
    void straightThroughGradientIsTheGradientThroughTheProbabilities() {
        float[] w = {0.3f, -1f, 2f, 1.5f, 0.2f, -0.7f, -0.4f, 0.9f, 0.1f, 2f, -3f, 0.6f};
        Var logits = Var.leaf(Q.clone(), 2, 6);
        Var sample;
        try (Tape tape = Tape.record()) {
            sample = Latent.OneHot.of(logits, 2, 3).rsample(new Rng(5));                     // [2, 6]
            tape.backward(sum(mul(sample, Var.of(w, 2, 6))));
        }
        float[] s = sample.toArray(), g = logits.gradArray();
        for (int block = 0; block < 4; block++) {
            int off = block * 3;
            assertThat(s[off] + s[off + 1] + s[off + 2]).isEqualTo(1f);
            for (int i = 0; i < 3; i++) assertThat(s[off + i]).isIn(0f, 1f);
            double[] p = softmax(Q, off, 3);
            double pw = 0;
            for (int i = 0; i < 3; i++) pw += p[i] * w[off + i];
            for (int i = 0; i < 3; i++) assertThat((double) g[off + i]).isCloseTo(p[i] * (w[off + i] - pw), within(1e-6));
        }
    }

    @Test
    void observeAndImagineCarryFlattenedOneHots() {
        Rssm.Config c = new Rssm.Config(6, 3, 5, 0.1f, Activation.ELU).categorical(3, 4);
        Rng rng = new Rng(0);
        Rssm rssm = new Rssm(new ParamStore().root(), c, 2, 4, rng);
        assertThat(c.stateSize()).isEqualTo(12);
        assertThat(rssm.featureSize()).isEqualTo(6 + 12);
        List<Var> e = new ArrayList<>(), a = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            e.add(Var.full(0.1f * t, 5, 4));
            a.add(Var.full(-0.2f * t, 5, 2));
        }
        try (Tape.Scope s = Tape.noGrad()) {
            List<Rssm.Step> steps = rssm.observe(rssm.initial(5), e, a, true, new Rng(1));
            assertThat(steps).hasSize(3);
            assertThat(steps.get(2).state().s().shape()).containsExactly(5, 12);
            assertThat(Rssm.features(steps.get(2).state()).shape()).containsExactly(5, 18);
            assertOneHots(steps.get(2).state().s().toArray(), 5 * 3, 4);
            assertThat(steps.get(1).prior().mean().shape()).containsExactly(5, 12);
            assertThat(Latent.kl(steps.get(1).posterior(), steps.get(1).prior()).shape()).containsExactly(5);
            List<Rssm.State> out = rssm.imagine(steps.get(2).state(), a, new Rng(2));
            assertThat(out).hasSize(3);
            assertThat(out.get(2).h().shape()).containsExactly(5, 6);
            assertThat(out.get(2).s().shape()).containsExactly(5, 12);
            assertOneHots(out.get(2).s().toArray(), 5 * 3, 4);
        }
    }

    private static void assertOneHots(float[] s, int blocks, int k) {
        for (int b = 0; b < blocks; b++) {
            float sum = 0;
            for (int i = 0; i < k; i++) {
                assertThat(s[b * k + i]).isIn(0f, 1f);
                sum += s[b * k + i];
            }
            assertThat(sum).isEqualTo(1f);
        }
    }

    @Test
    void badSizesAndMixedKindsAreRejected() {
        assertThatThrownBy(() -> new Rssm.Config(6, 3, 5, 0.1f, Activation.ELU).categorical(3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classes 1");
        assertThatThrownBy(() -> Latent.OneHot.of(Var.zeros(2, 5), 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 5]").hasMessageContaining("2 * 3");
        try (Tape.Scope s = Tape.noGrad()) {
            Latent g = new Rssm(new ParamStore().root(), new Rssm.Config(6, 6, 5, 0.1f, Activation.ELU), 2, 4, new Rng(0)).prior(Var.zeros(1, 6));
            assertThatThrownBy(() -> Latent.kl(Latent.OneHot.of(Var.zeros(1, 6), 2, 3), g))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("categorical 2 x 3");
        }
    }
}
