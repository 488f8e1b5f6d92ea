package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of the intrinsified {@code lanewise(EXP / LOG / TANH)} (through the kernels) against
 * {@code Math.*} in double, over wide ranges sampled densely. Prints the worst error found in
 * float ulps (of the correctly rounded result) and relative terms.
 */
@Tag("kernel")
class LanewiseAccuracyTest {
    private record Err(double ulps, double rel, float at) {}

    private interface Kernel { void run(float[] a, int ao, float[] o, int oo, int n); }

    /** Worst error of {@code k} on {@code n} evenly spaced points of {@code [lo, hi]}. */
    private static Err measure(String name, Kernel k, DoubleUnaryOperator ref, double lo, double hi, int n) {
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (lo + (hi - lo) * i / (n - 1));
        // Until C2 compiles the kernel, lanewise ops fall back to Math.* per lane: warm up first so
        // the intrinsic (the code that runs in production) is what gets measured.
        for (int rep = 0; rep < 4000; rep++) k.run(x, (rep * 1024) % (n - 1024), y, 0, 1024);
        k.run(x, 0, y, 0, n);
        double worstUlps = 0, worstRel = 0;
        float at = Float.NaN;
        for (int i = 0; i < n; i++) {
            double r = ref.applyAsDouble(x[i]);
            float rf = (float) r;
            if (rf == 0f || Float.isInfinite(rf)) {
                assertThat(y[i]).as("%s(%s)", name, x[i]).isEqualTo(rf);
                continue;
            }
            double ulps = Math.abs(y[i] - r) / Math.ulp(rf);
            double rel = Math.abs(y[i] - r) / Math.abs(r);
            if (ulps > worstUlps) { worstUlps = ulps; at = x[i]; }
            worstRel = Math.max(worstRel, rel);
        }
        System.out.printf("lanewise %-5s on [%g, %g] (%d pts, %d-bit): max %.3f ulp, max rel %.3g at x=%s%n",
                name, lo, hi, n, Simd.F.vectorBitSize(), worstUlps, worstRel, at);
        return new Err(worstUlps, worstRel, at);
    }

    @Test
    void expIsAccurate() {
        assertThat(measure("exp", Elementwise::exp, Math::exp, -87, 88, 400_000).ulps()).isLessThan(2.0);
        assertThat(measure("exp", Elementwise::exp, Math::exp, -1, 1, 100_000).ulps()).isLessThan(2.0);
    }

    @Test
    void logIsAccurate() {
        assertThat(measure("log", Elementwise::log, Math::log, 1e-30, 1, 200_000).ulps()).isLessThan(2.0);
        assertThat(measure("log", Elementwise::log, Math::log, 0.5, 2, 100_000).ulps()).isLessThan(2.0);
        assertThat(measure("log", Elementwise::log, Math::log, 1, 3e38, 200_000).ulps()).isLessThan(2.0);
    }

    @Test
    void tanhIsAccurate() {
        assertThat(measure("tanh", Elementwise::tanh, Math::tanh, -20, 20, 400_000).ulps()).isLessThan(2.0);
        assertThat(measure("tanh", Elementwise::tanh, Math::tanh, -0.01, 0.01, 100_000).ulps()).isLessThan(2.0);
    }
}
