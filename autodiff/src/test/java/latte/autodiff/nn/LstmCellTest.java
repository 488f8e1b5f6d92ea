package latte.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import latte.autodiff.GradCheck;
import latte.autodiff.LstmState;
import latte.autodiff.Ops;
import latte.autodiff.ShapeOps;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

class LstmCellTest {
    private final Rng rng = new Rng(5);

    Var randn(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] a = new float[n];
        rng.fillNormal(a, 0, n, 0, 1);
        return Var.leaf(a, shape);
    }

    @Test
    void parametersAreLaidOutAsPyTorchsWithTheForgetBiasInTheFBlock() {
        ParamStore s = new ParamStore();
        LstmCell cell = new LstmCell(s.scope("rnn"), 35, 256, 1f, new Rng(1));
        assertThat(s.param("rnn.weight_ih").shape()).containsExactly(1024, 35);
        assertThat(s.param("rnn.weight_hh").shape()).containsExactly(1024, 256);
        assertThat(s.param("rnn.bias_ih").shape()).containsExactly(1024);
        assertThat(s.param("rnn.bias_hh").shape()).containsExactly(1024);
        assertThat(s.size()).isEqualTo(4 * 256 * (35 + 256 + 2));
        float[] bi = cell.biasIh().toArray();
        double bound = 1 / Math.sqrt(256);
        for (int j = 0; j < 1024; j++) {
            double centre = j >= 256 && j < 512 ? 1 : 0;                 // i, [f], g, o
            assertThat(Math.abs(bi[j] - centre)).as("bias_ih[%d]", j).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void layerGradChecksAndMatchesComposed() {
        ParamStore s = new ParamStore();
        LstmCell cell = new LstmCell(s.scope("c"), 3, 4, 1f, rng);
        Var x = randn(2, 3), h = randn(2, 4), c = randn(2, 4);
        LstmState fused = cell.apply(x, new LstmState(h, c)), composed = cell.applyComposed(x, new LstmState(h, c));
        float[] a = fused.h().toArray(), b = composed.h().toArray();
        for (int i = 0; i < a.length; i++) assertThat((double) a[i]).isCloseTo(b[i], within(1e-5));
        GradCheck.elementwise("lstm layer", v -> ShapeOps.concat(0, cell.apply(v[0], new LstmState(v[1], v[2])).h(),
                        cell.apply(v[0], new LstmState(v[1], v[2])).c()),
                x, h, c, cell.weightIh(), cell.weightHh(), cell.biasIh(), cell.biasHh());
        GradCheck.elementwise("lstm layer sequence", v -> cell.sequence(v[0], null).h(), randn(3, 2, 3),
                cell.weightIh(), cell.weightHh(), cell.biasIh(), cell.biasHh());
        assertThat(s.gradNorm()).isGreaterThan(0);                        // accumulated into the store
    }

    @Test
    void steppingWithZeroStateEqualsTheSequence() {
        ParamStore s = new ParamStore();
        LstmCell cell = new LstmCell(s.scope("c"), 3, 5, 1f, rng);
        Var xs = randn(4, 2, 3);
        try (Tape.Scope _ = Tape.noGrad()) {
            LstmState all = cell.sequence(xs, null), st = cell.zeroState(2);
            for (int t = 0; t < 4; t++) {
                st = cell.apply(ShapeOps.reshape(ShapeOps.slice(xs, 0, t, t + 1), 2, 3), st);
                float[] want = all.step(t).h().toArray(), got = st.h().toArray();
                for (int i = 0; i < got.length; i++) assertThat((double) got[i]).isCloseTo(want[i], within(1e-6));
            }
        }
    }

    @Test
    void wrongShapesAreClearErrors() {
        LstmCell cell = new LstmCell(new ParamStore().scope("c"), 3, 5, 0f, rng);
        assertThatThrownBy(() -> cell.apply(randn(2, 4), cell.zeroState(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LstmCell(3 -> 5): x [2, 4]");
        assertThatThrownBy(() -> cell.sequence(randn(2, 3), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected x [T, B, 3]");
        assertThatThrownBy(() -> new LstmCell(new ParamStore().scope("c"), 3, 0, 0f, rng))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden=0");
    }
}
