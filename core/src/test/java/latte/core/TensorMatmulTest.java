package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** matmul against a naive triple loop over get(), including batches, broadcasting and transposes. */
class TensorMatmulTest {
    private final Rng rng = new Rng(5);

    /** Reference: C[b..., i, j] = sum_p opA[b..., i, p] opB[b..., p, j] with batch broadcasting. */
    private static void check(Tensor a, Tensor b, boolean ta, boolean tb) {
        Tensor oa = ta ? a.t() : a, ob = tb ? b.t() : b;
        Tensor c = a.matmul(b, ta, tb);
        int k = oa.dim(-1);
        Naive.forEach(c.shape().dims(), idx -> {
            int r = idx.length;
            double s = 0;
            for (int p = 0; p < k; p++) {
                int[] ia = TensorOpsTest.project(idx, oa.shape()), ib = TensorOpsTest.project(idx, ob.shape());
                ia[ia.length - 1] = p;
                ia[ia.length - 2] = oa.dim(-2) == 1 ? 0 : idx[r - 2];
                ib[ib.length - 2] = p;
                ib[ib.length - 1] = ob.dim(-1) == 1 ? 0 : idx[r - 1];
                s += (double) oa.get(ia) * ob.get(ib);
            }
            assertThat((double) c.get(idx)).as("%s x %s at %s", a.shape(), b.shape(), java.util.Arrays.toString(idx))
                    .isCloseTo(s, within(1e-4 * Math.max(1, Math.abs(s))));
        });
    }

    @Test
    void plainAndTransposed() {
        Tensor a = Tensor.randn(rng, 7, 5), b = Tensor.randn(rng, 5, 9);
        check(a, b, false, false);
        check(a.t().contiguous(), b, true, false);
        check(a, b.t().contiguous(), false, true);
        check(a.t().contiguous(), b.t().contiguous(), true, true);
        // Transposed views go in as flags, and strided slices too.
        check(a.t().contiguous().t(), b, false, false);
        check(Tensor.randn(rng, 7, 10).slice(1, 0, 10, 2), b, false, false);
        check(Tensor.randn(rng, 1, 5), b, false, false);
        check(a, Tensor.randn(rng, 5, 1), false, false);
        check(Tensor.randn(rng, 6, 5).slice(0, 0, 6, 2).t().t(), b.t(), false, true);
    }

    @Test
    void batchedWithBroadcastBatchDims() {
        check(Tensor.randn(rng, 3, 4, 5), Tensor.randn(rng, 3, 5, 2), false, false);
        check(Tensor.randn(rng, 2, 1, 4, 5), Tensor.randn(rng, 3, 5, 6), false, false);
        check(Tensor.randn(rng, 4, 5), Tensor.randn(rng, 2, 3, 5, 6), false, false);
        check(Tensor.randn(rng, 3, 5, 4), Tensor.randn(rng, 3, 6, 5), true, true);
        check(Tensor.randn(rng, 3, 4, 5).permute(0, 2, 1), Tensor.randn(rng, 1, 4, 2), false, false);
        check(Tensor.randn(rng, 4, 5).expand(3, 4, 5), Tensor.randn(rng, 3, 5, 2), false, false);
    }

    @Test
    void emptyAndZeroInner() {
        assertThat(Tensor.zeros(3, 0).matmul(Tensor.zeros(0, 4)).toArray()).containsOnly(0f).hasSize(12);
        assertThat(Tensor.zeros(0, 3).matmul(Tensor.zeros(3, 4)).shape()).isEqualTo(Shape.of(0, 4));
    }

    @Test
    void badShapesAreClearErrors() {
        assertThatThrownBy(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.matmul").hasMessageContaining("[2, 3]").hasMessageContaining("[4, 2]");
        assertThatThrownBy(() -> Tensor.zeros(3).matmul(Tensor.zeros(3, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank");
        assertThatThrownBy(() -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.matmul");
    }

    @Test
    void cpuIsTheDefaultBackendAndCanBeForced() {
        assertThat(Backends.current().name()).isEqualTo("cpu");
        Backend fake = new Backend() {
            public String name() { return "fake"; }
            public int priority() { return 10; }
            public boolean available() { return false; }
            public void sgemm(boolean ta, boolean tb, int m, int n, int k, float al, float[] a, int ao, int lda,
                              float[] b, int bo, int ldb, float be, float[] c, int co, int ldc) {
                throw new UnsupportedOperationException();
            }
        };
        Backend better = new Backend() {
            public String name() { return "better"; }
            public int priority() { return 5; }
            public boolean available() { return true; }
            public void sgemm(boolean ta, boolean tb, int m, int n, int k, float al, float[] a, int ao, int lda,
                              float[] b, int bo, int ldb, float be, float[] c, int co, int ldc) {
                throw new UnsupportedOperationException();
            }
        };
        java.util.List<Backend> all = java.util.List.of(CpuBackend.INSTANCE, fake, better);
        assertThat(Backends.choose(null, all)).isSameAs(better); // highest available
        assertThat(Backends.choose("cpu", all)).isSameAs(CpuBackend.INSTANCE);
        assertThatThrownBy(() -> Backends.choose("fake", all)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not available").hasMessageContaining("cannot run here");
        assertThatThrownBy(() -> Backends.choose("tpu", all)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such backend").hasMessageNotContaining("latte-cuda");
        // Asking for the GPU without the cuda module on the class path says what is missing.
        assertThatThrownBy(() -> Backends.choose("cuda", all)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such backend").hasMessageContaining("latte-cuda jar is not on the class path");
    }
}
