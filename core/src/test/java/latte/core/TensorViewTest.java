package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Views share the backing array and read the right elements (checked by index arithmetic). */
class TensorViewTest {
    private final Tensor x = Naive.ramp(2, 3, 4); // [2, 3, 4]
    private final float[] raw = x.toArray();

    private float at(int i, int j, int k) {
        return raw[Naive.flat(new int[] {2, 3, 4}, new int[] {i, j, k})];
    }

    @Test
    void creation() {
        assertThat(Tensor.zeros(2, 3).toArray()).containsOnly(0f).hasSize(6);
        assertThat(Tensor.ones(4).toArray()).containsExactly(1f, 1f, 1f, 1f);
        assertThat(Tensor.full(2.5f, 2, 2).toArray()).containsOnly(2.5f);
        assertThat(Tensor.arange(4).toArray()).containsExactly(0f, 1f, 2f, 3f);
        assertThat(Tensor.arange(1f, 2f, 0.25f).toArray()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        assertThat(Tensor.scalar(3f).rank()).isZero();
        assertThat(Tensor.scalar(3f).item()).isEqualTo(3f);
        assertThat(Tensor.eye(3).get(1, 1)).isEqualTo(1f);
        assertThat(Tensor.eye(3).get(1, 2)).isEqualTo(0f);
        float[] v = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(v, 2, 3);
        v[0] = 100f; // of copies
        assertThat(t.get(0, 0)).isEqualTo(1f);
        assertThat(t.get(1, 2)).isEqualTo(6f);
        assertThat(Tensor.zerosLike(t).shape()).isEqualTo(t.shape());
        Tensor r1 = Tensor.randn(new Rng(5), 3, 3), r2 = Tensor.randn(new Rng(5), 3, 3);
        assertThat(r1.toArray()).isEqualTo(r2.toArray());
        Tensor u = Tensor.uniform(new Rng(5), -1f, 1f, 1000);
        for (float f : u.toArray()) assertThat(f).isBetween(-1f, 1f);
    }

    @Test
    void ofWrongCountIsAClearError() {
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.of").hasMessageContaining("5").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Tensor.zeros(2, -3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
        assertThatThrownBy(() -> Tensor.zeros(1 << 16, 1 << 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[65536, 65536]");
    }

    @Test
    void permuteAndTransposeAreViews() {
        Tensor p = x.permute(2, 0, 1); // [4, 2, 3]
        assertThat(p.shape()).isEqualTo(Shape.of(4, 2, 3));
        assertThat(p.data()).isSameAs(x.data());
        assertThat(p.isContiguous()).isFalse();
        Naive.forEach(p.shape().dims(), idx -> assertThat(p.get(idx)).isEqualTo(at(idx[1], idx[2], idx[0])));
        Tensor c = p.contiguous();
        assertThat(c.isContiguous()).isTrue();
        assertThat(c.toArray()).isEqualTo(Naive.values(p));
        Tensor tt = x.transpose(0, 2); // [4, 3, 2]
        Naive.forEach(tt.shape().dims(), idx -> assertThat(tt.get(idx)).isEqualTo(at(idx[2], idx[1], idx[0])));
        Tensor m = x.t(); // [2, 4, 3]
        Naive.forEach(m.shape().dims(), idx -> assertThat(m.get(idx)).isEqualTo(at(idx[0], idx[2], idx[1])));
        assertThat(x.contiguous()).isSameAs(x);
        assertThat(x.unsqueeze(0).contiguous().data()).isSameAs(x.data());
    }

    @Test
    void sliceSelectAndStep() {
        Tensor s = x.slice(2, 1, 4, 2); // [2, 3, 2]: k = 1, 3
        assertThat(s.shape()).isEqualTo(Shape.of(2, 3, 2));
        assertThat(s.data()).isSameAs(x.data());
        Naive.forEach(s.shape().dims(), idx -> assertThat(s.get(idx)).isEqualTo(at(idx[0], idx[1], 1 + 2 * idx[2])));
        Tensor s2 = x.slice(1, -2, 3); // rows 1..2
        Naive.forEach(s2.shape().dims(), idx -> assertThat(s2.get(idx)).isEqualTo(at(idx[0], idx[1] + 1, idx[2])));
        Tensor sel = x.select(1, 2); // [2, 4]
        Naive.forEach(sel.shape().dims(), idx -> assertThat(sel.get(idx)).isEqualTo(at(idx[0], 2, idx[1])));
        assertThat(x.slice(0, 1, 1).numel()).isZero();
        assertThatThrownBy(() -> x.slice(1, 0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.slice").hasMessageContaining("[2, 3, 4]");
        assertThatThrownBy(() -> x.slice(3, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("axis 3");
    }

    @Test
    void reshapeIsAViewWhenContiguousElseACopy() {
        Tensor r = x.reshape(6, -1);
        assertThat(r.shape()).isEqualTo(Shape.of(6, 4));
        assertThat(r.data()).isSameAs(x.data());
        assertThat(r.toArray()).isEqualTo(raw);
        Tensor pr = x.permute(1, 0, 2).reshape(3, 8);
        assertThat(pr.data()).isNotSameAs(x.data());
        assertThat(pr.toArray()).isEqualTo(Naive.values(x.permute(1, 0, 2)));
        assertThat(x.flatten().shape()).isEqualTo(Shape.of(24));
        assertThatThrownBy(() -> x.reshape(5, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.reshape").hasMessageContaining("[2, 3, 4]").hasMessageContaining("[5, 5]");
        assertThatThrownBy(() -> x.reshape(-1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> x.reshape(5, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expandSqueezeUnsqueeze() {
        Tensor row = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        Tensor e = row.expand(4, 2, 3); // [4, 2, 3], stride 0
        assertThat(e.data()).isSameAs(row.data());
        assertThat(e.strides()).containsExactly(0, 0, 1);
        Naive.forEach(e.shape().dims(), idx -> assertThat(e.get(idx)).isEqualTo(idx[2] + 1f));
        assertThat(row.expand(-1, 3).shape()).isEqualTo(Shape.of(1, 3));
        assertThatThrownBy(() -> row.expand(2, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.expand").hasMessageContaining("[1, 3]");
        Tensor u = x.unsqueeze(1); // [2, 1, 3, 4]
        assertThat(u.shape()).isEqualTo(Shape.of(2, 1, 3, 4));
        assertThat(u.isContiguous()).isTrue();
        assertThat(x.unsqueeze(-1).shape()).isEqualTo(Shape.of(2, 3, 4, 1));
        assertThat(u.squeeze().shape()).isEqualTo(Shape.of(2, 3, 4));
        assertThat(u.squeeze(1).toArray()).isEqualTo(raw);
        assertThatThrownBy(() -> u.squeeze(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.squeeze");
    }

    @Test
    void getAndItemCheckTheirArguments() {
        assertThatThrownBy(() -> x.item()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tensor.item");
        assertThatThrownBy(() -> x.get(0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tensor.get");
        assertThatThrownBy(() -> x.get(2, 0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> x.permute(0, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tensor.permute");
    }

    @Test
    void toStringShowsShapeAndTruncates() {
        assertThat(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).toString())
                .isEqualTo("Tensor[2, 3] [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]");
        assertThat(Tensor.scalar(2f).toString()).isEqualTo("Tensor[] 2.0");
        String big = Tensor.arange(1000).toString();
        assertThat(big).isEqualTo("Tensor[1000] [0.0, 1.0, 2.0, ..., 997.0, 998.0, 999.0]");
    }
}
