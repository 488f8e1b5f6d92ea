package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import latte.core.Parallel;

/**
 * 2-D convolution (cross-correlation, as in PyTorch and TensorFlow) over NHWC activations with
 * HWIO weights, forward and both backward passes.
 *
 * <pre>
 *   x [N, H, W, Cin]   w [KH, KW, Cin, Cout]   b [Cout]   y [N, OH, OW, Cout]
 *   y[n,oy,ox,co] = b[co] + sum_{ky,kx,ci} x[n, oy*sh - ph + ky, ox*sw - pw + kx, ci] * w[ky,kx,ci,co]
 * </pre>
 * (input positions outside the image read as zero). With {@code col = im2col(x)}, the matrix
 * {@code [N*OH*OW, KH*KW*Cin]} whose row {@code (n,oy,ox)} is the receptive field of that output
 * (in NHWC each kernel row {@code ky} of it is one contiguous run of the input),
 * <pre>
 *   forward:         y  = col · W + b            W = w viewed as [KH*KW*Cin, Cout]
 *   backwardInput:   dx = col2im(dy · Wᵀ)        col2im = the adjoint of im2col (scatter-add)
 *   backwardWeight:  dW = colᵀ · dy
 *   backwardBias:    db = sum over n, oy, ox of dy
 * </pre>
 *
 * <p>The fast variants compute these with {@link Gemm#sgemm} in chunks of whole samples (so the
 * im2col buffer stays near {@value #CHUNK_FLOATS} floats and is reused, per thread, from call to
 * call); im2col/col2im run on {@link Parallel}. Chunk sizes depend on the geometry only, never on
 * the thread count. Each {@code ...Scalar} method is the direct-loop reference of the same op.
 *
 * <p>Unpadded layers with few input and output channels (an RGB image in or out: PlaNet's first
 * encoder and last decoder layer at small depth) skip im2col: {@link ConvDirect#applies} sends
 * them to {@link ConvDirect}'s direct kernels, bit-identical across thread counts as well.
 * Unpadded layers with wider outputs (PlaNet's encoder at depth 32) run {@link ConvImplicit}'s
 * implicit GEMM, which reads the column matrix's rows straight from {@code x}
 * ({@link ConvImplicit#appliesForward}, {@link ConvImplicit#appliesInput}, {@link ConvImplicit#applies}
 * for the forward, input and weight gradients). {@link ConvTranspose2d} keeps the GEMM forms.
 *
 * <p>The backward methods take {@code accumulate}: {@code true} adds into the gradient array,
 * {@code false} overwrites it.
 */
public final class Conv2d {
    /** Target size of one im2col chunk in floats (1 MiB): the GEMM writes it and col2im reads it back while it is still in L2. */
    static final int CHUNK_FLOATS = 1 << 18;

    private Conv2d() {}

    // ---------------------------------------------------------------- fast paths

    /** {@code y = conv(x, w) + b} on {@link Parallel#threads()} threads; {@code b} may be null (no bias). */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                               float[] y, int yOff) {
        forward(g, x, xOff, w, wOff, b, bOff, y, yOff, Parallel.threads());
    }

    /** {@code y = conv(x, w) + b} on at most {@code threads} threads; {@code b} may be null (no bias). */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                               float[] y, int yOff, int threads) {
        check("Conv2d.forward", g, "x", x, xOff, g.inSize(), "w", w, wOff, weightSize(g), "y", y, yOff, g.outSize());
        if (b != null) checkArray("Conv2d.forward", "b", b, bOff, g.outC());
        g.checkConv("Conv2d.forward");
        if (b != null) fillRows(b, bOff, y, yOff, g.batch() * g.outH() * g.outW(), g.outC());
        if (ConvImplicit.appliesForward(g)) ConvImplicit.forward(g, x, xOff, w, wOff, y, yOff, b != null, threads);
        else convGemm(g, x, xOff, w, wOff, y, yOff, b != null, threads);
    }

    /** {@code dx (+)= conv's input gradient for dy} on {@link Parallel#threads()} threads. */
    public static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                     float[] dx, int dxOff, boolean accumulate) {
        backwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate, Parallel.threads());
    }

    /** {@code dx (+)= col2im(dy · Wᵀ)} on at most {@code threads} threads. */
    public static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                     float[] dx, int dxOff, boolean accumulate, int threads) {
        check("Conv2d.backwardInput", g, "dy", dy, dyOff, g.outSize(), "w", w, wOff, weightSize(g),
                "dx", dx, dxOff, g.inSize());
        g.checkConv("Conv2d.backwardInput");
        if (!accumulate) java.util.Arrays.fill(dx, dxOff, dxOff + g.inSize(), 0f);
        if (ConvImplicit.appliesInput(g)) ConvImplicit.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff, threads);
        else gemmCol2im(g, dy, dyOff, w, wOff, dx, dxOff, threads);
    }

    /** {@code dw (+)= colᵀ · dy} on {@link Parallel#threads()} threads. */
    public static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, boolean accumulate) {
        backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate, Parallel.threads());
    }

    /** {@code dw (+)= im2col(x)ᵀ · dy} on at most {@code threads} threads. */
    public static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, boolean accumulate, int threads) {
        check("Conv2d.backwardWeight", g, "x", x, xOff, g.inSize(), "dy", dy, dyOff, g.outSize(),
                "dw", dw, dwOff, weightSize(g));
        g.checkConv("Conv2d.backwardWeight");
        if (ConvImplicit.applies(g)) ConvImplicit.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate, threads);
        else weightGemm(g, x, xOff, dy, dyOff, dw, dwOff, accumulate, threads);
    }

    /** {@code db (+)= sum over n, oy, ox of dy[n, oy, ox, :]}. */
    public static void backwardBias(ConvGeometry g, float[] dy, int dyOff, float[] db, int dbOff, boolean accumulate) {
        checkArray("Conv2d.backwardBias", "dy", dy, dyOff, g.outSize());
        checkArray("Conv2d.backwardBias", "db", db, dbOff, g.outC());
        Reduce.sumRows(dy, dyOff, g.batch() * g.outH() * g.outW(), g.outC(), db, dbOff, accumulate);
    }

    /** Floats in the weight {@code [KH, KW, inC, outC]}. */
    public static int weightSize(ConvGeometry g) {
        return g.kernelH() * g.kernelW() * g.inC() * g.outC();
    }

    // ---------------------------------------------------------------- scalar references

    /** Reference for {@link #forward}: the defining sum, one output at a time. */
    public static void forwardScalar(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                                     float[] y, int yOff) {
        check("Conv2d.forwardScalar", g, "x", x, xOff, g.inSize(), "w", w, wOff, weightSize(g),
                "y", y, yOff, g.outSize());
        if (b != null) checkArray("Conv2d.forwardScalar", "b", b, bOff, g.outC());
        g.checkConv("Conv2d.forwardScalar");
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW(), CO = g.outC();
        for (int n = 0; n < g.batch(); n++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                    for (int co = 0; co < CO; co++) {
                        float acc = b == null ? 0f : b[bOff + co];
                        for (int ky = 0; ky < g.kernelH(); ky++) {
                            int iy = oy * g.strideH() - g.padH() + ky;
                            if (iy < 0 || iy >= H) continue;
                            for (int kx = 0; kx < g.kernelW(); kx++) {
                                int ix = ox * g.strideW() - g.padW() + kx;
                                if (ix < 0 || ix >= W) continue;
                                for (int ci = 0; ci < C; ci++)
                                    acc += x[xOff + ((n * H + iy) * W + ix) * C + ci]
                                            * w[wOff + ((ky * g.kernelW() + kx) * C + ci) * CO + co];
                            }
                        }
                        y[yOff + ((n * OH + oy) * OW + ox) * CO + co] = acc;
                    }
    }

    /** Reference for {@link #backwardInput}: scatters each {@code dy} back through the window. */
    public static void backwardInputScalar(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                           float[] dx, int dxOff, boolean accumulate) {
        check("Conv2d.backwardInputScalar", g, "dy", dy, dyOff, g.outSize(), "w", w, wOff, weightSize(g),
                "dx", dx, dxOff, g.inSize());
        g.checkConv("Conv2d.backwardInputScalar");
        if (!accumulate) java.util.Arrays.fill(dx, dxOff, dxOff + g.inSize(), 0f);
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW(), CO = g.outC();
        for (int n = 0; n < g.batch(); n++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        int iy = oy * g.strideH() - g.padH() + ky;
                        if (iy < 0 || iy >= H) continue;
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ix = ox * g.strideW() - g.padW() + kx;
                            if (ix < 0 || ix >= W) continue;
                            for (int ci = 0; ci < C; ci++) {
                                float acc = 0f;
                                for (int co = 0; co < CO; co++)
                                    acc += dy[dyOff + ((n * OH + oy) * OW + ox) * CO + co]
                                            * w[wOff + ((ky * g.kernelW() + kx) * C + ci) * CO + co];
                                dx[dxOff + ((n * H + iy) * W + ix) * C + ci] += acc;
                            }
                        }
                    }
    }

    /** Reference for {@link #backwardWeight}: {@code dw[ky,kx,ci,co] = sum_{n,oy,ox} x[...] dy[...]}. */
    public static void backwardWeightScalar(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                            float[] dw, int dwOff, boolean accumulate) {
        check("Conv2d.backwardWeightScalar", g, "x", x, xOff, g.inSize(), "dy", dy, dyOff, g.outSize(),
                "dw", dw, dwOff, weightSize(g));
        g.checkConv("Conv2d.backwardWeightScalar");
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW(), CO = g.outC();
        for (int ky = 0; ky < g.kernelH(); ky++)
            for (int kx = 0; kx < g.kernelW(); kx++)
                for (int ci = 0; ci < C; ci++)
                    for (int co = 0; co < CO; co++) {
                        float acc = 0f;
                        for (int n = 0; n < g.batch(); n++)
                            for (int oy = 0; oy < OH; oy++) {
                                int iy = oy * g.strideH() - g.padH() + ky;
                                if (iy < 0 || iy >= H) continue;
                                for (int ox = 0; ox < OW; ox++) {
                                    int ix = ox * g.strideW() - g.padW() + kx;
                                    if (ix < 0 || ix >= W) continue;
                                    acc += x[xOff + ((n * H + iy) * W + ix) * C + ci]
                                            * dy[dyOff + ((n * OH + oy) * OW + ox) * CO + co];
                                }
                            }
                        int i = dwOff + ((ky * g.kernelW() + kx) * C + ci) * CO + co;
                        dw[i] = accumulate ? dw[i] + acc : acc;
                    }
    }

    /** Reference for {@link #backwardBias}. */
    public static void backwardBiasScalar(ConvGeometry g, float[] dy, int dyOff, float[] db, int dbOff,
                                          boolean accumulate) {
        checkArray("Conv2d.backwardBiasScalar", "dy", dy, dyOff, g.outSize());
        checkArray("Conv2d.backwardBiasScalar", "db", db, dbOff, g.outC());
        int rows = g.batch() * g.outH() * g.outW(), CO = g.outC();
        for (int co = 0; co < CO; co++) {
            float acc = 0f;
            for (int r = 0; r < rows; r++) acc += dy[dyOff + r * CO + co];
            db[dbOff + co] = accumulate ? db[dbOff + co] + acc : acc;
        }
    }

    // ---------------------------------------------------------------- shared machinery (also used by ConvTranspose2d)

    /** Samples per im2col chunk for geometry {@code g} (a function of the shape only). */
    static int chunkSamples(ConvGeometry g) {
        long perSample = (long) g.outH() * g.outW() * g.kernelH() * g.kernelW() * g.inC();
        return (int) Math.max(1, Math.min(g.batch(), CHUNK_FLOATS / Math.max(1, perSample)));
    }

    /** {@code y (+)= im2col(x) · W}; {@code addToY} keeps what is in {@code y} (a bias, a gradient). */
    static void convGemm(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                         boolean addToY, int threads) {
        if (ConvDirect.applies(g)) {
            ConvDirect.forward(g, x, xOff, w, wOff, y, yOff, addToY, threads);
            return;
        }
        int K = g.kernelH() * g.kernelW() * g.inC(), CO = g.outC();
        int rowsPerSample = g.outH() * g.outW();
        int chunk = chunkSamples(g);
        float[] col = Scratch.get(Scratch.COL, chunk * rowsPerSample * K);
        for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
            int n1 = Math.min(g.batch(), n0 + chunk), rows = (n1 - n0) * rowsPerSample;
            im2col(g, x, xOff, n0, n1, col, threads);
            Gemm.sgemm(false, false, rows, CO, K, 1f, col, 0, K, w, wOff, CO,
                    addToY ? 1f : 0f, y, yOff + n0 * rowsPerSample * CO, CO, threads);
        }
    }

    /** {@code dx += col2im(dy · Wᵀ)} ({@code dx} already zeroed or holding what to add to). */
    static void gemmCol2im(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff,
                           int threads) {
        if (ConvDirect.applies(g)) {
            ConvDirect.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff, threads);
            return;
        }
        int K = g.kernelH() * g.kernelW() * g.inC(), CO = g.outC();
        int rowsPerSample = g.outH() * g.outW();
        int chunk = chunkSamples(g);
        float[] col = Scratch.get(Scratch.COL, chunk * rowsPerSample * K);
        for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
            int n1 = Math.min(g.batch(), n0 + chunk), rows = (n1 - n0) * rowsPerSample;
            Gemm.sgemm(false, true, rows, K, CO, 1f, dy, dyOff + n0 * rowsPerSample * CO, CO, w, wOff, CO,
                    0f, col, 0, K, threads);
            col2im(g, col, n0, n1, dx, dxOff, threads);
        }
    }

    /**
     * {@code dw (+)= im2col(x)ᵀ · dy}, chunk by chunk in a fixed order. Computed as its transpose
     * {@code dwᵀ = dyᵀ · col} so the big operand (col) is GEMM's B in its natural row-major
     * layout and only the small {@code dy} is read transposed; {@code dwᵀ} then goes into
     * {@code dw} in one transposing pass.
     */
    static void weightGemm(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff,
                           boolean accumulate, int threads) {
        if (ConvDirect.applies(g)) {
            ConvDirect.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate, threads);
            return;
        }
        int K = g.kernelH() * g.kernelW() * g.inC(), CO = g.outC();
        int rowsPerSample = g.outH() * g.outW();
        int chunk = chunkSamples(g);
        float[] col = Scratch.get(Scratch.COL, chunk * rowsPerSample * K);
        float[] dwT = Scratch.get(Scratch.WEIGHT, CO * K); // [CO, K]
        for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
            int n1 = Math.min(g.batch(), n0 + chunk), rows = (n1 - n0) * rowsPerSample;
            im2col(g, x, xOff, n0, n1, col, threads);
            Gemm.sgemm(true, false, CO, K, rows, 1f, dy, dyOff + n0 * rowsPerSample * CO, CO, col, 0, K,
                    n0 > 0 ? 1f : 0f, dwT, 0, K, threads);
        }
        for (int k = 0; k < K; k++)
            for (int co = 0; co < CO; co++) {
                int i = dwOff + k * CO + co;
                dw[i] = accumulate ? dw[i] + dwT[co * K + k] : dwT[co * K + k];
            }
    }

    /**
     * Writes rows {@code (n, oy, ox)} for samples {@code [n0, n1)} of {@code im2col(x)} into
     * {@code col} from index 0: per kernel row {@code ky}, the in-bounds {@code kx} run is one
     * contiguous copy of {@code (kx1 - kx0) * C} floats, the rest zeros.
     */
    static void im2col(ConvGeometry g, float[] x, int xOff, int n0, int n1, float[] col, int threads) {
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW();
        int KH = g.kernelH(), KW = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        int K = KH * KW * C, rowLen = KW * C;
        int rows = (n1 - n0) * OH * OW;
        int plane = OH * OW;
        // Output columns whose whole window lies inside the image: [oxIn0, oxIn1).
        int oxIn0 = Math.min(OW, (pw + sw - 1) / sw);
        int oxIn1 = Math.max(oxIn0, Math.min(OW, Math.floorDiv(W + pw - KW, sw) + 1));
        Parallel.forRange(rows, parts(threads, rows, K), (lo, hi) -> {
            int r = lo;
            while (r < hi) {
                // One output row (n, oy) at a time, so the divisions happen once per output row.
                int n = n0 + r / plane, rem = r % plane, oy = rem / OW, ox = rem % OW;
                int oxEnd = Math.min(OW, ox + (hi - r));
                int xRow = xOff + n * H * W * C;
                for (; ox < oxEnd; ox++, r++) {
                    int ix0 = ox * sw - pw;
                    int dst = r * K;
                    if (ox >= oxIn0 && ox < oxIn1) {
                        for (int ky = 0; ky < KH; ky++, dst += rowLen) {
                            int iy = oy * sh - ph + ky;
                            if (iy < 0 || iy >= H) java.util.Arrays.fill(col, dst, dst + rowLen, 0f);
                            else copy(x, xRow + (iy * W + ix0) * C, col, dst, rowLen);
                        }
                        continue;
                    }
                    int kx0 = Math.max(0, -ix0), kx1 = Math.min(KW, W - ix0);
                    for (int ky = 0; ky < KH; ky++, dst += rowLen) {
                        int iy = oy * sh - ph + ky;
                        if (iy < 0 || iy >= H || kx1 <= kx0) {
                            java.util.Arrays.fill(col, dst, dst + rowLen, 0f);
                            continue;
                        }
                        if (kx0 > 0) java.util.Arrays.fill(col, dst, dst + kx0 * C, 0f);
                        copy(x, xRow + (iy * W + ix0 + kx0) * C, col, dst + kx0 * C, (kx1 - kx0) * C);
                        if (kx1 < KW) java.util.Arrays.fill(col, dst + kx1 * C, dst + rowLen, 0f);
                    }
                }
            }
        });
    }

    /**
     * {@code dst[d..d+len) = src[s..s+len)} for the short runs of im2col (a few channels times
     * the kernel width): whole vectors, then one masked vector, instead of a library call per run
     * (runs shorter than a vector still take the library call).
     */
    static void copy(float[] src, int s, float[] dst, int d, int len) {
        if (len < Simd.LANES) { // a lone masked vector measured slower than the library copy
            System.arraycopy(src, s, dst, d, len);
            return;
        }
        int i = 0;
        for (int bound = Simd.F.loopBound(len); i < bound; i += Simd.LANES)
            FloatVector.fromArray(Simd.F, src, s + i).intoArray(dst, d + i);
        if (i < len) {
            VectorMask<Float> m = Simd.F.indexInRange(i, len);
            FloatVector.fromArray(Simd.F, src, s + i, m).intoArray(dst, d + i, m);
        }
    }

    /**
     * {@code dx[n] += col2im(col)} for samples {@code [n0, n1)}, {@code col} holding their rows
     * from index 0. Parallel over samples (each writes only its own image); within a sample the
     * rows are added in index order.
     */
    static void col2im(ConvGeometry g, float[] col, int n0, int n1, float[] dx, int dxOff, int threads) {
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW();
        int KH = g.kernelH(), KW = g.kernelW(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        int K = KH * KW * C, rowLen = KW * C;
        Parallel.forRange(n1 - n0, threads, (lo, hi) -> {
            for (int n = n0 + lo; n < n0 + hi; n++) {
                int src = (n - n0) * OH * OW * K;
                for (int oy = 0; oy < OH; oy++)
                    for (int ox = 0; ox < OW; ox++, src += K) {
                        int ix0 = ox * sw - pw;
                        int kx0 = Math.max(0, -ix0), kx1 = Math.min(KW, W - ix0);
                        if (kx1 <= kx0) continue;
                        for (int ky = 0; ky < KH; ky++) {
                            int iy = oy * sh - ph + ky;
                            if (iy < 0 || iy >= H) continue;
                            addInto(col, src + ky * rowLen + kx0 * C, dx,
                                    dxOff + ((n * H + iy) * W + ix0 + kx0) * C, (kx1 - kx0) * C);
                        }
                    }
            }
        });
    }

    /** {@code dst[d..d+len) += src[s..s+len)}. */
    static void addInto(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        for (int bound = Simd.F.loopBound(len); i < bound; i += Simd.LANES)
            FloatVector.fromArray(Simd.F, dst, d + i).add(FloatVector.fromArray(Simd.F, src, s + i))
                    .intoArray(dst, d + i);
        if (i < len) { // the short runs of col2im (a few channels times the kernel width) end in one masked vector
            VectorMask<Float> m = Simd.F.indexInRange(i, len);
            FloatVector.fromArray(Simd.F, dst, d + i, m).add(FloatVector.fromArray(Simd.F, src, s + i, m))
                    .intoArray(dst, d + i, m);
        }
    }

    /** Copies {@code b[bOff..bOff+cols)} into each of {@code rows} rows of {@code y}. */
    static void fillRows(float[] b, int bOff, float[] y, int yOff, int rows, int cols) {
        if (rows == 0) return;
        // A block of whole rows (about 1K floats, so it stays in L1) built by doubling copies,
        // then copied block by block: few calls even for 3-wide rows.
        int blockRows = Math.min(rows, Math.max(1, 1024 / cols)), block = blockRows * cols;
        System.arraycopy(b, bOff, y, yOff, cols);
        for (int done = cols; done < block; done *= 2)
            System.arraycopy(y, yOff, y, yOff + done, Math.min(done, block - done));
        long total = (long) rows * cols;
        for (long at = block; at < total; at += block)
            System.arraycopy(y, yOff, y, yOff + (int) at, (int) Math.min(block, total - at));
    }

    /** Parts for a loop of {@code rows} rows of {@code work} floats each: no part under ~16K floats. */
    private static int parts(int threads, int rows, int work) {
        long total = (long) rows * work;
        return (int) Math.max(1, Math.min(threads, total / (1 << 14)));
    }

    static void check(String op, ConvGeometry g, String n1, float[] a1, int o1, int s1, String n2, float[] a2, int o2,
                      int s2, String n3, float[] a3, int o3, int s3) {
        checkArray(op, n1, a1, o1, s1);
        checkArray(op, n2, a2, o2, s2);
        checkArray(op, n3, a3, o3, s3);
    }

    static void checkArray(String op, String name, float[] a, int off, int size) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        if (off < 0 || (long) off + size > a.length)
            throw new IllegalArgumentException(op + ": " + name + " needs " + size + " floats at offset " + off
                    + ", array has " + a.length);
    }
}
