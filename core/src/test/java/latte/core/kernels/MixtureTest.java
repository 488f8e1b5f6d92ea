package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
class MixtureTest {
    private static final int OFF = ConvTest.OFF;

    /** rows x [l | mu | s] with log sigmas in (-1.5, 0.5), and x near the means. */
    static float[][] problem(SplittableRandom r, int rows, int k) {
        float[] p = ConvTest.random(r, rows * 3 * k), x = ConvTest.random(r, rows);
        for (int row = 0; row < rows; row++)
            for (int j = 0; j < k; j++) {
                p[OFF + row * 3 * k + j] *= 3;
                p[OFF + row * 3 * k + k + j] *= 2;
                p[OFF + row * 3 * k + 2 * k + j] = p[OFF + row * 3 * k + 2 * k + j] - 0.5f;
            }
        for (int i = 0; i < rows; i++) x[OFF + i] *= 2;
        return new float[][] {p, x};
    }

    @Test
    void logProbMatchesTheDoubleReference() {
        SplittableRandom r = new SplittableRandom(41);
        for (int k = 1; k <= 7; k++)
            for (int rows : new int[] {1, 3, 17, 500}) {
                float[][] q = problem(r, rows, k);
                float[] fast = new float[rows + 2 * OFF], ref = fast.clone();
                Mixture.logProb(rows, k, q[0], OFF, q[1], OFF, fast, OFF, 2);
                Mixture.logProbScalar(rows, k, q[0], OFF, q[1], OFF, ref, OFF);
                ConvTest.assertClose(fast, ref, 2e-5, "K=" + k + " rows=" + rows);
            }
    }

    @Test
    void farOutliersStayFinite() {
        float[] p = {0, 0, 0, 1, -2.3f, -2.3f}, x = {1000}, y = new float[1], ref = new float[1];
        Mixture.logProb(1, 2, p, 0, x, 0, y, 0, 1);
        Mixture.logProbScalar(1, 2, p, 0, x, 0, ref, 0);
        assertThat(y[0]).isFinite();
        assertThat((double) y[0]).isCloseTo(ref[0], offset(Math.abs(ref[0]) * 1e-5));
        float[] dp = new float[6], dx = new float[1];
        Mixture.logProbBackward(1, 2, p, 0, x, 0, y, 0, new float[] {1}, 0, dp, 0, dx, 0, 1);
        for (float v : dp) assertThat(v).isFinite();
        assertThat(dx[0]).isFinite().isNegative();
    }

    /** Gradients of L = Σ v_r y_r vs central differences of the double reference. */
    @Test
    void backwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(42);
        int rows = 4, k = 3;
        float[][] q = problem(r, rows, k);
        float[] p = q[0], x = q[1], v = ConvTest.random(r, rows);
        float[] y = new float[rows + 2 * OFF];
        Mixture.logProb(rows, k, p, OFF, x, OFF, y, OFF, 1);
        float[] dp = ConvTest.random(r, rows * 3 * k), dx = ConvTest.random(r, rows);
        float[] dp0 = dp.clone(), dx0 = dx.clone();
        Mixture.logProbBackward(rows, k, p, OFF, x, OFF, y, OFF, v, OFF, dp, OFF, dx, OFF, 2);
        float eps = 1e-2f;
        for (float[][] pair : new float[][][] {{p, dp, dp0}, {x, dx, dx0}}) {
            float[] a = pair[0];
            for (int e = OFF; e < a.length - OFF; e++) {
                float keep = a[e];
                a[e] = keep + eps;
                double up = loss(rows, k, p, x, v);
                a[e] = keep - eps;
                double down = loss(rows, k, p, x, v);
                a[e] = keep;
                assertThat((double) (pair[1][e] - pair[2][e])).as("element %d", e - OFF)
                        .isCloseTo((up - down) / (2 * eps), offset(2e-3));
            }
        }
    }

    private static double loss(int rows, int k, float[] p, float[] x, float[] v) {
        float[] y = new float[rows + 2 * OFF];
        Mixture.logProbScalar(rows, k, p, OFF, x, OFF, y, OFF);
        return ConvTest.dot(y, v, rows);
    }

    @Test
    void sameBitsOnOneAndTwoThreads() {
        SplittableRandom r = new SplittableRandom(43);
        int rows = 2000, k = 5;                          // two parts
        float[][] q = problem(r, rows, k);
        float[] y1 = new float[rows + 2 * OFF], y2 = y1.clone(), dy = ConvTest.random(r, rows);
        Mixture.logProb(rows, k, q[0], OFF, q[1], OFF, y1, OFF, 1);
        Mixture.logProb(rows, k, q[0], OFF, q[1], OFF, y2, OFF, 2);
        assertThat(y2).containsExactly(y1);
        float[] d1 = new float[rows * 3 * k], d2 = d1.clone();
        Mixture.logProbBackward(rows, k, q[0], OFF, q[1], OFF, y1, OFF, dy, OFF, d1, 0, null, 0, 1);
        Mixture.logProbBackward(rows, k, q[0], OFF, q[1], OFF, y1, OFF, dy, OFF, d2, 0, null, 0, 2);
        assertThat(d2).containsExactly(d1);
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThatThrownBy(() -> Mixture.logProb(2, 0, new float[6], 0, new float[2], 0, new float[2], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K 0 (>= 1)");
        assertThatThrownBy(() -> Mixture.logProb(2, 3, new float[17], 0, new float[2], 0, new float[2], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p [2,9] needs 18 floats");
    }
}
