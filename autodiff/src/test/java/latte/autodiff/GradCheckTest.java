package latte.autodiff;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The checker itself must fail on wrong gradients (otherwise every gradient test could pass vacuously). */
class GradCheckTest {
    /** y = x^2 with a deliberately wrong backward dx += 2.2 x dy. */
    static Var badSquare(Var x) {
        float[] y = new float[x.size];
        for (int i = 0; i < x.size; i++) y[i] = x.data[x.off + i] * x.data[x.off + i];
        Var out = new Var(y, 0, x.shape.clone(), Tape.recording());
        if (Tape.recording()) Tape.current().add("badSquare", out, () -> {
            float[] g = x.g();
            for (int i = 0; i < x.size; i++) g[x.goff + i] += 2.2f * x.data[x.off + i] * out.grad[i];
        });
        return out;
    }

    /** Broadcast add whose backward forgets to sum over the broadcast rows (only row 0 counts). */
    static Var badBroadcastAdd(Var a, Var bias) {
        int n = bias.size, rows = a.size / n;
        float[] y = new float[a.size];
        for (int i = 0; i < a.size; i++) y[i] = a.data[i] + bias.data[i % n];
        Var out = new Var(y, 0, a.shape.clone(), Tape.recording());
        if (Tape.recording()) Tape.current().add("badAdd", out, () -> {
            for (int i = 0; i < a.size; i++) a.g()[i] += out.grad[i];
            for (int j = 0; j < n; j++) bias.g()[j] += out.grad[j];
            if (rows < 2) throw new IllegalStateException("test needs rows >= 2");
        });
        return out;
    }

    @Test
    void elementwiseCatchesAWrongDerivative() {
        Var x = Var.leaf(new float[] {0.5f, -1f, 2f}, 3);
        assertThatThrownBy(() -> GradCheck.elementwise("bad", v -> badSquare(v[0]), x))
                .isInstanceOf(AssertionError.class).hasMessageContaining("bad: d/d input 0");
    }

    @Test
    void catchesAMissingBroadcastReduction() {
        assertThatThrownBy(() -> GradCheck.elementwise("badAdd", v -> badBroadcastAdd(v[0], v[1]),
                Var.leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Var.leaf(new float[] {1, 2, 3}, 3)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("input 1");
    }

    @Test
    void projectedCatchesAWrongDerivative() {
        float[] d = new float[400];
        for (int i = 0; i < d.length; i++) d[i] = (float) Math.sin(i);
        assertThatThrownBy(() -> GradCheck.projected("bad", 3, v -> badSquare(v[0]), Var.leaf(d, 20, 20)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("direction");
    }

    @Test
    void inputsMustRequireGrad() {
        assertThatThrownBy(() -> GradCheck.elementwise("c", v -> Ops.exp(v[0]), Var.of(new float[] {1}, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Var.leaf");
    }
}
