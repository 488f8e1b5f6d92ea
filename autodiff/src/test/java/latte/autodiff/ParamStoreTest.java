package latte.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParamStoreTest {
    @Test
    void hierarchicalNamesAndOneFlatLayout() {
        ParamStore s = new ParamStore();
        Params enc = s.scope("encoder").sub("conv1");
        Var w = enc.param("weight", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Var b = enc.constant("bias", 0.5f, 3);
        assertThat(s.params()).extracting(ParamStore.Param::name).containsExactly("encoder.conv1.weight", "encoder.conv1.bias");
        assertThat(s.param("encoder.conv1.bias").offset()).isEqualTo(6);
        assertThat(s.size()).isEqualTo(9);
        assertThat(w.name()).isEqualTo("encoder.conv1.weight");
        assertThat(b.toArray()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThatThrownBy(() -> enc.zeros("weight", 1)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> enc.zeros("a.b", 1)).hasMessageContaining("no '.'");
        assertThatThrownBy(() -> s.param("nope")).hasMessageContaining("nope");
    }

    @Test
    void growingKeepsViewsLive() {
        ParamStore s = new ParamStore();
        Var first = s.root().param("first", new float[] {7}, 1);
        for (int i = 0; i < 50; i++) s.root().zeros("p" + i, 17); // forces several reallocations
        s.values()[0] = 8f;
        assertThat(first.item()).isEqualTo(8f);
        assertThat(s.size()).isEqualTo(1 + 50 * 17);
    }

    @Test
    void backwardAccumulatesIntoTheFlatGrads() {
        ParamStore s = new ParamStore();
        Var a = s.root().param("a", new float[] {1, 2}, 2);
        Var b = s.root().param("b", new float[] {3}, 1);
        for (int step = 0; step < 2; step++) {
            try (Tape t = Tape.record()) {
                t.backward(ReduceOps.sum(Ops.mul(a, b))); // d/da = b, d/db = a0 + a1
            }
        }
        assertThat(java.util.Arrays.copyOf(s.grads(), 3)).containsExactly(6, 6, 6);
        assertThat(a.gradArray()).containsExactly(6, 6);
        s.zeroGrad();
        assertThat(s.gradNorm()).isZero();
    }
}
