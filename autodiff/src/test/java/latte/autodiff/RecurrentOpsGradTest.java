package latte.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

/** The fused LSTM ops: against the composed cell, by finite differences, and a sequence against stepped cells. */
class RecurrentOpsGradTest {
    private final Rng rnd = new Rng(12);

    Var randn(float scale, int... shape) {
        float[] d = new float[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = scale * rnd.normal();
        return Var.leaf(d, shape);
    }

    /** Both outputs of a step in one Var, so one check covers dh' and dc'. */
    static Var both(LstmState s) {
        return ShapeOps.concat(0, s.h(), s.c());
    }

    @Test
    void fusedCellMatchesComposedAndGradChecks() {
        for (int[] s : new int[][] {{2, 3, 4}, {1, 1, 1}, {5, 7, 19}, {3, 2, 33}}) { // B, In, H: odd sizes, SIMD tails
            int b = s[0], in = s[1], h = s[2];
            float w = (float) (1 / Math.sqrt(h));
            Var x = randn(1, b, in), hv = randn(1, b, h), cv = randn(1, b, h);
            Var wi = randn(w, 4 * h, in), wh = randn(w, 4 * h, h), bi = randn(w, 4 * h), bh = randn(w, 4 * h);
            float[] fused = both(RecurrentOps.lstmCell(x, hv, cv, wi, wh, bi, bh)).toArray();
            float[] composed = both(RecurrentOps.lstmCellComposed(x, hv, cv, wi, wh, bi, bh)).toArray();
            for (int i = 0; i < fused.length; i++) assertThat((double) fused[i]).isCloseTo(composed[i], within(2e-5));
            String what = "fused lstmCell " + Arrays.toString(s);
            if (b * h <= 40)
                GradCheck.elementwise(what, v -> both(RecurrentOps.lstmCell(v[0], v[1], v[2], v[3], v[4], v[5], v[6])), x, hv, cv, wi, wh, bi, bh);
            else
                GradCheck.projected(what, 4, v -> both(RecurrentOps.lstmCell(v[0], v[1], v[2], v[3], v[4], v[5], v[6])), x, hv, cv, wi, wh, bi, bh);
        }
        GradCheck.elementwise("composed lstmCell", v -> both(RecurrentOps.lstmCellComposed(v[0], v[1], v[2], v[3], v[4], v[5], v[6])),
                randn(1, 2, 3), randn(1, 2, 2), randn(1, 2, 2), randn(0.5f, 8, 3), randn(0.5f, 8, 2), randn(0.5f, 8), randn(0.5f, 8));
        GradCheck.elementwise("fused lstmCell no bias", v -> both(RecurrentOps.lstmCell(v[0], v[1], v[2], v[3], v[4], null, null)),
                randn(1, 2, 2), randn(1, 2, 3), randn(1, 2, 3), randn(0.5f, 12, 2), randn(0.5f, 12, 3));
    }

    @Test
    void onlyOneOutputUsedOrSomeInputsConstant() {
        Var x = randn(1, 2, 3), wi = randn(0.5f, 16, 3), wh = randn(0.5f, 16, 4), bi = randn(0.5f, 16);
        Var h = Var.of(randn(1, 2, 4).toArray(), 2, 4), c = Var.of(randn(1, 2, 4).toArray(), 2, 4);
        GradCheck.elementwise("h' only, constant state", v -> RecurrentOps.lstmCell(v[0], h, c, v[1], v[2], v[3], null).h(), x, wi, wh, bi);
        GradCheck.elementwise("c' only", v -> RecurrentOps.lstmCell(v[0], v[1], v[2], wi, wh, bi, null).c(), x, randn(1, 2, 4), randn(1, 2, 4));
    }

    @Test
    void sequenceMatchesSteppedCellsInValueAndGradient() {
        int t = 4, b = 3, in = 5, h = 17;
        Var xs = randn(1, t, b, in), h0 = randn(1, b, h), c0 = randn(1, b, h);
        Var wi = randn(0.3f, 4 * h, in), wh = randn(0.3f, 4 * h, h), bi = randn(0.3f, 4 * h), bh = randn(0.3f, 4 * h);
        Var[] leaves = {xs, h0, c0, wi, wh, bi, bh};
        float[] seed = randn(1, 2 * t * b * h).toArray();
        float[][] gradSeq = new float[leaves.length][], gradStep = new float[leaves.length][];
        float[] valSeq, valStep;
        try (Tape tape = Tape.record()) {
            LstmState s = RecurrentOps.lstm(xs, h0, c0, wi, wh, bi, bh);
            Var out = ShapeOps.concat(0, s.h(), s.c());
            valSeq = out.toArray();
            tape.backward(out, seed);
        }
        for (int k = 0; k < leaves.length; k++) gradSeq[k] = leaves[k].gradArray();
        try (Tape tape = Tape.record()) {
            Var hh = h0, cc = c0;
            Var[] hs = new Var[t], cs = new Var[t];
            for (int s = 0; s < t; s++) {
                LstmState st = RecurrentOps.lstmCell(Composites.select(xs, 0, s), hh, cc, wi, wh, bi, bh);
                hs[s] = hh = st.h();
                cs[s] = cc = st.c();
            }
            Var out = ShapeOps.concat(0, Composites.stack(0, hs), Composites.stack(0, cs));
            valStep = out.toArray();
            tape.backward(out, seed);
        }
        for (int k = 0; k < leaves.length; k++) {
            float[] g = leaves[k].gradArray();
            gradStep[k] = new float[g.length];
            for (int i = 0; i < g.length; i++) gradStep[k][i] = g[i] - gradSeq[k][i];    // grads accumulate across tapes
        }
        for (int i = 0; i < valSeq.length; i++) assertThat((double) valSeq[i]).isCloseTo(valStep[i], within(2e-5));
        for (int k = 0; k < leaves.length; k++)
            for (int i = 0; i < gradSeq[k].length; i++)
                assertThat((double) gradSeq[k][i]).as("leaf %d element %d", k, i).isCloseTo(gradStep[k][i], within(1e-4));
    }

    @Test
    void sequenceGradChecks() {
        GradCheck.elementwise("lstm sequence", v -> both(RecurrentOps.lstm(v[0], v[1], v[2], v[3], v[4], v[5], v[6])),
                randn(1, 3, 2, 3), randn(1, 2, 4), randn(1, 2, 4), randn(0.5f, 16, 3), randn(0.5f, 16, 4), randn(0.5f, 16), randn(0.5f, 16));
        GradCheck.elementwise("lstm sequence zero start, no bias, h only", v -> RecurrentOps.lstm(v[0], null, null, v[1], v[2], null, null).h(),
                randn(1, 2, 2, 3), randn(0.5f, 8, 3), randn(0.5f, 8, 2));
        GradCheck.projected("lstm sequence tails", 6, v -> both(RecurrentOps.lstm(v[0], v[1], v[2], v[3], v[4], v[5], v[6])),
                randn(1, 5, 3, 7), randn(1, 3, 19), randn(1, 3, 19), randn(0.3f, 76, 7), randn(0.3f, 76, 19), randn(0.3f, 76), randn(0.3f, 76));
    }

    @Test
    void stepOfASequenceCarriesOn() {
        Var xs = randn(1, 5, 2, 3), wi = randn(0.5f, 16, 3), wh = randn(0.5f, 16, 4);
        LstmState all;
        try (Tape.Scope _ = Tape.noGrad()) {
            all = RecurrentOps.lstm(xs, null, null, wi, wh, null, null);
            LstmState first = RecurrentOps.lstm(ShapeOps.slice(xs, 0, 0, 3), null, null, wi, wh, null, null);
            LstmState rest = RecurrentOps.lstm(ShapeOps.slice(xs, 0, 3, 5), first.step(2).h(), first.step(2).c(), wi, wh, null, null);
            assertThat(rest.h().toArray()).containsExactly(ShapeOps.slice(all.h(), 0, 3, 5).toArray());
            assertThat(rest.c().toArray()).containsExactly(ShapeOps.slice(all.c(), 0, 3, 5).toArray());
            assertThat(first.step(2).h().requiresGrad()).isFalse();
        }
    }

    @Test
    void badShapesAreClearErrors() {
        Var x = randn(1, 2, 3), h = randn(1, 2, 4);
        assertThatThrownBy(() -> RecurrentOps.lstmCell(x, h, h, randn(1, 12, 3), randn(1, 16, 4), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lstmCell: wi [12, 3]").hasMessageContaining("wi [4H, In]");
        assertThatThrownBy(() -> RecurrentOps.lstmCell(x, h, randn(1, 2, 5), randn(1, 16, 3), randn(1, 16, 4), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h and c [B, H]");
        assertThatThrownBy(() -> RecurrentOps.lstm(x, null, null, randn(1, 16, 3), randn(1, 16, 4), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected [T, B, In]");
        assertThatThrownBy(() -> RecurrentOps.lstm(randn(1, 4, 2, 3), randn(1, 3, 4), null, randn(1, 16, 3), randn(1, 16, 4), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial state [3, 4], expected [2, 4]");
    }
}
