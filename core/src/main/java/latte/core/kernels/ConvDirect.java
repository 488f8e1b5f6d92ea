package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import latte.core.Parallel;

import static latte.core.kernels.Simd.F;
import static latte.core.kernels.Simd.LANES;

/**
 * Direct (no im2col) {@link Conv2d} forward and weight gradient for unpadded convolutions whose
 * input has only a few channels and a wide output: PlaNet's first encoder layer (an RGB image)
 * and, through {@link ConvTranspose2d}'s adjoint form, its last decoder layer. There the GEMM
 * form is at its worst: a receptive-field row is only {@code KH * KW * Cin} floats (48 for a 4x4
 * RGB window) and the product has {@code n = Cout} or {@code m = Cout} as small as 8, so
 * materialising the column matrix and packing it costs more than the arithmetic.
 *
 * <p>Instead the input is split, a chunk of samples at a time, into <em>phase planes</em>: for
 * stride {@code s}, {@code xp[n, iy, ci, p, j] = x[n, iy, j*s + p, ci]} (zero past the image).
 * Then the inputs that kernel column {@code kx} reads for the outputs {@code ox, ox+1, ...} of
 * one output row are the contiguous run {@code xp[n, iy, ci, kx % s, ox + kx / s ...]}, and
 * <pre>
 *   y[n, oy, ox.., co]  = sum_{ky, kx, ci} xp[n, oy*sh + ky, ci, kx % s, ox + kx/s ..] * w[ky, kx, ci, co]
 *   dw[ky, kx, ci, co] = sum_{n, oy}  < xp[n, oy*sh + ky, ci, kx % s, kx/s ..],  dyᵀ[n, oy, co, ..] >
 * </pre>
 * are vector FMAs over {@code 2 * LANES} consecutive outputs ({@code dyᵀ} is {@code dy} with the
 * channel and column axes swapped, zero past {@code OW}). Each output's sum runs over
 * {@code (ky, kx, ci)} in order and each weight-gradient lane over the rows in order, whatever the
 * thread count, so results are bit-identical on any number of threads.
 * {@link Conv2d#forwardScalar} and {@link Conv2d#backwardWeightScalar} are the references.
 */
final class ConvDirect {
    private ConvDirect() {}

    /** Widest input (channels) the direct path takes: beyond it im2col runs are long enough for the GEMM form. */
    static final int MAX_IN_C = 4;
    /**
     * Most output channels the direct path takes: from 32 (PlaNet's paper-size first layer) the
     * GEMM form's 32-wide tiles are full and it is faster again (measured, docs/conv-gru.md).
     */
    static final int MAX_OUT_C = 16;
    /** Output channels per register block of the forward kernel (times two vectors of outputs). */
    private static final int CB = 4;

    /** Per worker thread: one forward block's outputs on their way to NHWC (a leaf use, never nested). */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[2 * LANES * CB]);
    /** Per calling thread: the kernel-entry offsets of {@link #offsets}, grown as needed. */
    private static final ThreadLocal<int[][]> OFFSETS = ThreadLocal.withInitial(() -> new int[][] {new int[0]});

    /**
     * Whether the direct path computes {@code g}: no padding, at most {@link #MAX_IN_C} input and
     * {@link #MAX_OUT_C} output channels, an output row at least a vector wide.
     */
    static boolean applies(ConvGeometry g) {
        return g.padH() == 0 && g.padW() == 0 && g.inC() <= MAX_IN_C && g.outC() <= MAX_OUT_C && g.outW() >= LANES;
    }

    /** Outputs per row rounded up to whole pairs of vectors. */
    private static int paddedOutW(ConvGeometry g) {
        return Gemm.ceilDiv(g.outW(), 2 * LANES) * 2 * LANES;
    }

    /** Length of one phase-plane row: the padded outputs plus the largest kernel-column offset (and at least the input). */
    private static int planeW(ConvGeometry g) {
        return Math.max(paddedOutW(g) + (g.kernelW() - 1) / g.strideW(), Gemm.ceilDiv(g.inW(), g.strideW()));
    }

    /** Floats of one sample's phase planes {@code [H, C, s, WP]}. */
    private static int planeSample(ConvGeometry g) {
        return g.inH() * g.inC() * g.strideW() * planeW(g);
    }

    /** Samples per chunk: the phase planes of a chunk stay near {@link Conv2d#CHUNK_FLOATS}. */
    private static int chunk(ConvGeometry g) {
        return Math.max(1, Math.min(g.batch(), Conv2d.CHUNK_FLOATS / planeSample(g)));
    }

    /** Writes the phase planes of samples {@code [n0, n1)} of {@code x} into {@code xp} from index 0. */
    private static void split(ConvGeometry g, float[] x, int xOff, int n0, int n1, float[] xp, int threads) {
        int H = g.inH(), W = g.inW(), C = g.inC(), S = g.strideW(), WP = planeW(g), per = planeSample(g);
        Parallel.forRange(n1 - n0, Math.min(threads, n1 - n0), (lo, hi) -> {
            for (int nl = lo; nl < hi; nl++)
                for (int iy = 0; iy < H; iy++) {
                    int src = xOff + ((n0 + nl) * H + iy) * W * C;
                    // Plane rows are written in order; the input row they gather from stays in L1.
                    for (int ci = 0, dst = (nl * H + iy) * C * S * WP; ci < C; ci++)
                        for (int p = 0; p < S; p++, dst += WP) {
                            int j = 0;
                            for (int at = src + p * C + ci; j * S + p < W; j++, at += S * C) xp[dst + j] = x[at];
                            java.util.Arrays.fill(xp, dst + j, dst + WP, 0f);
                        }
                }
        });
    }

    /** {@code y (+)= conv(x, w)}; {@code addToY} adds to what {@code y} holds (a bias, a gradient). */
    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                        boolean addToY, int threads) {
        int C = g.inC(), CO = g.outC(), KH = g.kernelH(), KW = g.kernelW(), K = KH * KW * C;
        int OH = g.outH(), OW = g.outW(), H = g.inH(), S = g.strideW(), sh = g.strideH();
        int WP = planeW(g), OWP = paddedOutW(g), COP = Gemm.ceilDiv(CO, CB) * CB;
        // The weight with Cout padded to whole blocks (zeros), so every block runs the same code.
        float[] wp = Scratch.get(Scratch.WEIGHT, K * COP);
        for (int k = 0; k < K; k++) {
            System.arraycopy(w, wOff + k * CO, wp, k * COP, CO);
            java.util.Arrays.fill(wp, k * COP + CO, (k + 1) * COP, 0f);
        }
        int chunk = chunk(g);
        float[] xp = Scratch.get(Scratch.COL, chunk * planeSample(g));
        for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
            int n1 = Math.min(g.batch(), n0 + chunk), first = n0;
            split(g, x, xOff, n0, n1, xp, threads);
            int rows = (n1 - n0) * OH;
            long work = (long) rows * OWP * K * COP;
            Parallel.forRange(rows, (int) Math.max(1, Math.min(threads, work >> 20)), (lo, hi) -> {
                float[] tile = TILE.get(); // one block's outputs on their way to NHWC
                for (int r = lo; r < hi; r++) {
                    int nl = r / OH, oy = r % OH;
                    int yRow = yOff + ((first + nl) * OH + oy) * OW * CO;
                    for (int v0 = 0; v0 < OWP; v0 += 2 * LANES)
                        for (int cb = 0; cb < COP; cb += CB)
                            forwardBlock(xp, (nl * H + oy * sh) * C * S * WP + v0, wp, cb, COP, C, S, WP, KH, KW,
                                    y, yRow + v0 * CO + cb, CO, tile, Math.min(CB, CO - cb), OW - v0, addToY);
                }
            });
        }
    }

    /**
     * One block: {@code 2 * LANES} outputs of one row times {@link #CB} output channels, kept in
     * registers over the whole window, then written (added) to the first {@code outs} outputs
     * and {@code cos} channels of the NHWC row at {@code yAt}.
     */
    private static void forwardBlock(float[] xp, int xBase, float[] wp, int cb, int COP, int C, int S, int WP,
                                     int KH, int KW, float[] y, int yAt, int CO, float[] tile, int cos, int outs,
                                     boolean addToY) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00,
                a30 = a00, a31 = a00;
        int k = 0;
        for (int ky = 0; ky < KH; ky++) {
            int rowBase = xBase + ky * C * S * WP;
            for (int kx = 0; kx < KW; kx++) {
                int at = rowBase + (kx % S) * WP + kx / S;
                for (int ci = 0; ci < C; ci++, k++, at += S * WP) {
                    FloatVector x0 = FloatVector.fromArray(F, xp, at), x1 = FloatVector.fromArray(F, xp, at + LANES);
                    int wk = k * COP + cb;
                    FloatVector w0 = FloatVector.broadcast(F, wp[wk]), w1 = FloatVector.broadcast(F, wp[wk + 1]);
                    FloatVector w2 = FloatVector.broadcast(F, wp[wk + 2]), w3 = FloatVector.broadcast(F, wp[wk + 3]);
                    a00 = x0.fma(w0, a00); a01 = x1.fma(w0, a01);
                    a10 = x0.fma(w1, a10); a11 = x1.fma(w1, a11);
                    a20 = x0.fma(w2, a20); a21 = x1.fma(w2, a21);
                    a30 = x0.fma(w3, a30); a31 = x1.fma(w3, a31);
                }
            }
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, LANES);
        a10.intoArray(tile, 2 * LANES); a11.intoArray(tile, 3 * LANES);
        a20.intoArray(tile, 4 * LANES); a21.intoArray(tile, 5 * LANES);
        a30.intoArray(tile, 6 * LANES); a31.intoArray(tile, 7 * LANES);
        int n = Math.min(outs, 2 * LANES);
        for (int o = 0; o < n; o++, yAt += CO)
            for (int j = 0; j < cos; j++) {
                float v = tile[j * 2 * LANES + o];
                y[yAt + j] = addToY ? y[yAt + j] + v : v;
            }
    }

    /**
     * {@code dyT[r, co, ox] = dy[r, ox, co]} for {@code rows} output rows of {@code OW x CO}, each
     * transposed row {@code [CP, OWP]} zero past {@code CO} channels and {@code OW} columns.
     */
    private static void transposeRows(float[] dy, int dyOff, int rows, int OW, int CO, int CP, int OWP,
                                      float[] dyT, int threads) {
        Parallel.forRange(rows, Math.min(threads, rows), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int src = dyOff + r * OW * CO, dst = r * CP * OWP;
                java.util.Arrays.fill(dyT, dst, dst + CP * OWP, 0f);
                for (int ox = 0; ox < OW; ox++)
                    for (int co = 0; co < CO; co++) dyT[dst + co * OWP + ox] = dy[src + ox * CO + co];
            }
        });
    }

    /**
     * {@code dx += conv's input gradient for dy}: per sample, each output row's {@code dyᵀ} runs
     * are combined with {@code w[ky, kx, ci, :]} and added into the phase-plane run that
     * {@code (ky, kx, ci)} read in the forward pass; then the planes are added into the NHWC
     * {@code dx}. Threads split the samples (each owns its planes), and within a sample the adds
     * run in a fixed order, so any thread count gives the same bits.
     */
    static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff,
                              int threads) {
        int C = g.inC(), CO = g.outC(), KH = g.kernelH(), KW = g.kernelW();
        int OH = g.outH(), OW = g.outW(), H = g.inH(), W = g.inW(), S = g.strideW(), sh = g.strideH();
        int WP = planeW(g), OWP = paddedOutW(g), per = planeSample(g), K = KH * KW * C, K4 = Gemm.ceilDiv(K, CB) * CB;
        int[] koff = offsets(g, K4);
        // The weight rows [K, CO] padded with zero rows to K4: padding rows add zeros.
        float[] wp = Scratch.get(Scratch.WEIGHT, K4 * CO);
        System.arraycopy(w, wOff, wp, 0, K * CO);
        java.util.Arrays.fill(wp, K * CO, K4 * CO, 0f);
        int chunk = chunk(g);
        float[] xp = Scratch.get(Scratch.COL, chunk * per);
        float[] dyT = Scratch.get(Scratch.DIRECT, chunk * OH * CO * OWP); // [n, oy, CO, OWP]
        for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
            int n1 = Math.min(g.batch(), n0 + chunk), first = n0;
            transposeRows(dy, dyOff + first * OH * OW * CO, (n1 - n0) * OH, OW, CO, CO, OWP, dyT, threads);
            Parallel.forRange(n1 - n0, Math.min(threads, n1 - n0), (lo, hi) -> {
                for (int nl = lo; nl < hi; nl++) {
                    java.util.Arrays.fill(xp, nl * per, (nl + 1) * per, 0f);
                    for (int oy = 0; oy < OH; oy++) {
                        int xBase = (nl * H + oy * sh) * C * S * WP, d = (nl * OH + oy) * CO * OWP;
                        for (int kb = 0; kb < K4; kb += CB)
                            inputBlock(dyT, d, wp, kb, CO, OWP, xp, xBase + koff[kb], xBase + koff[kb + 1],
                                    xBase + koff[kb + 2], xBase + koff[kb + 3]);
                    }
                    // Back to NHWC: the inverse of split, adding.
                    for (int iy = 0; iy < H; iy++) {
                        int dst = dxOff + ((first + nl) * H + iy) * W * C;
                        for (int ci = 0, src = (nl * H + iy) * C * S * WP; ci < C; ci++)
                            for (int p = 0; p < S; p++, src += WP)
                                for (int j = 0, at = dst + p * C + ci; j * S + p < W; j++, at += S * C) dx[at] += xp[src + j];
                    }
                }
            });
        }
    }

    /**
     * Offset of the phase-plane run of each {@code (ky, kx, ci)} from the start of its output
     * row's planes; entries from {@code K} to {@code K4} repeat the last run (they belong to
     * padding rows of the weight that are zero or never read).
     */
    private static int[] offsets(ConvGeometry g, int K4) {
        int C = g.inC(), KW = g.kernelW(), S = g.strideW(), WP = planeW(g), K = g.kernelH() * KW * C;
        int[][] holder = OFFSETS.get();
        if (holder[0].length < K4) holder[0] = new int[K4];
        int[] koff = holder[0];
        for (int k = 0; k < K4; k++) {
            int kk = Math.min(k, K - 1), ci = kk % C, kx = (kk / C) % KW, ky = kk / (C * KW);
            koff[k] = ((ky * C + ci) * S + kx % S) * WP + kx / S;
        }
        return koff;
    }

    /**
     * Adds {@code sum_co dyT[co, ..] * w[k + i, co]} into the phase-plane runs at {@code o0..o3}
     * for the four kernel entries {@code k..k+3} of one output row: four independent sums
     * (two vectors each) share every {@code dyT} load. The runs may overlap, so each is
     * read, added and stored in turn.
     */
    private static void inputBlock(float[] dyT, int d, float[] wp, int k, int CO, int OWP, float[] xp,
                                   int o0, int o1, int o2, int o3) {
        for (int v = 0; v < OWP; v += 2 * LANES) {
            FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00,
                    s30 = s00, s31 = s00;
            for (int co = 0, di = d + v, wi = k * CO; co < CO; co++, di += OWP, wi++) {
                FloatVector d0 = FloatVector.fromArray(F, dyT, di), d1 = FloatVector.fromArray(F, dyT, di + LANES);
                FloatVector w0 = FloatVector.broadcast(F, wp[wi]), w1 = FloatVector.broadcast(F, wp[wi + CO]);
                FloatVector w2 = FloatVector.broadcast(F, wp[wi + 2 * CO]), w3 = FloatVector.broadcast(F, wp[wi + 3 * CO]);
                s00 = d0.fma(w0, s00); s01 = d1.fma(w0, s01);
                s10 = d0.fma(w1, s10); s11 = d1.fma(w1, s11);
                s20 = d0.fma(w2, s20); s21 = d1.fma(w2, s21);
                s30 = d0.fma(w3, s30); s31 = d1.fma(w3, s31);
            }
            addTo(xp, o0 + v, s00, s01);
            addTo(xp, o1 + v, s10, s11);
            addTo(xp, o2 + v, s20, s21);
            addTo(xp, o3 + v, s30, s31);
        }
    }

    private static void addTo(float[] xp, int at, FloatVector a, FloatVector b) {
        FloatVector.fromArray(F, xp, at).add(a).intoArray(xp, at);
        FloatVector.fromArray(F, xp, at + LANES).add(b).intoArray(xp, at + LANES);
    }

    /** Rows per block of the weight gradient: their phase planes and {@code dyᵀ} stay in L1 while every weight block passes. */
    private static final int RB = 4;

    /**
     * {@code dw (+)= sum over rows of <phase-plane run, dyᵀ run>} (see the class comment) with
     * 4 x 4 blocks of {@code (ky, kx, ci) x co} accumulators held in registers over {@link #RB}
     * rows at a time. Threads split the {@code (ky, kx, ci)} blocks; every lane of every
     * accumulator adds its rows in order, and the lanes are added in order at the end.
     */
    static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff,
                               boolean accumulate, int threads) {
        int C = g.inC(), CO = g.outC(), KH = g.kernelH(), KW = g.kernelW(), K = KH * KW * C;
        int OH = g.outH(), OW = g.outW(), H = g.inH(), S = g.strideW(), sh = g.strideH();
        int WP = planeW(g), OWP = paddedOutW(g), K4 = Gemm.ceilDiv(K, CB) * CB, COP = Gemm.ceilDiv(CO, CB) * CB;
        int[] koff = offsets(g, K4);
        float[] acc = Scratch.get(Scratch.WEIGHT, K4 * COP * LANES); // [K4, COP, LANES]
        java.util.Arrays.fill(acc, 0, K4 * COP * LANES, 0f);
        int chunk = chunk(g);
        float[] xp = Scratch.get(Scratch.COL, chunk * planeSample(g));
        float[] dyT = Scratch.get(Scratch.DIRECT, chunk * OH * COP * OWP); // [n, oy, COP, OWP]
        for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
            int n1 = Math.min(g.batch(), n0 + chunk), first = n0, rows = (n1 - n0) * OH;
            split(g, x, xOff, n0, n1, xp, threads);
            transposeRows(dy, dyOff + first * OH * OW * CO, rows, OW, CO, COP, OWP, dyT, threads);
            int kBlocks = K4 / CB;
            long work = (long) rows * OWP * K4 * COP;
            Parallel.forRange(kBlocks, (int) Math.max(1, Math.min(threads, Math.min(kBlocks, work >> 20))), (lo, hi) -> {
                int sample = H * C * S * WP, rowStep = sh * C * S * WP;
                for (int r0 = 0; r0 < rows; r0 += RB) {
                    // The block's row bases, worked out once (not once per weight block).
                    int nr = Math.min(RB, rows - r0);
                    int x0 = (r0 / OH) * sample + (r0 % OH) * rowStep;
                    int x1 = nr > 1 ? ((r0 + 1) / OH) * sample + ((r0 + 1) % OH) * rowStep : x0;
                    int x2 = nr > 2 ? ((r0 + 2) / OH) * sample + ((r0 + 2) % OH) * rowStep : x0;
                    int x3 = nr > 3 ? ((r0 + 3) / OH) * sample + ((r0 + 3) % OH) * rowStep : x0;
                    for (int kb = lo; kb < hi; kb++)
                        for (int cb = 0; cb < COP; cb += CB)
                            weightBlock(xp, koff, kb * CB, dyT, cb, r0, nr, x0, x1, x2, x3, COP, OWP, acc);
                }
            });
        }
        for (int k = 0; k < K; k++)
            for (int co = 0; co < CO; co++) {
                float sum = 0f;
                for (int l = 0, ai = (k * COP + co) * LANES; l < LANES; l++) sum += acc[ai + l];
                int i = dwOff + k * CO + co;
                dw[i] = accumulate ? dw[i] + sum : sum;
            }
    }

    /**
     * Adds rows {@code r0 .. r0 + nr - 1} ({@code nr <= RB}, planes starting at {@code x0..x3})
     * into the 4 x 4 accumulator block at {@code (k, cb)}.
     */
    private static void weightBlock(float[] xp, int[] koff, int k, float[] dyT, int cb, int r0, int nr,
                                    int x0, int x1, int x2, int x3, int COP, int OWP, float[] acc) {
        int ai = (k * COP + cb) * LANES, kStep = COP * LANES;
        FloatVector a00 = FloatVector.fromArray(F, acc, ai), a01 = FloatVector.fromArray(F, acc, ai + LANES),
                a02 = FloatVector.fromArray(F, acc, ai + 2 * LANES), a03 = FloatVector.fromArray(F, acc, ai + 3 * LANES);
        FloatVector a10 = FloatVector.fromArray(F, acc, ai + kStep), a11 = FloatVector.fromArray(F, acc, ai + kStep + LANES),
                a12 = FloatVector.fromArray(F, acc, ai + kStep + 2 * LANES), a13 = FloatVector.fromArray(F, acc, ai + kStep + 3 * LANES);
        FloatVector a20 = FloatVector.fromArray(F, acc, ai + 2 * kStep), a21 = FloatVector.fromArray(F, acc, ai + 2 * kStep + LANES),
                a22 = FloatVector.fromArray(F, acc, ai + 2 * kStep + 2 * LANES), a23 = FloatVector.fromArray(F, acc, ai + 2 * kStep + 3 * LANES);
        FloatVector a30 = FloatVector.fromArray(F, acc, ai + 3 * kStep), a31 = FloatVector.fromArray(F, acc, ai + 3 * kStep + LANES),
                a32 = FloatVector.fromArray(F, acc, ai + 3 * kStep + 2 * LANES), a33 = FloatVector.fromArray(F, acc, ai + 3 * kStep + 3 * LANES);
        int o0 = koff[k], o1 = koff[k + 1], o2 = koff[k + 2], o3 = koff[k + 3];
        for (int i = 0; i < nr; i++) {
            int xBase = i == 0 ? x0 : i == 1 ? x1 : i == 2 ? x2 : x3, d = ((r0 + i) * COP + cb) * OWP;
            for (int v = 0; v < OWP; v += LANES, d += LANES) {
                FloatVector v0 = FloatVector.fromArray(F, xp, xBase + o0 + v), v1 = FloatVector.fromArray(F, xp, xBase + o1 + v);
                FloatVector v2 = FloatVector.fromArray(F, xp, xBase + o2 + v), v3 = FloatVector.fromArray(F, xp, xBase + o3 + v);
                FloatVector d0 = FloatVector.fromArray(F, dyT, d), d1 = FloatVector.fromArray(F, dyT, d + OWP);
                FloatVector d2 = FloatVector.fromArray(F, dyT, d + 2 * OWP), d3 = FloatVector.fromArray(F, dyT, d + 3 * OWP);
                a00 = v0.fma(d0, a00); a01 = v0.fma(d1, a01); a02 = v0.fma(d2, a02); a03 = v0.fma(d3, a03);
                a10 = v1.fma(d0, a10); a11 = v1.fma(d1, a11); a12 = v1.fma(d2, a12); a13 = v1.fma(d3, a13);
                a20 = v2.fma(d0, a20); a21 = v2.fma(d1, a21); a22 = v2.fma(d2, a22); a23 = v2.fma(d3, a23);
                a30 = v3.fma(d0, a30); a31 = v3.fma(d1, a31); a32 = v3.fma(d2, a32); a33 = v3.fma(d3, a33);
            }
        }
        a00.intoArray(acc, ai); a01.intoArray(acc, ai + LANES); a02.intoArray(acc, ai + 2 * LANES); a03.intoArray(acc, ai + 3 * LANES);
        ai += kStep;
        a10.intoArray(acc, ai); a11.intoArray(acc, ai + LANES); a12.intoArray(acc, ai + 2 * LANES); a13.intoArray(acc, ai + 3 * LANES);
        ai += kStep;
        a20.intoArray(acc, ai); a21.intoArray(acc, ai + LANES); a22.intoArray(acc, ai + 2 * LANES); a23.intoArray(acc, ai + 3 * LANES);
        ai += kStep;
        a30.intoArray(acc, ai); a31.intoArray(acc, ai + LANES); a32.intoArray(acc, ai + 2 * LANES); a33.intoArray(acc, ai + 3 * LANES);
    }
}
