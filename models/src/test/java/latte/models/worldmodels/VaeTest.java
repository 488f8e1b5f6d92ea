package latte.models.worldmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.optim.Adam;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

class VaeTest {
    static final int PIXELS = 64 * 64 * 3;

    @Test
    void paperSizeHasThePapersParameterCountAndShapes() {
        Vae v = new Vae(Vae.Size.paper(), Vae.KL_TOLERANCE, new Rng(1));
        assertThat(v.store().size()).isEqualTo(4_348_547);                  // the paper's table 1: V has 4,348,547 parameters
        Vae small = new Vae(Vae.Size.debug(), Vae.KL_TOLERANCE, new Rng(1));
        try (Tape.Scope _ = Tape.noGrad()) {
            Vae.Posterior q = small.encode(Var.zeros(3, 64, 64, 3));
            assertThat(q.mu().shape()).containsExactly(3, 4);
            assertThat(q.logVar().shape()).containsExactly(3, 4);
            Var x = small.decode(small.sample(q, new Rng(2)));
            assertThat(x.shape()).containsExactly(3, 64, 64, 3);
            for (float p : x.toArray()) assertThat(p).isStrictlyBetween(0f, 1f);
        }
        assertThatThrownBy(() -> small.decode(Var.zeros(2, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("z [2, 5], expected [N, 4]");
        assertThatThrownBy(() -> new Vae(Vae.Size.debug(), -1f, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("klTolerance -1.0");
    }

    /** KL_n = -1/2 Σ (1 + lv - μ² - e^lv); the term is mean_n max(KL_n, τ z), with no gradient below the floor. */
    @Test
    void klToleranceByHand() {
        int z = 4;
        float[] mu = {0.1f, 0.1f, 0.1f, 0.1f, 2f, -1f, 0f, 0.5f}, lv = {0, 0, 0, 0, 0.3f, -0.2f, 0, 0};
        Var m = Var.leaf(mu, 2, z), l = Var.leaf(lv, 2, z);
        double kl0 = 0, kl1 = 0;
        for (int i = 0; i < z; i++) {
            kl0 += -0.5 * (1 + lv[i] - mu[i] * mu[i] - Math.exp(lv[i]));
            kl1 += -0.5 * (1 + lv[z + i] - mu[z + i] * mu[z + i] - Math.exp(lv[z + i]));
        }
        assertThat(kl0).isLessThan(0.5 * z);                              // frame 0 under the floor: 0.02 nats
        assertThat(kl1).isGreaterThan(0.5 * z);                           // frame 1 above it
        try (Tape tape = Tape.record()) {
            Var term = Vae.klTerm(new Vae.Posterior(m, l), 0.5f);
            assertThat((double) term.item()).isCloseTo((0.5 * z + kl1) / 2, within(1e-5));
            tape.backward(term);
        }
        float[] g = m.gradArray(), gl = l.gradArray();
        for (int i = 0; i < z; i++) {
            assertThat(g[i]).as("frame under the floor: d/d mu").isEqualTo(0f);
            assertThat(gl[i]).as("frame under the floor: d/d logvar").isEqualTo(0f);
            assertThat((double) g[z + i]).as("d/d mu = mu / N").isCloseTo(mu[z + i] / 2.0, within(1e-6));
            assertThat((double) gl[z + i]).as("d/d lv = (e^lv - 1) / 2N").isCloseTo((Math.exp(lv[z + i]) - 1) / 4, within(1e-6));
        }
        // no tolerance: the plain KL
        try (Tape.Scope _ = Tape.noGrad()) {
            assertThat((double) Vae.klTerm(new Vae.Posterior(m, l), 0f).item()).isCloseTo((kl0 + kl1) / 2, within(1e-6));
        }
    }

    /**
     * Two frames with different gradients. The best reconstruction blind to z is the mean image;
     * the trained VAE must do clearly better, so its code carries which frame it saw.
     */
    @Test
    void lossFallsBelowTheMeanImageOnATinyDataset() {
        int n = 2;
        float[] f = new float[n * PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            f[i] = 0.8f - 0.4f * (i / 192) / 64f;                           // darker downwards
            f[PIXELS + i] = 0.2f + 0.4f * (i % 192) / 192f;                 // brighter rightwards
        }
        double meanImage = 0;                                               // Σ_pixels var over the frames (per frame)
        for (int i = 0; i < PIXELS; i++) meanImage += Math.pow((f[i] - f[PIXELS + i]) / 2.0, 2);
        Var frames = Var.of(f, n, 64, 64, 3);
        Vae v = new Vae(Vae.Size.debug(), Vae.KL_TOLERANCE, new Rng(5));
        Adam adam = new Adam(v.store(), Adam.Config.of(3e-3));
        Rng rng = new Rng(6);
        Vae.Losses first = v.trainStep(frames, adam, rng), last = first;
        for (int s = 0; s < 80; s++) last = v.trainStep(frames, adam, rng);
        assertThat(last.reconstruction()).isLessThan(0.75f * (float) meanImage);
        assertThat(last.total().item()).isLessThan(0.5f * first.total().item());
        assertThat(last.kl()).isGreaterThanOrEqualTo(0.5f * 4 - 1e-5f);    // never below the tolerance floor
        assertThat(v.store().gradNorm()).isZero();                          // trainStep leaves the gradients zeroed
    }

    @Test
    void reconstructsAConstantImage() {
        float grey = 0.3f;
        float[] f = new float[4 * PIXELS];
        java.util.Arrays.fill(f, grey);
        Var frames = Var.of(f, 4, 64, 64, 3);
        Vae v = new Vae(Vae.Size.debug(), Vae.KL_TOLERANCE, new Rng(5));
        Adam adam = new Adam(v.store(), Adam.Config.of(1e-2));
        Rng rng = new Rng(6);
        for (int s = 0; s < 100; s++) v.trainStep(frames, adam, rng);
        try (Tape.Scope _ = Tape.noGrad()) {
            float[] out = v.decode(v.encode(Var.of(java.util.Arrays.copyOf(f, PIXELS), 1, 64, 64, 3)).mu()).toArray();
            double worst = 0, sq = 0;
            for (float p : out) {
                worst = Math.max(worst, Math.abs(p - grey));
                sq += (p - grey) * (p - grey);
            }
            assertThat(Math.sqrt(sq / PIXELS)).isLessThan(0.03);           // the borders of the deconvolutions lag behind
            assertThat(worst).isLessThan(0.15);
        }
    }

    @Test
    void toUnitMapsBytesToTheUnitInterval() {
        float[] out = new float[3];
        Vae.toUnit(new byte[] {0, (byte) 255, (byte) 51}, 0, 3, out, 0);
        assertThat(out).containsExactly(0f, 1f, 0.2f);
    }
}
