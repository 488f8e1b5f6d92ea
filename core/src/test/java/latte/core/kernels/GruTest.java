package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
class GruTest {
    private static final int OFF = ConvTest.OFF;

    /** Parameters and data of one cell, each array with {@link #OFF} leading floats. */
    record Cell(int b, int i, int hd, float[] x, float[] h, float[] wi, float[] wh, float[] bi, float[] bh) {
        static Cell random(SplittableRandom r, int b, int i, int hd, double scale) {
            return new Cell(b, i, hd, ConvTest.random(r, b * i), ConvTest.random(r, b * hd),
                    scaled(r, 3 * hd * i, scale), scaled(r, 3 * hd * hd, scale), scaled(r, 3 * hd, scale),
                    scaled(r, 3 * hd, scale));
        }

        private static float[] scaled(SplittableRandom r, int n, double scale) {
            float[] a = ConvTest.random(r, n);
            for (int k = 0; k < a.length; k++) a[k] *= (float) scale;
            return a;
        }

        float[] forwardScalar(float[] saved) {
            float[] out = new float[b * hd + 2 * OFF];
            Gru.forwardScalar(b, i, hd, x, OFF, h, OFF, wi, OFF, wh, OFF, bi, OFF, bh, OFF, out, OFF, saved, OFF);
            return out;
        }
    }

    static void assertClose(float[] actual, float[] expected, double tol, String what) {
        ConvTest.assertClose(actual, expected, tol, what);
    }

    @Test
    void forwardMatchesScalarReference() {
        SplittableRandom r = new SplittableRandom(21);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 23, 17}, {2, 9, 32}, {5, 230, 200}, {7, 3, 33}};
        for (int[] s : shapes) {
            Cell c = Cell.random(r, s[0], s[1], s[2], 1.0 / Math.sqrt(s[2]) * 3);
            float[] saved1 = new float[Gru.savedSize(s[0], s[2]) + 2 * OFF], saved2 = saved1.clone();
            float[] out1 = new float[s[0] * s[2] + 2 * OFF];
            Gru.forward(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, c.bi(), OFF, c.bh(), OFF,
                    out1, OFF, saved1, OFF);
            float[] out2 = c.forwardScalar(saved2);
            String what = java.util.Arrays.toString(s);
            assertClose(out1, out2, 2e-5, "h' " + what);
            assertClose(saved1, saved2, 2e-5, "saved " + what);
            // without biases: the same as zero biases
            float[] out3 = new float[out1.length], out4 = new float[out1.length];
            Gru.forward(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, null, 0, null, 0,
                    out3, OFF, null, 0);
            Gru.forwardScalar(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF,
                    new float[3 * c.hd() + OFF], OFF, new float[3 * c.hd() + OFF], OFF, out4, OFF, null, 0);
            assertClose(out3, out4, 2e-5, "no bias " + what);
            // in place: hOut == h
            float[] hh = c.h().clone();
            Gru.forward(c.b(), c.i(), c.hd(), c.x(), OFF, hh, OFF, c.wi(), OFF, c.wh(), OFF, c.bi(), OFF, c.bh(), OFF,
                    hh, OFF, null, 0);
            int n = c.b() * c.hd();
            assertClose(java.util.Arrays.copyOfRange(hh, OFF, OFF + n), java.util.Arrays.copyOfRange(out1, OFF, OFF + n),
                    0, "in place " + what);
        }
    }

    @Test
    void saturatedGatesStayFinite() {
        SplittableRandom r = new SplittableRandom(22);
        Cell c = Cell.random(r, 3, 8, 19, 60.0); // pre-activations of hundreds: exp overflows, gates saturate
        float[] out = new float[3 * 19 + 2 * OFF], ref = c.forwardScalar(null);
        Gru.forward(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, c.bi(), OFF, c.bh(), OFF,
                out, OFF, null, 0);
        for (float v : out) assertThat(v).isFinite();
        assertClose(out, ref, 1e-5, "saturated");
    }

    @Test
    void backwardMatchesScalarReference() {
        SplittableRandom r = new SplittableRandom(23);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 23, 17}, {6, 40, 33}};
        for (int[] s : shapes) {
            Cell c = Cell.random(r, s[0], s[1], s[2], 1.5 / Math.sqrt(s[2]));
            float[] saved = new float[Gru.savedSize(s[0], s[2]) + 2 * OFF];
            c.forwardScalar(saved);
            float[] dho = ConvTest.random(r, s[0] * s[2]);
            for (boolean acc : new boolean[] {false, true}) {
                float[][] fast = grads(r, c), ref = new float[6][];
                for (int k = 0; k < 6; k++) ref[k] = fast[k].clone();
                Gru.backward(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF, dho, OFF,
                        fast[0], OFF, fast[1], OFF, fast[2], OFF, fast[3], OFF, fast[4], OFF, fast[5], OFF, acc);
                Gru.backwardScalar(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF,
                        dho, OFF, ref[0], OFF, ref[1], OFF, ref[2], OFF, ref[3], OFF, ref[4], OFF, ref[5], OFF, acc);
                String[] names = {"dx", "dh", "dwi", "dwh", "dbi", "dbh"};
                for (int k = 0; k < 6; k++)
                    assertClose(fast[k], ref[k], 1e-5, names[k] + " acc=" + acc + " " + java.util.Arrays.toString(s));
            }
            // unwanted gradients may be null
            float[] dwOnly = new float[3 * s[2] * s[1] + 2 * OFF];
            Gru.backward(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF, dho, OFF,
                    null, 0, null, 0, dwOnly, OFF, null, 0, null, 0, null, 0, false);
            float[] dwRef = new float[dwOnly.length];
            Gru.backwardScalar(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF,
                    dho, OFF, null, 0, null, 0, dwRef, OFF, null, 0, null, 0, null, 0, false);
            assertClose(dwOnly, dwRef, 1e-5, "dwi only");
        }
    }

    private static float[][] grads(SplittableRandom r, Cell c) {
        int b = c.b(), i = c.i(), hd = c.hd();
        return new float[][] {ConvTest.random(r, b * i), ConvTest.random(r, b * hd), ConvTest.random(r, 3 * hd * i),
                ConvTest.random(r, 3 * hd * hd), ConvTest.random(r, 3 * hd), ConvTest.random(r, 3 * hd)};
    }

    /** L = <h'(x, h, wi, wh, bi, bh), v>; every gradient vs central differences of the scalar forward. */
    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(24);
        Cell c = Cell.random(r, 2, 3, 5, 0.8);
        float[] v = ConvTest.random(r, 2 * 5);
        float[] saved = new float[Gru.savedSize(2, 5) + 2 * OFF];
        float[] out = new float[2 * 5 + 2 * OFF];
        Gru.forward(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, c.bi(), OFF, c.bh(), OFF,
                out, OFF, saved, OFF);
        float[][] g = new float[6][];
        float[][] params = {c.x(), c.h(), c.wi(), c.wh(), c.bi(), c.bh()};
        for (int k = 0; k < 6; k++) g[k] = new float[params[k].length];
        Gru.backward(c.b(), c.i(), c.hd(), c.x(), OFF, c.h(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF, v, OFF,
                g[0], OFF, g[1], OFF, g[2], OFF, g[3], OFF, g[4], OFF, g[5], OFF, false);
        String[] names = {"dx", "dh", "dwi", "dwh", "dbi", "dbh"};
        float eps = 1e-2f;
        for (int k = 0; k < 6; k++) {
            float[] p = params[k];
            for (int e = OFF; e < p.length - OFF; e++) {
                float keep = p[e];
                p[e] = keep + eps;
                double up = ConvTest.dot(c.forwardScalar(null), v, 10);
                p[e] = keep - eps;
                double down = ConvTest.dot(c.forwardScalar(null), v, 10);
                p[e] = keep;
                assertThat((double) g[k][e]).as("%s[%d]", names[k], e - OFF)
                        .isCloseTo((up - down) / (2 * eps), offset(5e-4));
            }
        }
    }

    @Test
    void badArgumentsAreClearErrors() {
        float[] a = new float[100];
        assertThatThrownBy(() -> Gru.forward(0, 3, 2, a, 0, a, 0, a, 0, a, 0, null, 0, null, 0, new float[4], 0, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gru.forward")
                .hasMessageContaining("batch=0");
        assertThatThrownBy(() -> Gru.forward(2, 3, 4, a, 0, a, 0, new float[30], 0, a, 0, null, 0, null, 0,
                new float[8], 0, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wi [12,3] needs 36 floats at offset 0, array has 30");
        assertThatThrownBy(() -> Gru.forward(2, 3, 4, a, 0, a, 0, a, 0, a, 0, null, 0, null, 0, a, 3, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hOut overlaps h");
        float[] h = new float[8];
        assertThatThrownBy(() -> Gru.backward(2, 3, 4, a, 0, h, 0, a, 0, a, 0, new float[31], 0, a, 0,
                null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("saved [2,16] needs 32 floats");
        assertThatThrownBy(() -> Gru.backward(2, 3, 4, a, 0, h, 0, a, 0, a, 0, a, 0, a, 0,
                null, 0, h, 0, null, 0, null, 0, null, 0, null, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dh must not share");
    }
}
