package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** concat / stack / split, take / gather and their adjoints, topK, oneHot. */
class TensorIndexTest {
    private final Rng rng = new Rng(8);

    @Test
    void concatSplitRoundTrip() {
        Tensor a = Tensor.randn(rng, 2, 3, 4), b = Tensor.randn(rng, 2, 5, 4).slice(1, 0, 5), c = Tensor.randn(rng, 4, 1, 2).permute(2, 1, 0);
        Tensor cat = Tensor.concat(1, a, b, c); // [2, 9, 4]
        assertThat(cat.shape()).isEqualTo(Shape.of(2, 9, 4));
        Naive.forEach(cat.shape().dims(), idx -> {
            int j = idx[1];
            float want = j < 3 ? a.get(idx[0], j, idx[2]) : j < 8 ? b.get(idx[0], j - 3, idx[2]) : c.get(idx[0], j - 8, idx[2]);
            assertThat(cat.get(idx)).isEqualTo(want);
        });
        List<Tensor> parts = cat.split(1, 3, 5, 1);
        assertThat(parts.get(0).toArray()).isEqualTo(a.toArray());
        assertThat(parts.get(1).toArray()).isEqualTo(b.toArray());
        assertThat(parts.get(2).toArray()).isEqualTo(c.toArray());
        assertThat(parts.get(1).data()).isSameAs(cat.data()); // split gives views
        List<Tensor> ch = cat.chunk(2, -1);
        assertThat(Tensor.concat(-1, ch.toArray(new Tensor[0])).toArray()).isEqualTo(cat.toArray());
        assertThatThrownBy(() -> Tensor.concat(1, a, Tensor.zeros(3, 3, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.concat").hasMessageContaining("[2, 3, 4]").hasMessageContaining("[3, 3, 4]");
        assertThatThrownBy(() -> cat.split(1, 4, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.split").hasMessageContaining("[2, 9, 4]");
        assertThatThrownBy(() -> cat.chunk(2, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tensor.chunk");
    }

    @Test
    void stackAddsAnAxis() {
        Tensor a = Tensor.randn(rng, 2, 3), b = Tensor.randn(rng, 2, 3);
        Tensor s = Tensor.stack(1, a, b); // [2, 2, 3]
        Naive.forEach(s.shape().dims(), idx -> assertThat(s.get(idx)).isEqualTo((idx[1] == 0 ? a : b).get(idx[0], idx[2])));
        assertThat(Tensor.stack(2, a, b).shape()).isEqualTo(Shape.of(2, 3, 2));
        assertThatThrownBy(() -> Tensor.stack(0, a, Tensor.zeros(3, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.stack");
    }

    @Test
    void takeAndIndexAddAreAdjoint() {
        Tensor x = Tensor.randn(rng, 4, 5, 3).permute(1, 0, 2); // [5, 4, 3]
        int[] idx = {4, 0, 4, 2};
        Tensor t = x.take(0, idx);
        Naive.forEach(t.shape().dims(), p -> assertThat(t.get(p)).isEqualTo(x.get(idx[p[0]], p[1], p[2])));
        Tensor cols = x.take(-1, 2, 1);
        Naive.forEach(cols.shape().dims(), p -> assertThat(cols.get(p)).isEqualTo(x.get(p[0], p[1], p[2] == 0 ? 2 : 1)));
        // <take(x), y> = <x, indexAdd(y)>
        Tensor y = Tensor.randn(rng, 4, 4, 3);
        Tensor back = Tensor.indexAdd(x.shape(), 0, idx, y);
        assertThat(t.mul(y).sum().item()).isCloseTo(x.mul(back).sum().item(), within(1e-4f));
        assertThatThrownBy(() -> x.take(0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.take").hasMessageContaining("[5, 4, 3]");
    }

    @Test
    void gatherAndScatterAddAreAdjoint() {
        Tensor x = Tensor.randn(rng, 3, 5);
        Tensor index = Tensor.of(new float[] {4, 0, 1, 1, 3, 3}, 3, 2);
        Tensor g = x.gather(1, index);
        Tensor idx = index;
        Naive.forEach(new int[] {3, 2}, p -> assertThat(g.get(p)).isEqualTo(x.get(p[0], (int) idx.get(p))));
        Tensor y = Tensor.randn(rng, 3, 2);
        Tensor back = Tensor.scatterAdd(x.shape(), 1, index, y);
        assertThat(g.mul(y).sum().item()).isCloseTo(x.mul(back).sum().item(), within(1e-5f));
        assertThat(back.get(1, 1)).isCloseTo(y.get(1, 0) + y.get(1, 1), within(1e-6f)); // repeats accumulate
        Tensor rows = x.gather(0, Tensor.of(new float[] {2, 0, 1, 2, 0}, 1, 5));
        for (int j = 0; j < 5; j++) assertThat(rows.get(0, j)).isEqualTo(x.get(new int[] {2, 0, 1, 2, 0}[j], j));
        assertThatThrownBy(() -> x.gather(1, Tensor.of(new float[] {5}, 1, 1).expand(3, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.gather").hasMessageContaining("index 5.0");
        assertThatThrownBy(() -> x.gather(1, Tensor.zeros(2, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 2]").hasMessageContaining("[3, 5]");
    }

    @Test
    void topKMatchesSorting() {
        Tensor x = Tensor.randn(rng, 4, 9, 3);
        for (int axis = 0; axis < 3; axis++) {
            int n = x.dim(axis), k = Math.min(3, n);
            TopK top = x.topK(k, axis);
            int[] outDims = x.shape().dims();
            outDims[axis] = k;
            assertThat(top.values().shape()).isEqualTo(Shape.of(outDims));
            int ax = axis;
            Naive.forEach(outDims, p -> {
                float[] line = new float[n];
                for (int i = 0; i < n; i++) {
                    int[] q = p.clone();
                    q[ax] = i;
                    line[i] = x.get(q);
                }
                float[] sorted = line.clone();
                Arrays.sort(sorted);
                float want = sorted[n - 1 - p[ax]];
                assertThat(top.values().get(p)).isEqualTo(want);
                assertThat(line[(int) top.indices().get(p)]).isEqualTo(want);
            });
        }
        TopK ties = Tensor.of(new float[] {1, 5, 5, -2}, 4).topK(3, 0);
        assertThat(ties.values().toArray()).containsExactly(5f, 5f, 1f);
        assertThat(ties.indices().toArray()).containsExactly(1f, 2f, 0f);
        assertThat(Tensor.of(new float[] {-0.5f, -3f, 2f}, 3).topK(3, 0).values().toArray()).containsExactly(2f, -0.5f, -3f);
        assertThatThrownBy(() -> x.topK(10, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.topK").hasMessageContaining("[4, 9, 3]");
    }

    @Test
    void oneHot() {
        Tensor h = Tensor.oneHot(new int[] {2, 0, 3}, 4);
        assertThat(h.toArray()).containsExactly(0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1);
        assertThat(Tensor.oneHot(Tensor.of(new float[] {1, 0, 1, 1}, 2, 2), 2).shape()).isEqualTo(Shape.of(2, 2, 2));
        assertThatThrownBy(() -> Tensor.oneHot(new int[] {4}, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.oneHot");
        assertThatThrownBy(() -> Tensor.oneHot(Tensor.of(new float[] {0.5f}, 1), 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an integer");
    }
}
