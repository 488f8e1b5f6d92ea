package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import latte.core.Parallel;

import static latte.core.kernels.Simd.F;
import static latte.core.kernels.Simd.LANES;

/**
 * Implicit-GEMM {@link Conv2d} forward, input gradient and weight gradient for unpadded
 * convolutions with wide channel counts (PlaNet's encoder layers 2-4: 32-256 channels): the
 * column matrix {@code col = im2col(x)} is never written. Its row {@code p = (n, oy, ox)} is read
 * straight from the input, since in NHWC without padding the window of output {@code p} is, for
 * each kernel row {@code ky}, one contiguous run of {@code KW * Cin} floats starting at
 * {@code base(p) + ky * W * Cin}, {@code base(p) = ((n H + oy sh) W + ox sw) Cin}:
 * <pre>
 *   col[p, (ky, q)] = x[base(p) + ky W Cin + q]                    q in [0, KW Cin)
 *   forward         y[p, co]  = b[co] + sum_{ky, q} col[p, (ky, q)] w[(ky, q), co]
 *   backwardInput   x̄[base(p) + ky W Cin + q] += sum_co dy[p, co] w[(ky, q), co]
 *   backwardWeight  dw[(ky, q), co] = sum_p col[p, (ky, q)] dy[p, co]
 * </pre>
 * Every product keeps {@code Cout} (forward, weight gradient) or {@code (ky, q)} (input
 * gradient) in the vector lanes: register tiles of 6 rows x 2 vectors as in {@link Gemm}'s
 * microkernel, with the 6 rows' addresses given one by one (6 outputs for the forward and input
 * gradient, 6 kernel entries for the weight gradient), so the rows of a tile need not be
 * equally spaced and nothing is packed except {@code wᵀ} for the input gradient.
 *
 * <p>Determinism: each forward output and each weight-gradient entry is one FMA chain, in index
 * order, over its whole sum (the weight gradient's chain is carried through {@code dw} between
 * pixel chunks); each input-gradient tile is one FMA chain over {@code co}, added into {@code dx}
 * in an order fixed by the shape (chunk of tiles, kernel row, panel, tile, row). Threads split
 * output tiles (forward, weight gradient) or samples (input gradient: a worker computes the
 * tiles that touch its samples and stores only its samples' rows), so results are bit-identical
 * on any thread count. {@link Conv2d#forwardScalar}, {@link Conv2d#backwardInputScalar} and
 * {@link Conv2d#backwardWeightScalar} are the references.
 */
final class ConvImplicit {
    private ConvImplicit() {}

    /** Rows of a register tile. */
    private static final int MR = 6;
    /** Columns of a register tile: two vectors. */
    private static final int NR = 2 * LANES;
    /** Columns of the wide register tile (forward, weight gradient) when the output channels allow: four vectors. */
    private static final int NR4 = 4 * LANES;
    /** Floats of the operand a chunk of tiles streams through (256 KiB: stays in L2). */
    private static final int CHUNK = 1 << 16;

    /** Per calling thread: the input offset {@code base(p)} of every output pixel, grown as needed. */
    private static final ThreadLocal<int[][]> BASES = ThreadLocal.withInitial(() -> new int[][] {new int[0]});

    /**
     * Whether this path computes {@code g}'s forward and weight gradient: no padding, every window
     * inside the input, output channels a multiple of {@link #NR}, and not a layer
     * {@link ConvDirect} takes.
     */
    static boolean applies(ConvGeometry g) {
        return g.padH() == 0 && g.padW() == 0
                && (g.outH() - 1) * g.strideH() + g.kernelH() <= g.inH()
                && (g.outW() - 1) * g.strideW() + g.kernelW() <= g.inW()
                && g.outC() % NR == 0 && !ConvDirect.applies(g);
    }

    /**
     * Whether it computes the forward: {@link #applies} and either four-vector tiles (output
     * channels a multiple of {@link #NR4}) or window rows shorter than {@link #NR} (an RGB-sized
     * input, where im2col's short runs cost most). With two-vector tiles over long window rows
     * the GEMM path measured faster (PlaNet's third layer at depth 8: 2.0 vs 2.45 ms).
     */
    static boolean appliesForward(ConvGeometry g) {
        return applies(g) && (g.outC() % NR4 == 0 || g.kernelW() * g.inC() < NR);
    }

    /** Whether it also computes the input gradient: {@link #applies} and window rows {@code KW * Cin} a multiple of {@link #NR} (its panels). */
    static boolean appliesInput(ConvGeometry g) {
        return applies(g) && (g.kernelW() * g.inC()) % NR == 0;
    }

    /** {@code base(p)} for every output pixel {@code p}, relative to the sample array's offset. */
    private static int[] bases(ConvGeometry g) {
        int pixels = g.batch() * g.outH() * g.outW();
        int[][] holder = BASES.get();
        if (holder[0].length < pixels) holder[0] = new int[pixels];
        int[] base = holder[0];
        int H = g.inH(), W = g.inW(), C = g.inC();
        for (int n = 0, p = 0; n < g.batch(); n++)
            for (int oy = 0; oy < g.outH(); oy++)
                for (int ox = 0; ox < g.outW(); ox++, p++)
                    base[p] = ((n * H + oy * g.strideH()) * W + ox * g.strideW()) * C;
        return base;
    }

    // ---------------------------------------------------------------- forward

    /** {@code y (+)= im2col(x) · W}; {@code addToY} starts each sum from what is in {@code y} (the bias). */
    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                        boolean addToY, int threads) {
        int CO = g.outC(), KH = g.kernelH(), kwc = g.kernelW() * g.inC(), rowStride = g.inW() * g.inC();
        int K = KH * kwc, pixels = g.batch() * g.outH() * g.outW();
        boolean wide = CO % NR4 == 0;
        int PW = wide ? NR4 : NR, tiles = Gemm.ceilDiv(pixels, MR), panels = CO / PW;
        int chunk = Math.max(1, CHUNK / (MR * K)); // tiles whose windows (at most MR K floats each) stay in L2
        int[] base = bases(g);
        float[] wp = Scratch.get(Scratch.IMPLICIT, K * CO); // [CO / PW][K][PW]
        for (int k = 0; k < K; k++)
            for (int jp = 0; jp < panels; jp++)
                System.arraycopy(w, wOff + k * CO + jp * PW, wp, (jp * K + k) * PW, PW);
        Parallel.forRange(tiles, parts(threads, (long) pixels * K * CO), (lo, hi) -> {
            for (int t0 = lo; t0 < hi; t0 += chunk) {
                int t1 = Math.min(hi, t0 + chunk);
                // Panel outer: the K x NR weight panel stays in L2 while the chunk's windows pass.
                for (int jp = 0; jp < panels; jp++)
                    for (int t = t0; t < t1; t++) {
                        int p0 = t * MR, rows = Math.min(MR, pixels - p0), last = pixels - 1;
                        int x0 = xOff + base[p0], x1 = xOff + base[Math.min(p0 + 1, last)];
                        int x2 = xOff + base[Math.min(p0 + 2, last)], x3 = xOff + base[Math.min(p0 + 3, last)];
                        int x4 = xOff + base[Math.min(p0 + 4, last)], x5 = xOff + base[Math.min(p0 + 5, last)];
                        if (wide) forwardTile4(x, x0, x1, x2, x3, x4, x5, KH, kwc, rowStride, wp, jp * K * PW, CO,
                                y, yOff + p0 * CO + jp * PW, rows, addToY);
                        else forwardTile(x, x0, x1, x2, x3, x4, x5, KH, kwc, rowStride, wp, jp * K * PW, CO,
                                y, yOff + p0 * CO + jp * PW, rows, addToY);
                    }
            }
        });
    }

    /** One 6-pixel x NR-channel tile of the forward: rows past {@code rows} repeat the last pixel and are not stored. */
    private static void forwardTile(float[] x, int x0, int x1, int x2, int x3, int x4, int x5,
                                    int KH, int kwc, int rowStride, float[] w, int wi, int CO,
                                    float[] y, int yi, int rows, boolean add) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (add) {
            int r1 = yi + Math.min(1, rows - 1) * CO, r2 = yi + Math.min(2, rows - 1) * CO;
            int r3 = yi + Math.min(3, rows - 1) * CO, r4 = yi + Math.min(4, rows - 1) * CO;
            int r5 = yi + Math.min(5, rows - 1) * CO;
            c00 = FloatVector.fromArray(F, y, yi); c01 = FloatVector.fromArray(F, y, yi + LANES);
            c10 = FloatVector.fromArray(F, y, r1); c11 = FloatVector.fromArray(F, y, r1 + LANES);
            c20 = FloatVector.fromArray(F, y, r2); c21 = FloatVector.fromArray(F, y, r2 + LANES);
            c30 = FloatVector.fromArray(F, y, r3); c31 = FloatVector.fromArray(F, y, r3 + LANES);
            c40 = FloatVector.fromArray(F, y, r4); c41 = FloatVector.fromArray(F, y, r4 + LANES);
            c50 = FloatVector.fromArray(F, y, r5); c51 = FloatVector.fromArray(F, y, r5 + LANES);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(F);
        }
        for (int ky = 0; ky < KH; ky++) {
            int o = ky * rowStride, wk = wi + ky * kwc * NR;
            int a0 = x0 + o, a1 = x1 + o, a2 = x2 + o, a3 = x3 + o, a4 = x4 + o, a5 = x5 + o;
            for (int q = 0; q < kwc; q++) {
                FloatVector b0 = FloatVector.fromArray(F, w, wk + q * NR);
                FloatVector b1 = FloatVector.fromArray(F, w, wk + q * NR + LANES);
                FloatVector v = FloatVector.broadcast(F, x[a0 + q]);
                c00 = v.fma(b0, c00);
                c01 = v.fma(b1, c01);
                v = FloatVector.broadcast(F, x[a1 + q]);
                c10 = v.fma(b0, c10);
                c11 = v.fma(b1, c11);
                v = FloatVector.broadcast(F, x[a2 + q]);
                c20 = v.fma(b0, c20);
                c21 = v.fma(b1, c21);
                v = FloatVector.broadcast(F, x[a3 + q]);
                c30 = v.fma(b0, c30);
                c31 = v.fma(b1, c31);
                v = FloatVector.broadcast(F, x[a4 + q]);
                c40 = v.fma(b0, c40);
                c41 = v.fma(b1, c41);
                v = FloatVector.broadcast(F, x[a5 + q]);
                c50 = v.fma(b0, c50);
                c51 = v.fma(b1, c51);
            }
        }
        c00.intoArray(y, yi);
        c01.intoArray(y, yi + LANES);
        if (rows > 1) { c10.intoArray(y, yi + CO); c11.intoArray(y, yi + CO + LANES); }
        if (rows > 2) { c20.intoArray(y, yi + 2 * CO); c21.intoArray(y, yi + 2 * CO + LANES); }
        if (rows > 3) { c30.intoArray(y, yi + 3 * CO); c31.intoArray(y, yi + 3 * CO + LANES); }
        if (rows > 4) { c40.intoArray(y, yi + 4 * CO); c41.intoArray(y, yi + 4 * CO + LANES); }
        if (rows > 5) { c50.intoArray(y, yi + 5 * CO); c51.intoArray(y, yi + 5 * CO + LANES); }
    }

    /** {@link #forwardTile} with four vectors per row (NR4 channels): each broadcast feeds four FMAs. */
    private static void forwardTile4(float[] x, int x0, int x1, int x2, int x3, int x4, int x5,
                                     int KH, int kwc, int rowStride, float[] w, int wi, int CO,
                                     float[] y, int yi, int rows, boolean add) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (add) {
            int r1 = yi + Math.min(1, rows - 1) * CO, r2 = yi + Math.min(2, rows - 1) * CO;
            int r3 = yi + Math.min(3, rows - 1) * CO, r4 = yi + Math.min(4, rows - 1) * CO;
            int r5 = yi + Math.min(5, rows - 1) * CO;
            c00 = FloatVector.fromArray(F, y, yi); c01 = FloatVector.fromArray(F, y, yi + LANES); c02 = FloatVector.fromArray(F, y, yi + 2 * LANES); c03 = FloatVector.fromArray(F, y, yi + 3 * LANES);
            c10 = FloatVector.fromArray(F, y, r1); c11 = FloatVector.fromArray(F, y, r1 + LANES); c12 = FloatVector.fromArray(F, y, r1 + 2 * LANES); c13 = FloatVector.fromArray(F, y, r1 + 3 * LANES);
            c20 = FloatVector.fromArray(F, y, r2); c21 = FloatVector.fromArray(F, y, r2 + LANES); c22 = FloatVector.fromArray(F, y, r2 + 2 * LANES); c23 = FloatVector.fromArray(F, y, r2 + 3 * LANES);
            c30 = FloatVector.fromArray(F, y, r3); c31 = FloatVector.fromArray(F, y, r3 + LANES); c32 = FloatVector.fromArray(F, y, r3 + 2 * LANES); c33 = FloatVector.fromArray(F, y, r3 + 3 * LANES);
            c40 = FloatVector.fromArray(F, y, r4); c41 = FloatVector.fromArray(F, y, r4 + LANES); c42 = FloatVector.fromArray(F, y, r4 + 2 * LANES); c43 = FloatVector.fromArray(F, y, r4 + 3 * LANES);
            c50 = FloatVector.fromArray(F, y, r5); c51 = FloatVector.fromArray(F, y, r5 + LANES); c52 = FloatVector.fromArray(F, y, r5 + 2 * LANES); c53 = FloatVector.fromArray(F, y, r5 + 3 * LANES);
        } else {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = FloatVector.zero(F);
            c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(F);
        }
        for (int ky = 0; ky < KH; ky++) {
            int o = ky * rowStride, wk = wi + ky * kwc * NR4;
            int a0 = x0 + o, a1 = x1 + o, a2 = x2 + o, a3 = x3 + o, a4 = x4 + o, a5 = x5 + o;
            for (int q = 0; q < kwc; q++) {
                int bi = wk + q * NR4;
                FloatVector b0 = FloatVector.fromArray(F, w, bi);
                FloatVector b1 = FloatVector.fromArray(F, w, bi + LANES);
                FloatVector b2 = FloatVector.fromArray(F, w, bi + 2 * LANES);
                FloatVector b3 = FloatVector.fromArray(F, w, bi + 3 * LANES);
                FloatVector v = FloatVector.broadcast(F, x[a0 + q]);
                c00 = v.fma(b0, c00); c01 = v.fma(b1, c01); c02 = v.fma(b2, c02); c03 = v.fma(b3, c03);
                v = FloatVector.broadcast(F, x[a1 + q]);
                c10 = v.fma(b0, c10); c11 = v.fma(b1, c11); c12 = v.fma(b2, c12); c13 = v.fma(b3, c13);
                v = FloatVector.broadcast(F, x[a2 + q]);
                c20 = v.fma(b0, c20); c21 = v.fma(b1, c21); c22 = v.fma(b2, c22); c23 = v.fma(b3, c23);
                v = FloatVector.broadcast(F, x[a3 + q]);
                c30 = v.fma(b0, c30); c31 = v.fma(b1, c31); c32 = v.fma(b2, c32); c33 = v.fma(b3, c33);
                v = FloatVector.broadcast(F, x[a4 + q]);
                c40 = v.fma(b0, c40); c41 = v.fma(b1, c41); c42 = v.fma(b2, c42); c43 = v.fma(b3, c43);
                v = FloatVector.broadcast(F, x[a5 + q]);
                c50 = v.fma(b0, c50); c51 = v.fma(b1, c51); c52 = v.fma(b2, c52); c53 = v.fma(b3, c53);
            }
        }
        c00.intoArray(y, yi); c01.intoArray(y, yi + LANES); c02.intoArray(y, yi + 2 * LANES); c03.intoArray(y, yi + 3 * LANES);
        if (rows > 1) { c10.intoArray(y, yi + CO); c11.intoArray(y, yi + CO + LANES); c12.intoArray(y, yi + CO + 2 * LANES); c13.intoArray(y, yi + CO + 3 * LANES); }
        if (rows > 2) { c20.intoArray(y, yi + 2 * CO); c21.intoArray(y, yi + 2 * CO + LANES); c22.intoArray(y, yi + 2 * CO + 2 * LANES); c23.intoArray(y, yi + 2 * CO + 3 * LANES); }
        if (rows > 3) { c30.intoArray(y, yi + 3 * CO); c31.intoArray(y, yi + 3 * CO + LANES); c32.intoArray(y, yi + 3 * CO + 2 * LANES); c33.intoArray(y, yi + 3 * CO + 3 * LANES); }
        if (rows > 4) { c40.intoArray(y, yi + 4 * CO); c41.intoArray(y, yi + 4 * CO + LANES); c42.intoArray(y, yi + 4 * CO + 2 * LANES); c43.intoArray(y, yi + 4 * CO + 3 * LANES); }
        if (rows > 5) { c50.intoArray(y, yi + 5 * CO); c51.intoArray(y, yi + 5 * CO + LANES); c52.intoArray(y, yi + 5 * CO + 2 * LANES); c53.intoArray(y, yi + 5 * CO + 3 * LANES); }
    }



    // ---------------------------------------------------------------- weight gradient

    /**
     * {@code dw (+)= im2col(x)ᵀ · dy}: tiles of 6 kernel entries x NR output channels, each an FMA
     * chain over the pixels in order, pixel chunk by pixel chunk (the tile goes through {@code dw}
     * between chunks, so a chunk's {@code dy} rows stay in L2 while every tile passes over them).
     */
    static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff,
                               boolean accumulate, int threads) {
        int CO = g.outC(), kwc = g.kernelW() * g.inC(), rowStride = g.inW() * g.inC();
        int K = g.kernelH() * kwc, pixels = g.batch() * g.outH() * g.outW();
        boolean wide = CO % NR4 == 0;
        int PW = wide ? NR4 : NR, kTiles = Gemm.ceilDiv(K, MR), panels = CO / PW, tiles = kTiles * panels;
        int chunk = 4096 / PW; // pixels whose dy panel rows (16 KiB) and window pieces stay in L1 while every tile passes
        int[] base = bases(g);
        float[] dyp = Scratch.get(Scratch.IMPLICIT, pixels * CO); // [CO / PW][pixels][PW]
        for (int p = 0; p < pixels; p++)
            for (int jp = 0; jp < panels; jp++)
                System.arraycopy(dy, dyOff + p * CO + jp * PW, dyp, (jp * pixels + p) * PW, PW);
        Parallel.forRange(tiles, parts(threads, (long) pixels * K * CO), (lo, hi) -> {
            for (int p0 = 0; p0 < pixels; p0 += chunk) {
                int p1 = Math.min(pixels, p0 + chunk);
                boolean first = p0 == 0;
                for (int t = lo; t < hi; t++) {
                    int kt = t / panels, jp = t % panels;
                    int k0 = kt * MR, rows = Math.min(MR, K - k0);
                    int o0 = xoff(k0, kwc, rowStride, K), o1 = xoff(k0 + 1, kwc, rowStride, K);
                    int o2 = xoff(k0 + 2, kwc, rowStride, K), o3 = xoff(k0 + 3, kwc, rowStride, K);
                    int o4 = xoff(k0 + 4, kwc, rowStride, K), o5 = xoff(k0 + 5, kwc, rowStride, K);
                    if (wide) weightTile4(x, xOff, base, p0, p1, o0, o1, o2, o3, o4, o5, dyp, jp * pixels * PW, CO,
                            dw, dwOff + k0 * CO + jp * PW, rows, !first || accumulate);
                    else weightTile(x, xOff, base, p0, p1, o0, o1, o2, o3, o4, o5, dyp, jp * pixels * PW, CO,
                            dw, dwOff + k0 * CO + jp * PW, rows, !first || accumulate);
                }
            }
        });
    }

    /** Offset in the input of kernel entry {@code k = (ky, q)} from a window's base (entries past K repeat the last). */
    private static int xoff(int k, int kwc, int rowStride, int K) {
        k = Math.min(k, K - 1);
        return k / kwc * rowStride + k % kwc;
    }

    /** One 6-entry x NR-channel tile of the weight gradient over pixels {@code [p0, p1)}; {@code load} continues the chain in {@code dw}. */
    private static void weightTile(float[] x, int xOff, int[] base, int p0, int p1,
                                   int o0, int o1, int o2, int o3, int o4, int o5,
                                   float[] dy, int di, int CO, float[] dw, int wi, int rows, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            int r1 = wi + Math.min(1, rows - 1) * CO, r2 = wi + Math.min(2, rows - 1) * CO;
            int r3 = wi + Math.min(3, rows - 1) * CO, r4 = wi + Math.min(4, rows - 1) * CO;
            int r5 = wi + Math.min(5, rows - 1) * CO;
            c00 = FloatVector.fromArray(F, dw, wi); c01 = FloatVector.fromArray(F, dw, wi + LANES);
            c10 = FloatVector.fromArray(F, dw, r1); c11 = FloatVector.fromArray(F, dw, r1 + LANES);
            c20 = FloatVector.fromArray(F, dw, r2); c21 = FloatVector.fromArray(F, dw, r2 + LANES);
            c30 = FloatVector.fromArray(F, dw, r3); c31 = FloatVector.fromArray(F, dw, r3 + LANES);
            c40 = FloatVector.fromArray(F, dw, r4); c41 = FloatVector.fromArray(F, dw, r4 + LANES);
            c50 = FloatVector.fromArray(F, dw, r5); c51 = FloatVector.fromArray(F, dw, r5 + LANES);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(F);
        }
        for (int p = p0; p < p1; p++) {
            int xb = xOff + base[p];
            FloatVector b0 = FloatVector.fromArray(F, dy, di + p * NR);
            FloatVector b1 = FloatVector.fromArray(F, dy, di + p * NR + LANES);
            FloatVector v = FloatVector.broadcast(F, x[xb + o0]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(F, x[xb + o1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(F, x[xb + o2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(F, x[xb + o3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(F, x[xb + o4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(F, x[xb + o5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        c00.intoArray(dw, wi);
        c01.intoArray(dw, wi + LANES);
        if (rows > 1) { c10.intoArray(dw, wi + CO); c11.intoArray(dw, wi + CO + LANES); }
        if (rows > 2) { c20.intoArray(dw, wi + 2 * CO); c21.intoArray(dw, wi + 2 * CO + LANES); }
        if (rows > 3) { c30.intoArray(dw, wi + 3 * CO); c31.intoArray(dw, wi + 3 * CO + LANES); }
        if (rows > 4) { c40.intoArray(dw, wi + 4 * CO); c41.intoArray(dw, wi + 4 * CO + LANES); }
        if (rows > 5) { c50.intoArray(dw, wi + 5 * CO); c51.intoArray(dw, wi + 5 * CO + LANES); }
    }

    /** {@link #weightTile} with four vectors per row (NR4 channels): each broadcast feeds four FMAs. */
    private static void weightTile4(float[] x, int xOff, int[] base, int p0, int p1,
                                    int o0, int o1, int o2, int o3, int o4, int o5,
                                    float[] dy, int di, int CO, float[] dw, int wi, int rows, boolean load) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (load) {
            int r1 = wi + Math.min(1, rows - 1) * CO, r2 = wi + Math.min(2, rows - 1) * CO;
            int r3 = wi + Math.min(3, rows - 1) * CO, r4 = wi + Math.min(4, rows - 1) * CO;
            int r5 = wi + Math.min(5, rows - 1) * CO;
            c00 = FloatVector.fromArray(F, dw, wi); c01 = FloatVector.fromArray(F, dw, wi + LANES); c02 = FloatVector.fromArray(F, dw, wi + 2 * LANES); c03 = FloatVector.fromArray(F, dw, wi + 3 * LANES);
            c10 = FloatVector.fromArray(F, dw, r1); c11 = FloatVector.fromArray(F, dw, r1 + LANES); c12 = FloatVector.fromArray(F, dw, r1 + 2 * LANES); c13 = FloatVector.fromArray(F, dw, r1 + 3 * LANES);
            c20 = FloatVector.fromArray(F, dw, r2); c21 = FloatVector.fromArray(F, dw, r2 + LANES); c22 = FloatVector.fromArray(F, dw, r2 + 2 * LANES); c23 = FloatVector.fromArray(F, dw, r2 + 3 * LANES);
            c30 = FloatVector.fromArray(F, dw, r3); c31 = FloatVector.fromArray(F, dw, r3 + LANES); c32 = FloatVector.fromArray(F, dw, r3 + 2 * LANES); c33 = FloatVector.fromArray(F, dw, r3 + 3 * LANES);
            c40 = FloatVector.fromArray(F, dw, r4); c41 = FloatVector.fromArray(F, dw, r4 + LANES); c42 = FloatVector.fromArray(F, dw, r4 + 2 * LANES); c43 = FloatVector.fromArray(F, dw, r4 + 3 * LANES);
            c50 = FloatVector.fromArray(F, dw, r5); c51 = FloatVector.fromArray(F, dw, r5 + LANES); c52 = FloatVector.fromArray(F, dw, r5 + 2 * LANES); c53 = FloatVector.fromArray(F, dw, r5 + 3 * LANES);
        } else {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = FloatVector.zero(F);
            c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = FloatVector.zero(F);
        }
        for (int p = p0; p < p1; p++) {
            int xb = xOff + base[p], bi = di + p * NR4;
            FloatVector b0 = FloatVector.fromArray(F, dy, bi);
            FloatVector b1 = FloatVector.fromArray(F, dy, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(F, dy, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(F, dy, bi + 3 * LANES);
            FloatVector v = FloatVector.broadcast(F, x[xb + o0]);
            c00 = v.fma(b0, c00); c01 = v.fma(b1, c01); c02 = v.fma(b2, c02); c03 = v.fma(b3, c03);
            v = FloatVector.broadcast(F, x[xb + o1]);
            c10 = v.fma(b0, c10); c11 = v.fma(b1, c11); c12 = v.fma(b2, c12); c13 = v.fma(b3, c13);
            v = FloatVector.broadcast(F, x[xb + o2]);
            c20 = v.fma(b0, c20); c21 = v.fma(b1, c21); c22 = v.fma(b2, c22); c23 = v.fma(b3, c23);
            v = FloatVector.broadcast(F, x[xb + o3]);
            c30 = v.fma(b0, c30); c31 = v.fma(b1, c31); c32 = v.fma(b2, c32); c33 = v.fma(b3, c33);
            v = FloatVector.broadcast(F, x[xb + o4]);
            c40 = v.fma(b0, c40); c41 = v.fma(b1, c41); c42 = v.fma(b2, c42); c43 = v.fma(b3, c43);
            v = FloatVector.broadcast(F, x[xb + o5]);
            c50 = v.fma(b0, c50); c51 = v.fma(b1, c51); c52 = v.fma(b2, c52); c53 = v.fma(b3, c53);
        }
        c00.intoArray(dw, wi); c01.intoArray(dw, wi + LANES); c02.intoArray(dw, wi + 2 * LANES); c03.intoArray(dw, wi + 3 * LANES);
        if (rows > 1) { c10.intoArray(dw, wi + CO); c11.intoArray(dw, wi + CO + LANES); c12.intoArray(dw, wi + CO + 2 * LANES); c13.intoArray(dw, wi + CO + 3 * LANES); }
        if (rows > 2) { c20.intoArray(dw, wi + 2 * CO); c21.intoArray(dw, wi + 2 * CO + LANES); c22.intoArray(dw, wi + 2 * CO + 2 * LANES); c23.intoArray(dw, wi + 2 * CO + 3 * LANES); }
        if (rows > 3) { c30.intoArray(dw, wi + 3 * CO); c31.intoArray(dw, wi + 3 * CO + LANES); c32.intoArray(dw, wi + 3 * CO + 2 * LANES); c33.intoArray(dw, wi + 3 * CO + 3 * LANES); }
        if (rows > 4) { c40.intoArray(dw, wi + 4 * CO); c41.intoArray(dw, wi + 4 * CO + LANES); c42.intoArray(dw, wi + 4 * CO + 2 * LANES); c43.intoArray(dw, wi + 4 * CO + 3 * LANES); }
        if (rows > 5) { c50.intoArray(dw, wi + 5 * CO); c51.intoArray(dw, wi + 5 * CO + LANES); c52.intoArray(dw, wi + 5 * CO + 2 * LANES); c53.intoArray(dw, wi + 5 * CO + 3 * LANES); }
    }

    // ---------------------------------------------------------------- input gradient

    /**
     * {@code dx += col2im(dy · Wᵀ)} without the column matrix: tiles of 6 pixels x NR kernel
     * entries of one kernel row (an FMA chain over {@code co} against {@code wᵀ}, packed once per
     * call), added straight into the windows in {@code dx}. Workers own whole samples.
     */
    static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff,
                              int threads) {
        int CO = g.outC(), KH = g.kernelH(), kwc = g.kernelW() * g.inC(), rowStride = g.inW() * g.inC();
        int K = KH * kwc, plane = g.outH() * g.outW(), pixels = g.batch() * plane;
        float[] wT = Scratch.get(Scratch.IMPLICIT, K * CO); // [K / NR][CO][NR]
        transpose(w, wOff, K, CO, wT);
        int[] base = bases(g);
        int panels = kwc / NR, tiles = Gemm.ceilDiv(pixels, MR);
        int chunk = Math.max(1, CHUNK / (MR * K)); // tiles whose windows in dx stay in L2
        Parallel.forRange(g.batch(), parts(threads, (long) pixels * K * CO), (nlo, nhi) -> {
            int pLo = nlo * plane, pHi = nhi * plane;
            int tLo = pLo / MR, tHi = Gemm.ceilDiv(pHi, MR);
            // The grid of chunks is fixed by the shape (not by this worker's range), so the adds
            // into each dx element come in the same order whatever the split.
            for (int c0 = tLo / chunk * chunk; c0 < tHi; c0 += chunk) {
                int t0 = Math.max(c0, tLo), t1 = Math.min(c0 + chunk, tHi);
                for (int ky = 0; ky < KH; ky++)
                    for (int jp = 0; jp < panels; jp++) {
                        int k0 = (ky * kwc + jp * NR) * CO, xo = dxOff + ky * rowStride + jp * NR;
                        for (int t = t0; t < t1; t++) {
                            int p0 = t * MR, last = pixels - 1;
                            int lo = Math.max(0, pLo - p0), hi = Math.min(MR, pHi - p0);
                            inputTile(dy, dyOff, CO, p0, Math.min(p0 + 1, last), Math.min(p0 + 2, last),
                                    Math.min(p0 + 3, last), Math.min(p0 + 4, last), Math.min(p0 + 5, last),
                                    wT, k0, K, dx, xo, base, lo, hi);
                        }
                    }
            }
        });
    }

    /** One 6-pixel x NR-entry tile of the input gradient; adds rows {@code [lo, hi)} of it into {@code dx}. */
    private static void inputTile(float[] dy, int dyOff, int CO, int p0, int p1, int p2, int p3, int p4, int p5,
                                  float[] wT, int k0, int K, float[] dx, int xo, int[] base, int lo, int hi) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(F);
        int a0 = dyOff + p0 * CO, a1 = dyOff + p1 * CO, a2 = dyOff + p2 * CO;
        int a3 = dyOff + p3 * CO, a4 = dyOff + p4 * CO, a5 = dyOff + p5 * CO;
        for (int co = 0; co < CO; co++) {
            FloatVector b0 = FloatVector.fromArray(F, wT, k0 + co * NR);
            FloatVector b1 = FloatVector.fromArray(F, wT, k0 + co * NR + LANES);
            FloatVector v = FloatVector.broadcast(F, dy[a0 + co]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(F, dy[a1 + co]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(F, dy[a2 + co]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(F, dy[a3 + co]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(F, dy[a4 + co]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(F, dy[a5 + co]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        // Rows in order: neighbouring windows overlap, so each add reads what the previous row wrote.
        // (Written out, not through a helper taking vectors: a vector argument the JIT does not
        // inline is boxed, which measured 10x slower for a four-vector variant of this tile.)
        if (lo <= 0 && hi > 0) {
            int i = xo + base[p0];
            FloatVector.fromArray(F, dx, i).add(c00).intoArray(dx, i);
            FloatVector.fromArray(F, dx, i + LANES).add(c01).intoArray(dx, i + LANES);
        }
        if (lo <= 1 && hi > 1) {
            int i = xo + base[p1];
            FloatVector.fromArray(F, dx, i).add(c10).intoArray(dx, i);
            FloatVector.fromArray(F, dx, i + LANES).add(c11).intoArray(dx, i + LANES);
        }
        if (lo <= 2 && hi > 2) {
            int i = xo + base[p2];
            FloatVector.fromArray(F, dx, i).add(c20).intoArray(dx, i);
            FloatVector.fromArray(F, dx, i + LANES).add(c21).intoArray(dx, i + LANES);
        }
        if (lo <= 3 && hi > 3) {
            int i = xo + base[p3];
            FloatVector.fromArray(F, dx, i).add(c30).intoArray(dx, i);
            FloatVector.fromArray(F, dx, i + LANES).add(c31).intoArray(dx, i + LANES);
        }
        if (lo <= 4 && hi > 4) {
            int i = xo + base[p4];
            FloatVector.fromArray(F, dx, i).add(c40).intoArray(dx, i);
            FloatVector.fromArray(F, dx, i + LANES).add(c41).intoArray(dx, i + LANES);
        }
        if (lo <= 5 && hi > 5) {
            int i = xo + base[p5];
            FloatVector.fromArray(F, dx, i).add(c50).intoArray(dx, i);
            FloatVector.fromArray(F, dx, i + LANES).add(c51).intoArray(dx, i + LANES);
        }
    }


    /** {@code wT[k / NR, co, k % NR] = w[wOff + k * CO + co]}: NR-entry panels of {@code wᵀ}, in NR x 16 blocks. */
    private static void transpose(float[] w, int wOff, int K, int CO, float[] wT) {
        for (int k0 = 0; k0 < K; k0 += NR)
            for (int c0 = 0; c0 < CO; c0 += 16) {
                int c1 = Math.min(CO, c0 + 16), d0 = k0 * CO;
                for (int k = k0; k < k0 + NR; k++)
                    for (int co = c0, s = wOff + k * CO + c0; co < c1; co++, s++) wT[d0 + co * NR + k - k0] = w[s];
            }
    }

    /** Parts for {@code macs} multiply-adds: no part under ~1M. */
    private static int parts(int threads, long macs) {
        return (int) Math.max(1, Math.min(threads, macs >> 20));
    }
}
