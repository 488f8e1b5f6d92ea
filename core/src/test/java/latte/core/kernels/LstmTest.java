package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
class LstmTest {
    private static final int OFF = ConvTest.OFF;

    /** Parameters and data of one cell, each array with {@link #OFF} leading floats. */
    record Cell(int b, int i, int hd, float[] x, float[] h, float[] c, float[] wi, float[] wh, float[] bi, float[] bh) {
        static Cell random(SplittableRandom r, int b, int i, int hd, double scale) {
            return new Cell(b, i, hd, ConvTest.random(r, b * i), ConvTest.random(r, b * hd), ConvTest.random(r, b * hd),
                    scaled(r, 4 * hd * i, scale), scaled(r, 4 * hd * hd, scale), scaled(r, 4 * hd, scale), scaled(r, 4 * hd, scale));
        }

        /** h' then c' (each with OFF padding on both sides) from the scalar reference. */
        float[][] forwardScalar(float[] saved) {
            float[] ho = new float[b * hd + 2 * OFF], co = new float[b * hd + 2 * OFF];
            Lstm.forwardScalar(b, i, hd, x, OFF, h, OFF, c, OFF, wi, OFF, wh, OFF, bi, OFF, bh, OFF, ho, OFF, co, OFF, saved, OFF);
            return new float[][] {ho, co};
        }

        float[][] forward(float[] saved, int threads) {
            float[] ho = new float[b * hd + 2 * OFF], co = new float[b * hd + 2 * OFF];
            Lstm.forward(b, i, hd, x, OFF, h, OFF, c, OFF, wi, OFF, wh, OFF, bi, OFF, bh, OFF, ho, OFF, co, OFF, saved, OFF, threads);
            return new float[][] {ho, co};
        }
    }

    static float[] scaled(SplittableRandom r, int n, double scale) {
        float[] a = ConvTest.random(r, n);
        for (int k = 0; k < a.length; k++) a[k] *= (float) scale;
        return a;
    }

    /** Every tail length of the widest species (16 lanes): hidden 1 .. 33. */
    @Test
    void forwardMatchesScalarAtEveryTailLength() {
        SplittableRandom r = new SplittableRandom(31);
        for (int hd = 1; hd <= 2 * 16 + 1; hd++) {
            int b = 1 + hd % 3, in = 1 + (hd * 7) % 11;
            Cell c = Cell.random(r, b, in, hd, 3 / Math.sqrt(hd));
            float[] saved1 = new float[Lstm.savedSize(b, hd) + 2 * OFF], saved2 = saved1.clone();
            float[][] fast = c.forward(saved1, 2), ref = c.forwardScalar(saved2);
            String what = "b=" + b + " in=" + in + " H=" + hd;
            ConvTest.assertClose(fast[0], ref[0], 2e-5, "h' " + what);
            ConvTest.assertClose(fast[1], ref[1], 2e-5, "c' " + what);
            ConvTest.assertClose(saved1, saved2, 2e-5, "saved " + what);
            // without saved: the same outputs
            float[][] noSave = c.forward(null, 1);
            ConvTest.assertClose(noSave[0], fast[0], 0, "h' no saved " + what);
            ConvTest.assertClose(noSave[1], fast[1], 0, "c' no saved " + what);
        }
    }

    @Test
    void missingBiasAndCellStateReadAsZeros() {
        SplittableRandom r = new SplittableRandom(32);
        Cell c = Cell.random(r, 3, 5, 19, 0.5);
        float[] ho = new float[3 * 19 + 2 * OFF], co = ho.clone(), hr = ho.clone(), cr = ho.clone();
        Lstm.forward(3, 5, 19, c.x(), OFF, c.h(), OFF, null, 0, c.wi(), OFF, c.wh(), OFF, null, 0, null, 0, ho, OFF, co, OFF, null, 0, 1);
        float[] zeros = new float[3 * 19 + OFF], zb = new float[4 * 19 + OFF];
        Lstm.forwardScalar(3, 5, 19, c.x(), OFF, c.h(), OFF, zeros, OFF, c.wi(), OFF, c.wh(), OFF, zb, OFF, zb, OFF, hr, OFF, cr, OFF, null, 0);
        ConvTest.assertClose(ho, hr, 2e-5, "h' without c and biases");
        ConvTest.assertClose(co, cr, 2e-5, "c' without c and biases");
    }

    @Test
    void inPlaceStepEqualsSeparateOutputs() {
        SplittableRandom r = new SplittableRandom(33);
        Cell c = Cell.random(r, 4, 6, 21, 0.7);
        float[][] out = c.forward(null, 2);
        float[] h = c.h().clone(), cc = c.c().clone();
        Lstm.forward(4, 6, 21, c.x(), OFF, h, OFF, cc, OFF, c.wi(), OFF, c.wh(), OFF, c.bi(), OFF, c.bh(), OFF, h, OFF, cc, OFF, null, 0, 2);
        int n = 4 * 21;
        assertThat(Arrays.copyOfRange(h, OFF, OFF + n)).containsExactly(Arrays.copyOfRange(out[0], OFF, OFF + n));
        assertThat(Arrays.copyOfRange(cc, OFF, OFF + n)).containsExactly(Arrays.copyOfRange(out[1], OFF, OFF + n));
    }

    @Test
    void saturatedGatesStayFinite() {
        SplittableRandom r = new SplittableRandom(34);
        Cell c = Cell.random(r, 3, 8, 19, 60.0); // pre-activations of hundreds: exp overflows, gates saturate
        float[][] out = c.forward(null, 1), ref = c.forwardScalar(null);
        for (float v : out[0]) assertThat(v).isFinite();
        for (float v : out[1]) assertThat(v).isFinite();
        ConvTest.assertClose(out[0], ref[0], 1e-5, "h' saturated");
        ConvTest.assertClose(out[1], ref[1], 1e-5, "c' saturated");
    }

    private static final String[] GRADS = {"dx", "dh", "dc", "dwi", "dwh", "dbi", "dbh"};

    private static float[][] randomGrads(SplittableRandom r, int b, int i, int hd) {
        return new float[][] {ConvTest.random(r, b * i), ConvTest.random(r, b * hd), ConvTest.random(r, b * hd),
                ConvTest.random(r, 4 * hd * i), ConvTest.random(r, 4 * hd * hd), ConvTest.random(r, 4 * hd), ConvTest.random(r, 4 * hd)};
    }

    @Test
    void backwardMatchesScalarAtEveryTailLength() {
        SplittableRandom r = new SplittableRandom(35);
        for (int hd = 1; hd <= 2 * 16 + 1; hd++) {
            int b = 1 + hd % 4, in = 1 + (hd * 5) % 13;
            Cell c = Cell.random(r, b, in, hd, 1.5 / Math.sqrt(hd));
            float[] saved = new float[Lstm.savedSize(b, hd) + 2 * OFF];
            c.forwardScalar(saved);
            float[] dho = ConvTest.random(r, b * hd), dco = ConvTest.random(r, b * hd);
            for (boolean acc : new boolean[] {false, true})
                for (int which = 0; which < 3; which++) {            // both output gradients, only dh', only dc'
                    float[] gh = which == 2 ? null : dho, gc = which == 1 ? null : dco;
                    float[][] fast = randomGrads(r, b, in, hd), ref = new float[7][];
                    for (int k = 0; k < 7; k++) ref[k] = fast[k].clone();
                    Lstm.backward(b, in, hd, c.x(), OFF, c.h(), OFF, c.c(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF,
                            gh, OFF, gc, OFF, fast[0], OFF, fast[1], OFF, fast[2], OFF, fast[3], OFF, fast[4], OFF, fast[5], OFF,
                            fast[6], OFF, acc, 2);
                    Lstm.backwardScalar(b, in, hd, c.x(), OFF, c.h(), OFF, c.c(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF,
                            gh, OFF, gc, OFF, ref[0], OFF, ref[1], OFF, ref[2], OFF, ref[3], OFF, ref[4], OFF, ref[5], OFF,
                            ref[6], OFF, acc);
                    for (int k = 0; k < 7; k++)
                        ConvTest.assertClose(fast[k], ref[k], 1e-5, GRADS[k] + " acc=" + acc + " which=" + which + " H=" + hd);
                }
        }
    }

    /** L = <h', v> + <c', u>; every gradient vs central differences of the scalar forward. */
    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(36);
        int b = 2, in = 3, hd = 5;
        Cell c = Cell.random(r, b, in, hd, 0.8);
        float[] v = ConvTest.random(r, b * hd), u = ConvTest.random(r, b * hd);
        float[] saved = new float[Lstm.savedSize(b, hd) + 2 * OFF];
        c.forward(saved, 1);
        float[][] params = {c.x(), c.h(), c.c(), c.wi(), c.wh(), c.bi(), c.bh()};
        float[][] g = new float[7][];
        for (int k = 0; k < 7; k++) g[k] = new float[params[k].length];
        Lstm.backward(b, in, hd, c.x(), OFF, c.h(), OFF, c.c(), OFF, c.wi(), OFF, c.wh(), OFF, saved, OFF, v, OFF, u, OFF,
                g[0], OFF, g[1], OFF, g[2], OFF, g[3], OFF, g[4], OFF, g[5], OFF, g[6], OFF, false, 1);
        float eps = 1e-2f;
        for (int k = 0; k < 7; k++) {
            float[] p = params[k];
            for (int e = OFF; e < p.length - OFF; e++) {
                float keep = p[e];
                p[e] = keep + eps;
                float[][] up = c.forwardScalar(null);
                p[e] = keep - eps;
                float[][] down = c.forwardScalar(null);
                p[e] = keep;
                double num = (ConvTest.dot(up[0], v, b * hd) + ConvTest.dot(up[1], u, b * hd)
                        - ConvTest.dot(down[0], v, b * hd) - ConvTest.dot(down[1], u, b * hd)) / (2 * eps);
                assertThat((double) g[k][e]).as("%s[%d]", GRADS[k], e - OFF).isCloseTo(num, offset(5e-4));
            }
        }
    }

    // ---------------------------------------------------------------- sequences

    /** A sequence problem: x [T, B, I], optional (h0, c0), the cell's weights. */
    record Seq(int t, Cell cell, float[] x, boolean zeroStart) {
        static Seq random(SplittableRandom r, int t, int b, int i, int hd, boolean zeroStart) {
            return new Seq(t, Cell.random(r, b, i, hd, 1.2 / Math.sqrt(hd)), ConvTest.random(r, t * b * i), zeroStart);
        }

        int bh() {
            return cell.b() * cell.hd();
        }

        /** Steps the scalar cell by hand: {hs, cs, saved} each [T, ...] with OFF padding. */
        float[][] stepScalar() {
            Cell c = cell;
            int b = c.b(), in = c.i(), hd = c.hd(), n = bh();
            float[] hs = new float[t * n + 2 * OFF], cs = hs.clone(), saved = new float[t * Lstm.savedSize(b, hd) + 2 * OFF];
            float[] h = zeroStart ? new float[n + OFF] : c.h(), cc = zeroStart ? new float[n + OFF] : c.c();
            float[] xs = new float[b * in + OFF];
            for (int s = 0; s < t; s++) {
                System.arraycopy(x, OFF + s * b * in, xs, OFF, b * in);
                float[] ho = new float[n + OFF], co = new float[n + OFF];
                Lstm.forwardScalar(b, in, hd, xs, OFF, h, OFF, cc, OFF, c.wi(), OFF, c.wh(), OFF, c.bi(), OFF, c.bh(), OFF,
                        ho, OFF, co, OFF, saved, OFF + s * Lstm.savedSize(b, hd));
                System.arraycopy(ho, OFF, hs, OFF + s * n, n);
                System.arraycopy(co, OFF, cs, OFF + s * n, n);
                h = ho;
                cc = co;
            }
            return new float[][] {hs, cs, saved};
        }

        float[][] forward(boolean save, int threads) {
            Cell c = cell;
            int n = bh();
            float[] hs = new float[t * n + 2 * OFF], cs = hs.clone();
            float[] saved = save ? new float[t * Lstm.savedSize(c.b(), c.hd()) + 2 * OFF] : null;
            Lstm.sequenceForward(t, c.b(), c.i(), c.hd(), x, OFF, zeroStart ? null : c.h(), OFF, zeroStart ? null : c.c(), OFF,
                    c.wi(), OFF, c.wh(), OFF, c.bi(), OFF, c.bh(), OFF, hs, OFF, cs, OFF, saved, OFF, threads);
            return new float[][] {hs, cs, saved};
        }
    }

    @Test
    void sequenceForwardMatchesSteppedScalarCell() {
        SplittableRandom r = new SplittableRandom(37);
        int[][] shapes = {{1, 1, 1, 1}, {3, 2, 3, 5}, {4, 3, 7, 17}, {5, 2, 4, 33}};
        for (int[] s : shapes)
            for (boolean zero : new boolean[] {true, false}) {
                Seq q = Seq.random(r, s[0], s[1], s[2], s[3], zero);
                float[][] ref = q.stepScalar(), fast = q.forward(true, 2), noSave = q.forward(false, 1);
                String what = Arrays.toString(s) + " zeroStart=" + zero;
                ConvTest.assertClose(fast[0], ref[0], 3e-5, "hs " + what);
                ConvTest.assertClose(fast[1], ref[1], 3e-5, "cs " + what);
                ConvTest.assertClose(fast[2], ref[2], 3e-5, "saved " + what);
                ConvTest.assertClose(noSave[0], fast[0], 1e-6, "hs without saved " + what);
                ConvTest.assertClose(noSave[1], fast[1], 1e-6, "cs without saved " + what);
            }
    }

    /** BPTT by hand with the scalar cell backward, against the one-call sequence backward. */
    @Test
    void sequenceBackwardMatchesSteppedScalarCell() {
        SplittableRandom r = new SplittableRandom(38);
        int[][] shapes = {{1, 2, 3, 4}, {3, 2, 3, 5}, {4, 3, 7, 17}};
        for (int[] s : shapes)
            for (boolean zero : new boolean[] {true, false}) {
                Seq q = Seq.random(r, s[0], s[1], s[2], s[3], zero);
                Cell c = q.cell();
                int t = s[0], b = c.b(), in = c.i(), hd = c.hd(), n = q.bh();
                float[] dhs = ConvTest.random(r, t * n), dcs = ConvTest.random(r, t * n);
                float[][] ref = referenceBptt(q, dhs, dcs);
                for (boolean acc : new boolean[] {false, true}) {
                    float[][] fwd = q.forward(true, 2);
                    float[][] g = {ConvTest.random(r, t * b * in), ConvTest.random(r, n), ConvTest.random(r, n),
                            ConvTest.random(r, 4 * hd * in), ConvTest.random(r, 4 * hd * hd), ConvTest.random(r, 4 * hd),
                            ConvTest.random(r, 4 * hd)};
                    float[][] start = new float[7][];
                    for (int k = 0; k < 7; k++) start[k] = g[k].clone();
                    Lstm.sequenceBackward(t, b, in, hd, q.x(), OFF, zero ? null : c.h(), OFF, zero ? null : c.c(), OFF,
                            c.wi(), OFF, c.wh(), OFF, fwd[0], OFF, fwd[1], OFF, fwd[2], OFF, dhs, OFF, dcs, OFF,
                            g[0], OFF, g[1], OFF, g[2], OFF, g[3], OFF, g[4], OFF, g[5], OFF, g[6], OFF, acc, 2);
                    for (int k = 0; k < 7; k++) {
                        float[] want = start[k].clone();              // the padding stays untouched
                        for (int e = OFF; e < want.length - OFF; e++) want[e] = (acc ? want[e] : 0) + ref[k][e];
                        ConvTest.assertClose(g[k], want, 5e-5, GRADS[k] + " acc=" + acc + " " + Arrays.toString(s) + " zero=" + zero);
                    }
                }
            }
    }

    /** dx [T,B,I], dh0, dc0, dwi, dwh, dbi, dbh by stepping the scalar backward from the last step. */
    private static float[][] referenceBptt(Seq q, float[] dhs, float[] dcs) {
        Cell c = q.cell();
        int t = q.t(), b = c.b(), in = c.i(), hd = c.hd(), n = q.bh(), ss = Lstm.savedSize(b, hd);
        float[][] fwd = q.stepScalar();
        float[][] g = {new float[t * b * in + 2 * OFF], new float[n + 2 * OFF], new float[n + 2 * OFF],
                new float[4 * hd * in + 2 * OFF], new float[4 * hd * hd + 2 * OFF], new float[4 * hd + 2 * OFF], new float[4 * hd + 2 * OFF]};
        float[] dh = new float[n + OFF], dc = new float[n + OFF], xs = new float[b * in + OFF];
        float[] h0 = q.zeroStart() ? new float[n + OFF] : c.h(), c0 = q.zeroStart() ? new float[n + OFF] : c.c();
        for (int s = t - 1; s >= 0; s--) {
            for (int e = 0; e < n; e++) {
                dh[OFF + e] += dhs[OFF + s * n + e];
                dc[OFF + e] += dcs[OFF + s * n + e];
            }
            float[] hp = s == 0 ? h0 : shift(fwd[0], (s - 1) * n, n), cp = s == 0 ? c0 : shift(fwd[1], (s - 1) * n, n);
            System.arraycopy(q.x(), OFF + s * b * in, xs, OFF, b * in);
            float[] ndh = new float[n + OFF], ndc = new float[n + OFF], dxs = new float[b * in + OFF];
            Lstm.backwardScalar(b, in, hd, xs, OFF, hp, OFF, cp, OFF, c.wi(), OFF, c.wh(), OFF, fwd[2], OFF + s * ss,
                    dh, OFF, dc, OFF, dxs, OFF, ndh, OFF, ndc, OFF, g[3], OFF, g[4], OFF, g[5], OFF, g[6], OFF, true);
            System.arraycopy(dxs, OFF, g[0], OFF + s * b * in, b * in);
            dh = ndh;
            dc = ndc;
        }
        System.arraycopy(dh, OFF, g[1], OFF, n);
        System.arraycopy(dc, OFF, g[2], OFF, n);
        return g;
    }

    /** n floats of a (OFF-padded) array from element {@code from}, as a new OFF-padded array. */
    private static float[] shift(float[] a, int from, int n) {
        float[] out = new float[n + OFF];
        System.arraycopy(a, OFF + from, out, OFF, n);
        return out;
    }

    @Test
    void sequenceIsBitIdenticalOnOneAndTwoThreads() {
        SplittableRandom r = new SplittableRandom(39);
        Seq q = Seq.random(r, 3, 16, 8, 64, false);       // big enough for the GEMMs to split (gate rows never depend on the split)
        float[][] one = q.forward(true, 1), two = q.forward(true, 2);
        for (int k = 0; k < 3; k++) assertThat(two[k]).containsExactly(one[k]);
        Cell c = q.cell();
        float[] dhs = ConvTest.random(r, 3 * q.bh());
        float[][] g1 = new float[2][], g2 = new float[2][];
        for (int th = 1; th <= 2; th++) {
            float[][] f = th == 1 ? one : two;
            float[] dx = new float[3 * 16 * 8], dwh = new float[4 * 64 * 64];
            Lstm.sequenceBackward(3, 16, 8, 64, q.x(), OFF, c.h(), OFF, c.c(), OFF, c.wi(), OFF, c.wh(), OFF, f[0], OFF,
                    f[1], OFF, f[2], OFF, dhs, OFF, null, 0, dx, 0, null, 0, null, 0, null, 0, dwh, 0, null, 0, null, 0, false, th);
            (th == 1 ? g1 : g2)[0] = dx;
            (th == 1 ? g1 : g2)[1] = dwh;
        }
        assertThat(g2[0]).containsExactly(g1[0]);
        assertThat(g2[1]).containsExactly(g1[1]);
    }

    @Test
    void badArgumentsAreClearErrors() {
        float[] a = new float[200];
        assertThatThrownBy(() -> Lstm.forward(0, 3, 2, a, 0, a, 0, a, 0, a, 0, a, 0, null, 0, null, 0, new float[4], 0, new float[4], 0, null, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Lstm.forward").hasMessageContaining("batch=0");
        assertThatThrownBy(() -> Lstm.forward(2, 3, 4, a, 0, a, 0, a, 0, new float[40], 0, a, 0, null, 0, null, 0,
                new float[8], 0, new float[8], 0, null, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wi [16,3] needs 48 floats at offset 0, array has 40");
        assertThatThrownBy(() -> Lstm.forward(2, 3, 4, a, 0, a, 0, a, 0, a, 0, a, 0, null, 0, null, 0, a, 3, new float[8], 0, null, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hOut overlaps h");
        float[] h = new float[8];
        assertThatThrownBy(() -> Lstm.backward(2, 3, 4, a, 0, h, 0, a, 0, a, 0, a, 0, new float[39], 0, a, 0, null, 0,
                null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, false, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("saved [2,20] needs 40 floats");
        assertThatThrownBy(() -> Lstm.sequenceForward(0, 2, 3, 4, a, 0, null, 0, null, 0, a, 0, a, 0, null, 0, null, 0,
                new float[8], 0, new float[8], 0, null, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps must be >= 1");
        assertThatThrownBy(() -> Lstm.sequenceForward(2, 2, 3, 4, a, 0, null, 0, null, 0, a, 0, a, 0, null, 0, null, 0,
                a, 0, a, 8, null, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hs and cs overlap");
    }
}
