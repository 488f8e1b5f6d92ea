package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Reduce} kernels against their double-precision scalar references at every tail length. */
@Tag("kernel")
class ReduceKernelTest {
    private static final int MAX_N = 3 * Simd.LANES + 1;
    private final Random random = new Random(23);

    private float[] data(int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) random.nextGaussian() * 3f;
        return d;
    }

    /** Float summation error bound: n ulps of the sum of magnitudes (the reference sums in double). */
    private static double bound(float[] a, float[] b, int off, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) m += Math.abs(a[off + i] * (b == null ? 1f : b[off + i]));
        return (n + 1) * Math.ulp((float) m) + 1e-30;
    }

    @Test
    void everyTailLength() {
        for (int n : lengths()) {
            int off = random.nextInt(3);
            float[] a = data(n + off), b = data(n + off);
            assertThat(Reduce.sum(a, off, n)).as("sum n=%d", n).isCloseTo(Reduce.Scalar.sum(a, off, n), within((float) bound(a, null, off, n)));
            assertThat(Reduce.sumSquares(a, off, n)).as("sumSquares n=%d", n)
                    .isCloseTo(Reduce.Scalar.sumSquares(a, off, n), within((float) bound(a, a, off, n)));
            assertThat(Reduce.dot(a, off, b, off, n)).as("dot n=%d", n)
                    .isCloseTo(Reduce.Scalar.dot(a, off, b, off, n), within((float) bound(a, b, off, n)));
            assertThat(Reduce.max(a, off, n)).as("max n=%d", n).isEqualTo(Reduce.Scalar.max(a, off, n));
            assertThat(Reduce.min(a, off, n)).as("min n=%d", n).isEqualTo(Reduce.Scalar.min(a, off, n));
        }
        assertThat(Reduce.max(new float[0], 0, 0)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Reduce.sum(new float[] {1, Float.NaN, 2}, 0, 3)).isNaN();
    }

    /** Every tail length around one vector and around the block boundary. */
    private static int[] lengths() {
        java.util.List<Integer> ns = new java.util.ArrayList<>();
        for (int n = 0; n <= MAX_N; n++) ns.add(n);
        for (int n = Reduce.BLOCK - Simd.LANES - 1; n <= Reduce.BLOCK + 2 * Simd.LANES + 1; n++) ns.add(n);
        return ns.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void longSumsStayAccurate() {
        int n = 1 << 20;
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = 0.1f;
        // Blocked lane-parallel partial sums keep the error far below a single running float sum's.
        float running = 0f;
        for (int i = 0; i < n; i++) running += a[i];
        double exact = Reduce.Scalar.sum(a, 0, n);
        double err = Math.abs(Reduce.sum(a, 0, n) - exact);
        assertThat(err).isLessThan(Math.abs(running - exact) / 100).isLessThan(exact * 1e-5);
    }
}
