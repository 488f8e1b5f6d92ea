package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
class ConvTest {
    static final int OFF = 3; // every array starts at a nonzero offset

    /** Random geometries: odd sizes, stride 1..3, kernel 1..6, valid/same/explicit padding, batch 1..3. */
    static List<ConvGeometry> geometries(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ConvGeometry> out = new ArrayList<>();
        while (out.size() < count) {
            int n = 1 + r.nextInt(3), kh = 1 + r.nextInt(6), kw = 1 + r.nextInt(6);
            int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
            int h = kh + r.nextInt(9), w = kw + r.nextInt(9), ci = 1 + r.nextInt(7), co = 1 + r.nextInt(7);
            ConvGeometry g = switch (out.size() % 3) {
                case 0 -> ConvGeometry.convValid(n, h, w, ci, co, kh, kw, sh, sw);
                case 1 -> ConvGeometry.convSame(n, h, w, ci, co, kh, kw, sh, sw);
                default -> ConvGeometry.conv(n, h, w, ci, co, kh, kw, sh, sw, r.nextInt(kh), r.nextInt(kw));
            };
            out.add(g);
        }
        return out;
    }

    /**
     * Random geometries that {@link ConvDirect} computes: 1..4 input channels, no padding, outputs
     * at least a vector wide (and not a whole number of vector pairs), stride 1..3, kernel 1..6,
     * input sizes the stride does not divide.
     */
    static List<ConvGeometry> directGeometries(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ConvGeometry> out = new ArrayList<>();
        while (out.size() < count) {
            int n = 1 + r.nextInt(3), kh = 1 + r.nextInt(6), kw = 1 + r.nextInt(6);
            int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
            int oh = 1 + r.nextInt(4), ow = Simd.LANES + r.nextInt(2 * Simd.LANES + 3);
            int h = (oh - 1) * sh + kh + r.nextInt(sh), w = (ow - 1) * sw + kw + r.nextInt(sw);
            out.add(ConvGeometry.convValid(n, h, w, 1 + r.nextInt(4), 1 + r.nextInt(9), kh, kw, sh, sw));
        }
        return out;
    }

    /**
     * Random geometries that {@link ConvImplicit} computes: no padding, output channels 1..3 pairs
     * of vectors (so both the two- and the four-vector tiles run), window rows {@code KW * Cin} a
     * whole number of vector pairs (every other geometry: any input width, where only the forward
     * and weight gradient take the path), stride 1..3, kernel rows 1..5, input sizes the stride does
     * not divide, output pixels not a multiple of the 6-row tile, enough of them to span several
     * weight-gradient chunks.
     */
    static List<ConvGeometry> implicitGeometries(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        int nr = 2 * Simd.LANES;
        List<ConvGeometry> out = new ArrayList<>();
        while (out.size() < count) {
            int n = 1 + r.nextInt(3), kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(4);
            int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
            int step = kw == 3 ? nr : nr / kw, ci = step * (1 + r.nextInt(2));
            while (ci <= ConvDirect.MAX_IN_C) ci += step; // narrower inputs go to the direct path
            if (out.size() % 2 == 1) ci = ConvDirect.MAX_IN_C + 1 + r.nextInt(36); // any width: forward and weight gradient only
            int oh = 1 + r.nextInt(7), ow = 1 + r.nextInt(9);
            int h = (oh - 1) * sh + kh + r.nextInt(sh), w = (ow - 1) * sw + kw + r.nextInt(sw);
            out.add(ConvGeometry.convValid(n, h, w, ci, nr * (1 + r.nextInt(3)), kh, kw, sh, sw));
        }
        return out;
    }

    static float[] random(SplittableRandom r, int size) {
        float[] a = new float[size + 2 * OFF];
        for (int i = 0; i < a.length; i++) a[i] = (float) (2 * r.nextDouble() - 1);
        return a;
    }

    static double dot(float[] a, float[] b, int size) {
        double s = 0;
        for (int i = 0; i < size; i++) s += (double) a[OFF + i] * b[OFF + i];
        return s;
    }

    static void assertClose(float[] actual, float[] expected, double tol, String what) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            if (Math.abs(actual[i] - expected[i]) > tol * scale)
                throw new AssertionError(what + ": index " + i + " got " + actual[i] + " expected " + expected[i]);
        }
    }

    @Test
    void convFastMatchesScalar() {
        SplittableRandom r = new SplittableRandom(1);
        for (ConvGeometry g : geometries(11, 60)) {
            checkConvParity(g, r);
        }
    }

    @Test
    void directPathMatchesScalar() {
        SplittableRandom r = new SplittableRandom(21);
        for (ConvGeometry g : directGeometries(12, 24)) {
            assertThat(ConvDirect.applies(g)).as("%s", g).isTrue();
            checkConvParity(g, r);
            checkConvTransposeParity(g.transpose(), r); // its forward / backward-weight run the direct conv
        }
    }

    /** PlaNet's RGB layers at depth 8 (cpu preset) and 32 (paper): first conv, last transposed conv, and their neighbours. */
    @Test
    void directPathMatchesScalarOnPlanetLayers() {
        SplittableRandom r = new SplittableRandom(22);
        for (int depth : new int[] {8, 32}) {
            int batch = depth == 8 ? 21 : 2; // 21 samples span two chunks of the phase planes
            ConvGeometry enc1 = ConvGeometry.convValid(batch, 64, 64, 3, depth, 4, 4, 2, 2);
            ConvGeometry dec4 = ConvGeometry.convTransposeValid(2, 30, 30, depth, 3, 6, 6, 2, 2);
            // The direct path takes depth 8; at depth 32 the GEMM path does (both must match).
            assertThat(ConvDirect.applies(enc1)).isEqualTo(depth == 8);
            assertThat(ConvDirect.applies(dec4.transpose())).isEqualTo(depth == 8);
            // The scalar references add the ~20 000 terms of a weight-gradient entry one at a time
            // in float, so their own rounding error reaches ~1e-4 of the sum.
            checkConvParity(enc1, r, 1e-3);
            checkConvTransposeParity(dec4, r, 1e-3);
            checkConvParity(ConvGeometry.convValid(2, 31, 31, depth, 2 * depth, 4, 4, 2, 2), r);
            checkConvTransposeParity(ConvGeometry.convTransposeValid(2, 13, 13, 2 * depth, depth, 6, 6, 2, 2), r);
        }
    }

    @Test
    void implicitPathMatchesScalar() {
        SplittableRandom r = new SplittableRandom(23);
        int wideForward = 0, narrowForward = 0, input = 0;
        for (ConvGeometry g : implicitGeometries(14, 16)) {
            assertThat(ConvImplicit.applies(g)).as("%s", g).isTrue();
            if (ConvImplicit.appliesForward(g)) {
                if (g.outC() % (4 * Simd.LANES) == 0) wideForward++;
                else narrowForward++;
            }
            if (ConvImplicit.appliesInput(g)) input++;
            checkConvParity(g, r);
        }
        // every kernel of the path ran: four- and two-vector forward tiles, the input gradient
        assertThat(wideForward).isPositive();
        assertThat(narrowForward).isPositive();
        assertThat(input).isPositive();
    }

    /**
     * PlaNet's encoder layers 2-4 at depth 32 (the paper's sizes), at batches small enough for the
     * scalar references but spanning several tile chunks: the implicit path takes all three.
     */
    @Test
    void implicitPathMatchesScalarOnPlanetEncoderLayers() {
        SplittableRandom r = new SplittableRandom(24);
        ConvGeometry enc2 = ConvGeometry.convValid(3, 31, 31, 32, 64, 4, 4, 2, 2);
        ConvGeometry enc3 = ConvGeometry.convValid(7, 14, 14, 64, 128, 4, 4, 2, 2);
        ConvGeometry enc4 = ConvGeometry.convValid(21, 6, 6, 128, 256, 4, 4, 2, 2);
        for (ConvGeometry g : List.of(enc2, enc3, enc4)) {
            assertThat(ConvImplicit.appliesForward(g) && ConvImplicit.appliesInput(g)).as("%s", g).isTrue();
            checkConvParity(g, r, 1e-3);
        }
    }

    @Test
    void convFastMatchesScalarAcrossSeveralChunks() {
        ConvGeometry g = ConvGeometry.convSame(3, 20, 20, 32, 4, 5, 5, 1, 1);
        assertThat(Conv2d.chunkSamples(g)).isLessThan(g.batch());
        checkConvParity(g, new SplittableRandom(2));
        ConvGeometry t = ConvGeometry.convTransposeSame(3, 20, 20, 4, 32, 5, 5, 1, 1);
        assertThat(Conv2d.chunkSamples(t.transpose())).isLessThan(t.batch());
        checkConvTransposeParity(t, new SplittableRandom(3));
    }

    private static void checkConvParity(ConvGeometry g, SplittableRandom r) {
        checkConvParity(g, r, 1e-4);
    }

    /** {@code sumTol}: tolerance of the weight and bias gradients, sums over every output position. */
    private static void checkConvParity(ConvGeometry g, SplittableRandom r, double sumTol) {
        String s = g.toString();
        float[] x = random(r, g.inSize()), w = random(r, Conv2d.weightSize(g)), b = random(r, g.outC());
        float[] dy = random(r, g.outSize());
        float[] y1 = random(r, g.outSize()), y2 = y1.clone();
        Conv2d.forward(g, x, OFF, w, OFF, b, OFF, y1, OFF);
        Conv2d.forwardScalar(g, x, OFF, w, OFF, b, OFF, y2, OFF);
        assertClose(y1, y2, 1e-4, "forward " + s);
        Conv2d.forward(g, x, OFF, w, OFF, null, 0, y1, OFF);
        Conv2d.forwardScalar(g, x, OFF, w, OFF, null, 0, y2, OFF);
        assertClose(y1, y2, 1e-4, "forward no bias " + s);
        for (boolean acc : new boolean[] {false, true}) {
            float[] dx1 = random(r, g.inSize()), dx2 = dx1.clone();
            Conv2d.backwardInput(g, dy, OFF, w, OFF, dx1, OFF, acc);
            Conv2d.backwardInputScalar(g, dy, OFF, w, OFF, dx2, OFF, acc);
            assertClose(dx1, dx2, 1e-4, "backwardInput acc=" + acc + " " + s);
            float[] dw1 = random(r, Conv2d.weightSize(g)), dw2 = dw1.clone();
            Conv2d.backwardWeight(g, x, OFF, dy, OFF, dw1, OFF, acc);
            Conv2d.backwardWeightScalar(g, x, OFF, dy, OFF, dw2, OFF, acc);
            assertClose(dw1, dw2, sumTol, "backwardWeight acc=" + acc + " " + s);
            float[] db1 = random(r, g.outC()), db2 = db1.clone();
            Conv2d.backwardBias(g, dy, OFF, db1, OFF, acc);
            Conv2d.backwardBiasScalar(g, dy, OFF, db2, OFF, acc);
            assertClose(db1, db2, sumTol, "backwardBias acc=" + acc + " " + s);
        }
    }

    @Test
    void convTransposeFastMatchesScalar() {
        SplittableRandom r = new SplittableRandom(4);
        for (ConvGeometry c : geometries(12, 60)) {
            checkConvTransposeParity(c.transpose(), r);
        }
    }

    private static void checkConvTransposeParity(ConvGeometry g, SplittableRandom r) {
        checkConvTransposeParity(g, r, 1e-4);
    }

    /** {@code sumTol}: tolerance of the weight and bias gradients, sums over every output position. */
    private static void checkConvTransposeParity(ConvGeometry g, SplittableRandom r, double sumTol) {
        String s = g.toString();
        int ws = ConvTranspose2d.weightSize(g);
        float[] x = random(r, g.inSize()), w = random(r, ws), b = random(r, g.outC());
        float[] dy = random(r, g.outSize());
        float[] y1 = random(r, g.outSize()), y2 = y1.clone();
        ConvTranspose2d.forward(g, x, OFF, w, OFF, b, OFF, y1, OFF);
        ConvTranspose2d.forwardScalar(g, x, OFF, w, OFF, b, OFF, y2, OFF);
        assertClose(y1, y2, 1e-4, "convT forward " + s);
        ConvTranspose2d.forward(g, x, OFF, w, OFF, null, 0, y1, OFF);
        ConvTranspose2d.forwardScalar(g, x, OFF, w, OFF, null, 0, y2, OFF);
        assertClose(y1, y2, 1e-4, "convT forward no bias " + s);
        for (boolean acc : new boolean[] {false, true}) {
            float[] dx1 = random(r, g.inSize()), dx2 = dx1.clone();
            ConvTranspose2d.backwardInput(g, dy, OFF, w, OFF, dx1, OFF, acc);
            ConvTranspose2d.backwardInputScalar(g, dy, OFF, w, OFF, dx2, OFF, acc);
            assertClose(dx1, dx2, 1e-4, "convT backwardInput acc=" + acc + " " + s);
            float[] dw1 = random(r, ws), dw2 = dw1.clone();
            ConvTranspose2d.backwardWeight(g, x, OFF, dy, OFF, dw1, OFF, acc);
            ConvTranspose2d.backwardWeightScalar(g, x, OFF, dy, OFF, dw2, OFF, acc);
            assertClose(dw1, dw2, sumTol, "convT backwardWeight acc=" + acc + " " + s);
            float[] db1 = random(r, g.outC()), db2 = db1.clone();
            ConvTranspose2d.backwardBias(g, dy, OFF, db1, OFF, acc);
            ConvTranspose2d.backwardBiasScalar(g, dy, OFF, db2, OFF, acc);
            assertClose(db1, db2, sumTol, "convT backwardBias acc=" + acc + " " + s);
        }
    }

    /** <conv(x), v> = <x, convT(v)> = <x, conv.backwardInput(v)> for the same weight array, scalar and fast. */
    @Test
    void adjointIdentities() {
        SplittableRandom r = new SplittableRandom(5);
        for (ConvGeometry c : geometries(13, 40)) {
            ConvGeometry t = c.transpose();
            float[] x = random(r, c.inSize()), w = random(r, Conv2d.weightSize(c)), v = random(r, c.outSize());
            float[] cx = new float[c.outSize() + 2 * OFF], tv = new float[c.inSize() + 2 * OFF];
            float[] bi = new float[c.inSize() + 2 * OFF];
            Conv2d.forwardScalar(c, x, OFF, w, OFF, null, 0, cx, OFF);
            ConvTranspose2d.forwardScalar(t, v, OFF, w, OFF, null, 0, tv, OFF);
            Conv2d.backwardInputScalar(c, v, OFF, w, OFF, bi, OFF, false);
            double lhs = dot(cx, v, c.outSize());
            double tol = 1e-4 * Math.max(1, Math.abs(lhs));
            assertThat(dot(x, tv, c.inSize())).as("scalar convT adjoint %s", c).isCloseTo(lhs, org.assertj.core.data.Offset.offset(tol));
            assertThat(dot(x, bi, c.inSize())).as("scalar backwardInput adjoint %s", c).isCloseTo(lhs, org.assertj.core.data.Offset.offset(tol));
            Conv2d.forward(c, x, OFF, w, OFF, null, 0, cx, OFF);
            ConvTranspose2d.forward(t, v, OFF, w, OFF, null, 0, tv, OFF);
            Conv2d.backwardInput(c, v, OFF, w, OFF, bi, OFF, false);
            lhs = dot(cx, v, c.outSize());
            assertThat(dot(x, tv, c.inSize())).as("fast convT adjoint %s", c).isCloseTo(lhs, org.assertj.core.data.Offset.offset(tol));
            assertThat(dot(x, bi, c.inSize())).as("fast backwardInput adjoint %s", c).isCloseTo(lhs, org.assertj.core.data.Offset.offset(tol));
            // and convT's own backwardInput is its adjoint: <convT(v), x> = <v, convT.backwardInput(x)>
            float[] tbi = new float[c.outSize() + 2 * OFF];
            ConvTranspose2d.backwardInput(t, x, OFF, w, OFF, tbi, OFF, false);
            assertThat(dot(v, tbi, c.outSize())).as("convT backwardInput adjoint %s", c)
                    .isCloseTo(dot(tv, x, c.inSize()), org.assertj.core.data.Offset.offset(tol));
        }
    }

    /** L(w, b) = <conv(x; w, b), v>: backwardWeight/backwardBias with dy = v vs central differences. */
    @Test
    void weightAndBiasGradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(6);
        for (ConvGeometry c : List.of(ConvGeometry.conv(2, 5, 6, 2, 3, 3, 2, 2, 1, 1, 1),
                ConvGeometry.convSame(1, 4, 5, 3, 2, 4, 3, 3, 2))) {
            for (boolean transpose : new boolean[] {false, true}) {
                ConvGeometry g = transpose ? c.transpose() : c;
                int ws = transpose ? ConvTranspose2d.weightSize(g) : Conv2d.weightSize(g);
                float[] x = random(r, g.inSize()), w = random(r, ws), b = random(r, g.outC()), v = random(r, g.outSize());
                float[] dw = new float[ws + 2 * OFF], db = new float[g.outC() + 2 * OFF];
                if (transpose) {
                    ConvTranspose2d.backwardWeight(g, x, OFF, v, OFF, dw, OFF, false);
                    ConvTranspose2d.backwardBias(g, v, OFF, db, OFF, false);
                } else {
                    Conv2d.backwardWeight(g, x, OFF, v, OFF, dw, OFF, false);
                    Conv2d.backwardBias(g, v, OFF, db, OFF, false);
                }
                float h = 1e-2f;
                for (int i = 0; i < ws; i++) {
                    float keep = w[OFF + i];
                    w[OFF + i] = keep + h;
                    double up = loss(g, transpose, x, w, b, v);
                    w[OFF + i] = keep - h;
                    double down = loss(g, transpose, x, w, b, v);
                    w[OFF + i] = keep;
                    assertThat((double) dw[OFF + i]).as("dw[%d] %s transpose=%s", i, g, transpose)
                            .isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(2e-3));
                }
                for (int i = 0; i < g.outC(); i++) {
                    float keep = b[OFF + i];
                    b[OFF + i] = keep + h;
                    double up = loss(g, transpose, x, w, b, v);
                    b[OFF + i] = keep - h;
                    double down = loss(g, transpose, x, w, b, v);
                    b[OFF + i] = keep;
                    assertThat((double) db[OFF + i]).as("db[%d] %s", i, g)
                            .isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(2e-3));
                }
            }
        }
    }

    private static double loss(ConvGeometry g, boolean transpose, float[] x, float[] w, float[] b, float[] v) {
        float[] y = new float[g.outSize() + 2 * OFF];
        if (transpose) ConvTranspose2d.forward(g, x, OFF, w, OFF, b, OFF, y, OFF);
        else Conv2d.forward(g, x, OFF, w, OFF, b, OFF, y, OFF);
        return dot(y, v, g.outSize());
    }

    @Test
    void fastPathIsBitIdenticalAcrossThreadCounts() {
        bitIdenticalAcrossThreadCounts(ConvGeometry.convValid(3, 17, 15, 5, 8, 4, 4, 2, 2));
        ConvGeometry direct = ConvGeometry.convValid(5, 40, 41, 3, 6, 4, 4, 2, 2);
        assertThat(ConvDirect.applies(direct)).isTrue();
        bitIdenticalAcrossThreadCounts(direct);
        // 35 output pixels per sample: the input gradient's 6-pixel tiles straddle samples
        ConvGeometry implicit = ConvGeometry.convValid(5, 16, 12, 32, 64, 4, 4, 2, 2);
        assertThat(ConvImplicit.appliesForward(implicit) && ConvImplicit.appliesInput(implicit)).isTrue();
        bitIdenticalAcrossThreadCounts(implicit);
        ConvGeometry implicitWide = ConvGeometry.convValid(9, 14, 14, 64, 128, 4, 4, 2, 2);
        assertThat(ConvImplicit.appliesForward(implicitWide) && ConvImplicit.appliesInput(implicitWide)).isTrue();
        bitIdenticalAcrossThreadCounts(implicitWide);
    }

    private static void bitIdenticalAcrossThreadCounts(ConvGeometry g) {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = random(r, g.inSize()), w = random(r, Conv2d.weightSize(g)), dy = random(r, g.outSize());
        float[][] ys = new float[2][], dxs = new float[2][], dws = new float[2][];
        int[] threads = {1, 4};
        for (int t = 0; t < 2; t++) {
            ys[t] = new float[g.outSize() + 2 * OFF];
            dxs[t] = new float[g.inSize() + 2 * OFF];
            dws[t] = new float[Conv2d.weightSize(g) + 2 * OFF];
            Conv2d.forward(g, x, OFF, w, OFF, null, 0, ys[t], OFF, threads[t]);
            Conv2d.backwardInput(g, dy, OFF, w, OFF, dxs[t], OFF, false, threads[t]);
            Conv2d.backwardWeight(g, x, OFF, dy, OFF, dws[t], OFF, false, threads[t]);
        }
        assertThat(ys[1]).isEqualTo(ys[0]);
        assertThat(dxs[1]).isEqualTo(dxs[0]);
        assertThat(dws[1]).isEqualTo(dws[0]);
    }

    /** PlaNet's architecture (Hafner et al. 2019): encoder 64 -> 31 -> 14 -> 6 -> 2 (k4 s2 valid), decoder 1 -> 5 -> 13 -> 30 -> 64. */
    @Test
    void planetShapes() {
        long encFlops = 0, decFlops = 0;
        int[] encIn = {64, 31, 14, 6}, encOut = {31, 14, 6, 2}, encC = {3, 32, 64, 128, 256};
        for (int i = 0; i < 4; i++) {
            ConvGeometry g = ConvGeometry.convValid(50, encIn[i], encIn[i], encC[i], encC[i + 1], 4, 4, 2, 2);
            assertThat(g.outH()).isEqualTo(encOut[i]);
            assertThat(g.outW()).isEqualTo(encOut[i]);
            encFlops += g.flops();
        }
        assertThat(2 * 2 * 256).isEqualTo(1024);
        int[] decIn = {1, 5, 13, 30}, decOut = {5, 13, 30, 64}, decK = {5, 5, 6, 6}, decC = {1024, 128, 64, 32, 3};
        for (int i = 0; i < 4; i++) {
            ConvGeometry g = ConvGeometry.convTransposeValid(50, decIn[i], decIn[i], decC[i], decC[i + 1],
                    decK[i], decK[i], 2, 2);
            assertThat(g.outH()).isEqualTo(decOut[i]);
            assertThat(g.outW()).isEqualTo(decOut[i]);
            decFlops += g.transposeFlops();
        }
        // encoder forward 1.47 GFLOP, decoder 2.40 GFLOP at batch 50 (two FLOPs per multiply-add)
        assertThat(encFlops).isEqualTo(2L * 50 * (31 * 31 * 48 * 32 + 14 * 14 * 512 * 64 + 6 * 6 * 1024 * 128 + 2 * 2 * 2048 * 256));
        assertThat(encFlops / 1e9).isCloseTo(1.47, org.assertj.core.data.Offset.offset(0.005));
        assertThat(decFlops / 1e9).isCloseTo(2.40, org.assertj.core.data.Offset.offset(0.005));
        assertThat(ConvGeometry.convSame(1, 7, 8, 1, 1, 3, 3, 2, 2).outH()).isEqualTo(4);
        assertThat(ConvGeometry.convSame(1, 7, 8, 1, 1, 3, 3, 2, 2).outW()).isEqualTo(4);
        assertThat(ConvGeometry.convTransposeSame(1, 4, 4, 1, 1, 3, 3, 2, 2).outH()).isEqualTo(8);
        assertThat(ConvGeometry.convOutSize(10, 3, 1, 1, 1)).isEqualTo(10);
        assertThat(ConvGeometry.convTransposeOutSize(10, 3, 2, 1, 1)).isEqualTo(20);
    }

    /** A hand-computed case: 1x3x3x1 input, 2x2 all-ones kernel, stride 1 -> window sums. */
    @Test
    void handComputedWindowSums() {
        ConvGeometry g = ConvGeometry.convValid(1, 3, 3, 1, 1, 2, 2, 1, 1);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9}, w = {1, 1, 1, 1}, y = new float[4];
        Conv2d.forward(g, x, 0, w, 0, new float[] {0.5f}, 0, y, 0);
        assertThat(y).containsExactly(12.5f, 16.5f, 24.5f, 28.5f);
        // the transpose spreads each input over a 2x2 block: a single 1 in the middle of a 2x2 grid
        float[] out = new float[9];
        ConvTranspose2d.forward(g.transpose(), new float[] {1, 0, 0, 0}, 0, w, 0, null, 0, out, 0);
        assertThat(out).containsExactly(1, 1, 0, 1, 1, 0, 0, 0, 0);
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThatThrownBy(() -> ConvGeometry.convValid(1, 3, 3, 1, 1, 4, 4, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smaller than kernel 4");
        assertThatThrownBy(() -> ConvGeometry.conv(0, 3, 3, 1, 1, 2, 2, 1, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> ConvGeometry.conv(1, 8, 8, 1, 1, 3, 3, 1, 1, 3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padding");
        assertThatThrownBy(() -> ConvGeometry.convTranspose(1, 3, 3, 1, 1, 3, 3, 2, 2, 0, 0, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outPad=2");
        ConvGeometry wrong = new ConvGeometry(1, 8, 8, 1, 10, 8, 1, 3, 3, 1, 1, 1, 1);
        float[] big = new float[1000];
        assertThatThrownBy(() -> Conv2d.forward(wrong, big, 0, big, 0, null, 0, big, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Conv2d.forward")
                .hasMessageContaining("output 10x8 does not match input 8x8");
        ConvGeometry g = ConvGeometry.convValid(2, 5, 5, 3, 4, 3, 3, 1, 1);
        float[] x = new float[g.inSize()], w = new float[Conv2d.weightSize(g)], y = new float[g.outSize()];
        assertThatThrownBy(() -> Conv2d.forward(g, x, 1, w, 0, null, 0, y, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Conv2d.forward: x needs 150 floats at offset 1, array has 150");
        assertThatThrownBy(() -> Conv2d.backwardWeight(g, x, 0, y, 0, new float[5], 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dw needs 108 floats");
        assertThatThrownBy(() -> ConvTranspose2d.forward(g.transpose(), y, 0, w, 0, new float[2], 0, x, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b needs 3 floats");
    }
}
