package latte.models.worldmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import latte.autodiff.GradCheck;
import latte.autodiff.LstmState;
import latte.autodiff.Ops;
import latte.autodiff.ShapeOps;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.optim.Adam;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

class MdnRnnTest {
    /**
     * A toy world: z' = 0.8 z + 0.5 a (first two dims; the third copies the first), small noise;
     * reward = a_0; done when z_0 > 1. Built as (mu, sigma) of T + 1 frames.
     */
    static MdnRnn.Sequences toy(int t, int b, Rng rng) {
        int z = 3, a = 2;
        float[] mu = new float[(t + 1) * b * z], sigma = new float[mu.length], act = new float[t * b * a];
        float[] rew = new float[t * b], done = new float[t * b];
        java.util.Arrays.fill(sigma, 0.05f);
        for (int j = 0; j < b; j++) {
            for (int i = 0; i < 2; i++) mu[j * z + i] = rng.normal();
            mu[j * z + 2] = mu[j * z];
            for (int s = 0; s < t; s++) {
                int o = (s * b + j) * z, n = ((s + 1) * b + j) * z, ao = (s * b + j) * a;
                act[ao] = rng.uniform(-1, 1);
                act[ao + 1] = rng.uniform(-1, 1);
                mu[n] = 0.8f * mu[o] + 0.5f * act[ao];
                mu[n + 1] = 0.8f * mu[o + 1] + 0.5f * act[ao + 1];
                mu[n + 2] = mu[n];
                rew[s * b + j] = act[ao];
                done[s * b + j] = mu[n] > 1 ? 1 : 0;
            }
        }
        return MdnRnn.sequences(t, b, z, mu, sigma, act, rew, done, rng);
    }

    @Test
    void paperSizeParameterCount() {
        MdnRnn m = new MdnRnn(MdnRnn.Size.paper(), new Rng(1));
        // the paper's 422,368 (LSTM with one bias vector + MDN head), plus PyTorch's second LSTM bias (1024)
        // and the reward and done heads (2 x 257)
        assertThat(m.store().size()).isEqualTo(422_368 + 1024 + 2 * 257);
    }

    @Test
    void lossFallsOnAToySequenceTask() {
        Rng rng = new Rng(2);
        MdnRnn m = new MdnRnn(new MdnRnn.Size(3, 2, 32, 3), new Rng(3));
        Adam adam = new Adam(m.store(), Adam.Config.of(1e-2));
        MdnRnn.Losses first = null, last = null;
        for (int s = 0; s < 120; s++) {
            last = m.trainStep(toy(8, 16, rng), MdnRnn.Weights.all(), adam, 1.0);
            if (first == null) first = last;
        }
        assertThat(last.mdn()).isLessThan(first.mdn() - 1.5f);               // nats per dimension
        assertThat(last.reward()).isLessThan(0.3f * first.reward());
        assertThat(last.done()).isLessThan(first.done());
        assertThat(m.store().gradNorm()).isZero();
    }

    @Test
    void lossGradChecksAtTinySize() {
        MdnRnn m = new MdnRnn(MdnRnn.Size.debug(), new Rng(4));
        MdnRnn.Sequences s = toy(3, 2, new Rng(5));
        List<ParamStore.Param> ps = m.store().params();
        Var[] params = ps.stream().map(ParamStore.Param::var).toArray(Var[]::new);
        GradCheck.elementwise("mdn-rnn loss", v -> m.loss(s, new MdnRnn.Weights(1, 0.5f, 2)).total(), params);
    }

    /** Stepping one step at a time with the carried (h, c) gives the sequence's states and likelihoods. */
    @Test
    void steppingWithTheStateCarryMatchesTheSequence() {
        MdnRnn m = new MdnRnn(MdnRnn.Size.debug(), new Rng(6));
        int t = 5, b = 2;
        MdnRnn.Sequences s = toy(t, b, new Rng(7));
        try (Tape.Scope _ = Tape.noGrad()) {
            float seqLoss = m.loss(s, MdnRnn.Weights.mdnOnly()).mdn();
            LstmState st = m.initialState(b);
            double nll = 0;
            for (int k = 0; k < t; k++) {
                Var z = ShapeOps.reshape(ShapeOps.slice(s.z(), 0, k, k + 1), b, 3), a = ShapeOps.reshape(ShapeOps.slice(s.actions(), 0, k, k + 1), b, 2);
                MdnRnn.Prediction p = m.step(z, a, st);
                st = p.state();
                assertThat(p.reward().shape()).containsExactly(b);
                assertThat(p.doneLogits().shape()).containsExactly(b);
                float[] lp = p.next().logProb(ShapeOps.reshape(ShapeOps.slice(s.nextZ(), 0, k, k + 1), b, 3)).toArray();
                for (float v : lp) nll -= v;
            }
            assertThat(nll / (t * b * 3)).isCloseTo(seqLoss, within(1e-5));
        }
    }

    @Test
    void sequencesSampleZFromThePosteriorsAndShiftTheTargets() {
        float[] mu = {1, 2, 3, 4, 5, 6}, sigma = new float[6];                // T = 2, B = 1, z = 2: frames (1,2) (3,4) (5,6)
        MdnRnn.Sequences s = MdnRnn.sequences(2, 1, 2, mu, sigma, new float[] {7, 8}, new float[] {0, 1}, new float[] {0, 0}, new Rng(1));
        assertThat(s.z().toArray()).containsExactly(1, 2, 3, 4);
        assertThat(s.nextZ().toArray()).containsExactly(3, 4, 5, 6);
        assertThat(s.actions().shape()).containsExactly(2, 1, 1);
        java.util.Arrays.fill(sigma, 1f);
        MdnRnn.Sequences noisy = MdnRnn.sequences(2, 1, 2, mu, sigma, new float[] {7, 8}, new float[] {0, 1}, new float[] {0, 0}, new Rng(1));
        assertThat(noisy.z().toArray()).isNotEqualTo(s.z().toArray());
        assertThat(noisy.nextZ().toArray()[0]).isEqualTo(noisy.z().toArray()[2]);   // one sample per frame, shared
        assertThatThrownBy(() -> MdnRnn.sequences(2, 1, 2, new float[5], sigma, new float[2], new float[2], new float[2], new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mu 5 and sigma 6 floats (expected 6 = [T+1, B, z])");
        MdnRnn m = new MdnRnn(MdnRnn.Size.debug(), new Rng(1));
        assertThatThrownBy(() -> m.loss(s, MdnRnn.Weights.all())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected [T, B, 3]");
    }
}
