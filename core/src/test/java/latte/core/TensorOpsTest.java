package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Elementwise ops, broadcasting, where and the unary family against per-element references. */
class TensorOpsTest {
    private final Rng rng = new Rng(2024);

    /** out[idx] = f(a[bcast idx], b[bcast idx]) by index arithmetic. */
    private static float[] naiveBinary(Tensor a, Tensor b, Shape out, DoubleBinaryOperator f) {
        float[] r = new float[out.numel()];
        int[] k = {0};
        Naive.forEach(out.dims(), idx -> r[k[0]++] = (float) f.applyAsDouble(a.get(project(idx, a.shape())), b.get(project(idx, b.shape()))));
        return r;
    }

    /** The index into {@code s} that broadcasting maps output index {@code idx} to. */
    static int[] project(int[] idx, Shape s) {
        int[] p = new int[s.rank()];
        for (int i = 0; i < p.length; i++) {
            int j = i + idx.length - p.length;
            p[i] = s.dim(i) == 1 ? 0 : idx[j];
        }
        return p;
    }

    @Test
    void binaryOpsBroadcastOverOddShapes() {
        int[][][] pairs = {
                {{3, 5}, {3, 5}}, {{4, 7}, {7}}, {{4, 1}, {1, 7}}, {{2, 3, 1, 5}, {3, 6, 1}}, {{}, {2, 3}},
                {{5, 1, 3}, {}}, {{17}, {1}}, {{1}, {33}}, {{2, 1, 4, 1}, {1, 3, 1, 5}}, {{0, 3}, {1, 3}},
        };
        for (int[][] p : pairs) {
            Tensor a = Tensor.randn(rng, p[0]), b = Tensor.randn(rng, p[1]).abs().add(0.5f);
            Shape out = Shape.broadcast("test", a.shape(), b.shape());
            assertThat(a.add(b).toArray()).as("add %s", out).isEqualTo(naiveBinary(a, b, out, (u, v) -> (float) u + (float) v));
            assertThat(a.sub(b).toArray()).isEqualTo(naiveBinary(a, b, out, (u, v) -> (float) u - (float) v));
            assertThat(b.sub(a).toArray()).isEqualTo(naiveBinary(b, a, out, (u, v) -> (float) u - (float) v));
            assertThat(a.mul(b).toArray()).isEqualTo(naiveBinary(a, b, out, (u, v) -> (float) u * (float) v));
            assertThat(a.div(b).toArray()).isEqualTo(naiveBinary(a, b, out, (u, v) -> (float) u / (float) v));
            assertThat(b.div(a).toArray()).isEqualTo(naiveBinary(b, a, out, (u, v) -> (float) u / (float) v));
            assertThat(a.maximum(b).toArray()).isEqualTo(naiveBinary(a, b, out, Math::max));
            assertThat(a.minimum(b).toArray()).isEqualTo(naiveBinary(a, b, out, Math::min));
            assertThat(a.gt(b).toArray()).isEqualTo(naiveBinary(a, b, out, (u, v) -> u > v ? 1 : 0));
            assertThat(a.le(b).toArray()).isEqualTo(naiveBinary(a, b, out, (u, v) -> u <= v ? 1 : 0));
            float[] pw = b.pow(a).toArray(), ref = naiveBinary(b, a, out, Math::pow);
            for (int i = 0; i < ref.length; i++) assertThat(pw[i]).isCloseTo(ref[i], within(2e-6f * Math.max(1f, Math.abs(ref[i]))));
        }
    }

    @Test
    void binaryOpsOnStridedViews() {
        Tensor a = Tensor.randn(rng, 6, 5).t(); // [5, 6] non-contiguous
        Tensor b = Tensor.randn(rng, 5, 12).slice(1, 0, 12, 2); // [5, 6] strided
        Shape out = Shape.of(5, 6);
        assertThat(a.add(b).toArray()).isEqualTo(naiveBinary(a, b, out, (u, v) -> (float) u + (float) v));
        assertThat(a.mul(b.select(0, 1)).toArray()).isEqualTo(naiveBinary(a, b.select(0, 1), out, (u, v) -> (float) u * (float) v));
        Tensor col = Tensor.randn(rng, 5, 1);
        assertThat(a.sub(col).toArray()).isEqualTo(naiveBinary(a, col, out, (u, v) -> (float) u - (float) v));
        assertThat(col.sub(a).toArray()).isEqualTo(naiveBinary(col, a, out, (u, v) -> (float) u - (float) v));
    }

    @Test
    void scalarOps() {
        Tensor a = Tensor.randn(rng, 3, 7).t();
        float[] x = Naive.values(a);
        float[] add = a.add(2f).toArray(), rsub = a.rsub(2f).toArray(), mul = a.mul(-3f).toArray(), div = a.div(4f).toArray(),
                rdiv = a.rdiv(1f).toArray(), sq = a.pow(2f).toArray(), mx = a.maximum(0.1f).toArray(), ge = a.ge(0f).toArray();
        for (int i = 0; i < x.length; i++) {
            assertThat(add[i]).isEqualTo(x[i] + 2f);
            assertThat(rsub[i]).isEqualTo(2f - x[i]);
            assertThat(mul[i]).isEqualTo(x[i] * -3f);
            assertThat(div[i]).isEqualTo(x[i] / 4f);
            assertThat(rdiv[i]).isEqualTo(1f / x[i]);
            assertThat(sq[i]).isEqualTo(x[i] * x[i]);
            assertThat(mx[i]).isEqualTo(Math.max(x[i], 0.1f));
            assertThat(ge[i]).isEqualTo(x[i] >= 0f ? 1f : 0f);
        }
        assertThat(a.sub(1f).toArray()).isEqualTo(a.add(-1f).toArray());
        assertThat(Tensor.of(new float[] {4, 9}, 2).pow(0.5f).toArray()).containsExactly(2f, 3f);
        assertThat(Tensor.of(new float[] {1, 2}, 2).eq(2f).toArray()).containsExactly(0f, 1f);
    }

    @Test
    void bigOperandsTakeTheLaneAlignedParallelPath() {
        Tensor a = Tensor.randn(rng, 300_001), b = Tensor.randn(rng, 300_001);
        float[] x = a.toArray(), y = b.toArray(), s = a.add(b).toArray(), t = a.tanh().toArray();
        for (int i = 0; i < x.length; i++) assertThat(s[i]).isEqualTo(x[i] + y[i]);
        // Chunk boundaries are lane aligned, so every element takes the same (vector or tail) path as
        // in one serial call. Transcendentals may still differ by one ulp from a serial run: before
        // C2 compiles a kernel, lanewise(TANH) falls back to Math.tanh per lane (see docs/tensor.md).
        float[] serial = new float[x.length];
        latte.core.kernels.Elementwise.tanh(x, 0, serial, 0, x.length);
        for (int i = 0; i < x.length; i++) assertThat(Math.abs(t[i] - serial[i])).isLessThanOrEqualTo(Math.ulp(serial[i]));
        float[] again = a.add(b).toArray();
        assertThat(again).isEqualTo(s);
    }

    @Test
    void whereBroadcastsAllThree() {
        Tensor mask = Tensor.of(new float[] {1, 0, 1}, 3);
        Tensor a = Tensor.randn(rng, 2, 3), b = Tensor.full(-7f, 2, 1);
        Tensor w = Tensor.where(mask, a, b);
        Naive.forEach(new int[] {2, 3}, idx -> assertThat(w.get(idx)).isEqualTo(idx[1] == 1 ? -7f : a.get(idx)));
        assertThatThrownBy(() -> Tensor.where(Tensor.ones(4), a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.where");
    }

    private static void checkUnary(Tensor x, Tensor y, DoubleUnaryOperator f, double tol) {
        float[] in = Naive.values(x), out = y.toArray();
        assertThat(y.shape()).isEqualTo(x.shape());
        for (int i = 0; i < in.length; i++) {
            double ref = f.applyAsDouble(in[i]);
            assertThat((double) out[i]).as("f(%s)", in[i]).isCloseTo(ref, within(tol * Math.max(1, Math.abs(ref))));
        }
    }

    @Test
    void unaryOpsMatchMath() {
        Tensor x = Tensor.randn(rng, 4, 37).mul(3f).t(); // strided input
        checkUnary(x, x.neg(), v -> -v, 0);
        checkUnary(x, x.exp(), Math::exp, 3e-7);
        checkUnary(x.abs().add(1e-3f), x.abs().add(1e-3f).log(), Math::log, 3e-7);
        checkUnary(x, x.tanh(), Math::tanh, 3e-7);
        checkUnary(x, x.sigmoid(), v -> 1 / (1 + Math.exp(-v)), 3e-7);
        checkUnary(x, x.relu(), v -> Math.max(v, 0), 0);
        checkUnary(x, x.elu(), v -> v > 0 ? v : Math.expm1(v), 3e-7);
        checkUnary(x, x.elu(0.5f), v -> v > 0 ? v : 0.5 * Math.expm1(v), 3e-7);
        checkUnary(x, x.softplus(), v -> Math.log1p(Math.exp(v)), 3e-7);
        checkUnary(x, x.square(), v -> v * v, 1e-7);
        checkUnary(x.abs(), x.abs().sqrt(), Math::sqrt, 1e-7);
        checkUnary(x, x.abs(), Math::abs, 0);
        checkUnary(x, x.clamp(-1f, 2f), v -> Math.min(Math.max(v, -1), 2), 0);
    }

    @Test
    void softplusAndSigmoidAreStableAtTheExtremes() {
        float[] v = {-1000f, -90f, 0f, 90f, 1000f};
        double[] softplus = {0, Math.exp(-90), Math.log(2), 90, 1000};
        double[] sigmoid = {0, 1 / (1 + Math.exp(90)), 0.5, 1, 1};
        double[] tanh = {-1, -1, 0, 1, 1};
        // 8 copies: on every vector width some copies take the SIMD path and some the scalar tail.
        float[] x = new float[40];
        for (int i = 0; i < x.length; i++) x[i] = v[i % 5];
        Tensor t = Tensor.of(x, 40);
        float[] sp = t.softplus().toArray(), sg = t.sigmoid().toArray(), th = t.tanh().toArray();
        for (int i = 0; i < x.length; i++) {
            // Absolute 1e-38: the SIMD path may round a subnormal result (e^-90 ~ 8e-40) to 0.
            assertThat((double) sp[i]).as("softplus(%s)", x[i]).isCloseTo(softplus[i % 5], within(1e-38 + 1e-7 * softplus[i % 5]));
            assertThat((double) sg[i]).as("sigmoid(%s)", x[i]).isCloseTo(sigmoid[i % 5], within(1e-38 + 1e-7 * sigmoid[i % 5]));
            assertThat((double) th[i]).as("tanh(%s)", x[i]).isEqualTo(tanh[i % 5]);
            assertThat(sp[i]).isNotNaN();
            assertThat(sg[i]).isNotNaN();
        }
        assertThatThrownBy(() -> t.clamp(1f, 0f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tensor.clamp");
    }
}
