package latte.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TapeTest {
    @Test
    void backwardTwiceIsAnError() {
        Var a = Var.leaf(new float[] {1, 2}, 2);
        try (Tape t = Tape.record()) {
            Var loss = ReduceOps.sum(Ops.square(a));
            t.backward(loss);
            assertThatThrownBy(() -> t.backward(loss)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already called");
        }
        assertThat(a.gradArray()).containsExactly(2, 4);
    }

    @Test
    void onlyLeavesKeepTheirGradientAfterBackward() {
        Var a = Var.leaf(new float[] {1, 2}, 2);
        Var y, loss;
        try (Tape t = Tape.record()) {
            y = Ops.square(a);                         // used twice: its gradient sums both uses
            loss = ReduceOps.sum(Ops.add(y, Ops.scale(y, 3f)));
            t.backward(loss);
        }
        assertThat(a.gradArray()).containsExactly(8, 16);   // d/da 4 a^2 = 8 a
        assertThat(y.hasGrad()).isFalse();
        assertThat(loss.hasGrad()).isFalse();
        assertThat(y.toArray()).containsExactly(1, 4);      // values stay
    }

    @Test
    void nonScalarWithoutSeedIsAnError() {
        Var a = Var.leaf(new float[] {1, 2}, 2);
        try (Tape t = Tape.record()) {
            Var y = Ops.square(a);
            assertThatThrownBy(() -> t.backward(y)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2]").hasMessageContaining("seed");
            t.backward(y, new float[] {1, 10});
        }
        assertThat(a.gradArray()).containsExactly(2, 40);
    }

    @Test
    void noGradRecordsNothing() {
        Var a = Var.leaf(new float[] {1, 2}, 2);
        try (Tape t = Tape.record()) {
            Var y;
            try (Tape.Scope _ = Tape.noGrad()) {
                y = Ops.exp(Ops.mul(a, a));
                assertThat(Tape.recording()).isFalse();
            }
            assertThat(Tape.recording()).isTrue();
            assertThat(y.requiresGrad()).isFalse();
            assertThat(t.size()).isZero();
            assertThatThrownBy(() -> t.backward(ReduceOps.sum(y))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not recorded");
        }
        assertThat(Tape.recording()).isFalse();
    }

    @Test
    void constantsDoNotRecord() {
        try (Tape t = Tape.record()) {
            Ops.add(Var.of(new float[] {1}, 1), Var.scalar(2));
            assertThat(t.size()).isZero();
        }
    }

    @Test
    void lossFromAnotherTapeIsAnError() {
        Var a = Var.leaf(new float[] {1}, 1);
        Var loss;
        try (Tape _ = Tape.record()) {
            loss = ReduceOps.sum(a);
        }
        try (Tape t2 = Tape.record()) {
            assertThatThrownBy(() -> t2.backward(loss)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void badShapesNameTheOp() {
        Var a = Var.of(new float[6], 2, 3), b = Var.of(new float[4], 4);
        assertThatThrownBy(() -> Ops.add(a, b)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add").hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> LayerOps.matmul(a, a)).hasMessageContaining("matmul: [2, 3] x [2, 3]");
        assertThatThrownBy(() -> ShapeOps.reshape(a, 4, -1)).hasMessageContaining("reshape");
        assertThatThrownBy(() -> ShapeOps.slice(a, 1, 2, 5)).hasMessageContaining("slice");
        assertThatThrownBy(() -> ShapeOps.take(a, 0, 2)).hasMessageContaining("take: index 2");
    }

    @Test
    void tensorInterop() {
        latte.core.Tensor t = latte.core.Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1); // a strided view
        Var v = Var.of(t);
        assertThat(v.shape()).containsExactly(3, 2);
        assertThat(v.toArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(v.value().toArray()).containsExactly(1, 4, 2, 5, 3, 6);
        Var leaf = Var.leaf(t);
        try (Tape tape = Tape.record()) {
            tape.backward(ReduceOps.sum(Ops.scale(leaf, 3f)));
        }
        assertThat(leaf.gradTensor().toArray()).containsExactly(3, 3, 3, 3, 3, 3);
        ParamStore s = new ParamStore();
        s.root().zeros("pad", 5);
        Var p = s.root().param("p", new float[] {7, 8}, 2);
        assertThat(p.value().toArray()).containsExactly(7, 8); // a view at an offset copies out
    }
}
