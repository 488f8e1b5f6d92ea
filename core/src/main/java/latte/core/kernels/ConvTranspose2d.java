package latte.core.kernels;

import latte.core.Parallel;

/**
 * 2-D transposed convolution ("deconvolution") over NHWC activations: exactly the adjoint of the
 * {@link Conv2d} of geometry {@code g.transpose()} with the same weight array.
 *
 * <pre>
 *   x [N, H, W, Cin]   w [KH, KW, Cout, Cin]   b [Cout]   y [N, OH, OW, Cout]
 *   y[n, iy*sh - ph + ky, ix*sw - pw + kx, co] += sum_ci x[n,iy,ix,ci] * w[ky,kx,co,ci]     (then + b[co])
 * </pre>
 * The weight is laid out {@code [KH, KW, Cout, Cin]}: as a {@link Conv2d} weight (HWIO) it maps
 * this op's output channels to its input channels, so with {@code c = g.transpose()}
 * <pre>
 *   forward(g, x, w)        = Conv2d.backwardInput(c, x, w)   = col2im(x · Wᵀ)     (+ b)
 *   backwardInput(g, dy, w) = Conv2d.forward(c, dy, w)        = im2col(dy) · W
 *   backwardWeight(g, x, dy)= Conv2d.backwardWeight(c, dy, x) = im2col(dy)ᵀ · x
 * </pre>
 * and {@code <Conv2d.forward(c, u, w), v> = <u, forward(g, v, w)>} for all {@code u, v}.
 * PyTorch's {@code ConvTranspose2d.weight} is {@code [Cin, Cout, KH, KW]}; permute it
 * {@code (2, 3, 1, 0)} to get this layout.
 *
 * <p>The GEMM form is why this beats the direct scatter: the whole op is one
 * {@code [N*H*W, Cin] x [Cin, KH*KW*Cout]} product followed by a scatter-add of
 * {@code KH*KW*Cout}-float rows. The {@code ...Scalar} methods are direct loops written
 * independently of {@link Conv2d}, so the adjoint tests compare two separate codes.
 */
public final class ConvTranspose2d {
    private ConvTranspose2d() {}

    /** Floats in the weight {@code [KH, KW, outC, inC]}. */
    public static int weightSize(ConvGeometry g) {
        return g.kernelH() * g.kernelW() * g.outC() * g.inC();
    }

    // ---------------------------------------------------------------- fast paths

    /** {@code y = convT(x, w) + b} on {@link Parallel#threads()} threads; {@code b} may be null. */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                               float[] y, int yOff) {
        forward(g, x, xOff, w, wOff, b, bOff, y, yOff, Parallel.threads());
    }

    /** {@code y = col2im(x · Wᵀ) + b} on at most {@code threads} threads; {@code b} may be null. */
    public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                               float[] y, int yOff, int threads) {
        Conv2d.check("ConvTranspose2d.forward", g, "x", x, xOff, g.inSize(), "w", w, wOff, weightSize(g),
                "y", y, yOff, g.outSize());
        if (b != null) Conv2d.checkArray("ConvTranspose2d.forward", "b", b, bOff, g.outC());
        ConvGeometry c = g.transpose();
        c.checkConv("ConvTranspose2d.forward");
        if (b != null) Conv2d.fillRows(b, bOff, y, yOff, g.batch() * g.outH() * g.outW(), g.outC());
        else java.util.Arrays.fill(y, yOff, yOff + g.outSize(), 0f);
        Conv2d.gemmCol2im(c, x, xOff, w, wOff, y, yOff, threads);
    }

    /** {@code dx (+)= im2col(dy) · W} on {@link Parallel#threads()} threads. */
    public static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                     float[] dx, int dxOff, boolean accumulate) {
        backwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate, Parallel.threads());
    }

    /** {@code dx (+)= im2col(dy) · W} on at most {@code threads} threads. */
    public static void backwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                     float[] dx, int dxOff, boolean accumulate, int threads) {
        Conv2d.check("ConvTranspose2d.backwardInput", g, "dy", dy, dyOff, g.outSize(), "w", w, wOff,
                weightSize(g), "dx", dx, dxOff, g.inSize());
        ConvGeometry c = g.transpose();
        c.checkConv("ConvTranspose2d.backwardInput");
        Conv2d.convGemm(c, dy, dyOff, w, wOff, dx, dxOff, accumulate, threads);
    }

    /** {@code dw (+)= im2col(dy)ᵀ · x} on {@link Parallel#threads()} threads. */
    public static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, boolean accumulate) {
        backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate, Parallel.threads());
    }

    /** {@code dw (+)= im2col(dy)ᵀ · x} on at most {@code threads} threads. */
    public static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, boolean accumulate, int threads) {
        Conv2d.check("ConvTranspose2d.backwardWeight", g, "x", x, xOff, g.inSize(), "dy", dy, dyOff,
                g.outSize(), "dw", dw, dwOff, weightSize(g));
        ConvGeometry c = g.transpose();
        c.checkConv("ConvTranspose2d.backwardWeight");
        Conv2d.weightGemm(c, dy, dyOff, x, xOff, dw, dwOff, accumulate, threads);
    }

    /** {@code db (+)= sum over n, oy, ox of dy[n, oy, ox, :]}. */
    public static void backwardBias(ConvGeometry g, float[] dy, int dyOff, float[] db, int dbOff,
                                    boolean accumulate) {
        Conv2d.backwardBias(g, dy, dyOff, db, dbOff, accumulate);
    }

    // ---------------------------------------------------------------- scalar references

    /** Reference for {@link #forward}: scatters every input pixel through the window. */
    public static void forwardScalar(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                                     float[] y, int yOff) {
        Conv2d.check("ConvTranspose2d.forwardScalar", g, "x", x, xOff, g.inSize(), "w", w, wOff, weightSize(g),
                "y", y, yOff, g.outSize());
        if (b != null) Conv2d.checkArray("ConvTranspose2d.forwardScalar", "b", b, bOff, g.outC());
        g.transpose().checkConv("ConvTranspose2d.forwardScalar");
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW(), CO = g.outC();
        for (int i = 0; i < g.batch() * OH * OW; i++)
            for (int co = 0; co < CO; co++) y[yOff + i * CO + co] = b == null ? 0f : b[bOff + co];
        for (int n = 0; n < g.batch(); n++)
            for (int iy = 0; iy < H; iy++)
                for (int ix = 0; ix < W; ix++)
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        int oy = iy * g.strideH() - g.padH() + ky;
                        if (oy < 0 || oy >= OH) continue;
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ox = ix * g.strideW() - g.padW() + kx;
                            if (ox < 0 || ox >= OW) continue;
                            for (int co = 0; co < CO; co++) {
                                float acc = 0f;
                                for (int ci = 0; ci < C; ci++)
                                    acc += x[xOff + ((n * H + iy) * W + ix) * C + ci]
                                            * w[wOff + ((ky * g.kernelW() + kx) * CO + co) * C + ci];
                                y[yOff + ((n * OH + oy) * OW + ox) * CO + co] += acc;
                            }
                        }
                    }
    }

    /** Reference for {@link #backwardInput}: {@code dx[n,iy,ix,ci] = sum dy[n,oy,ox,co] w[ky,kx,co,ci]}. */
    public static void backwardInputScalar(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                           float[] dx, int dxOff, boolean accumulate) {
        Conv2d.check("ConvTranspose2d.backwardInputScalar", g, "dy", dy, dyOff, g.outSize(), "w", w, wOff,
                weightSize(g), "dx", dx, dxOff, g.inSize());
        g.transpose().checkConv("ConvTranspose2d.backwardInputScalar");
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW(), CO = g.outC();
        for (int n = 0; n < g.batch(); n++)
            for (int iy = 0; iy < H; iy++)
                for (int ix = 0; ix < W; ix++)
                    for (int ci = 0; ci < C; ci++) {
                        float acc = 0f;
                        for (int ky = 0; ky < g.kernelH(); ky++) {
                            int oy = iy * g.strideH() - g.padH() + ky;
                            if (oy < 0 || oy >= OH) continue;
                            for (int kx = 0; kx < g.kernelW(); kx++) {
                                int ox = ix * g.strideW() - g.padW() + kx;
                                if (ox < 0 || ox >= OW) continue;
                                for (int co = 0; co < CO; co++)
                                    acc += dy[dyOff + ((n * OH + oy) * OW + ox) * CO + co]
                                            * w[wOff + ((ky * g.kernelW() + kx) * CO + co) * C + ci];
                            }
                        }
                        int i = dxOff + ((n * H + iy) * W + ix) * C + ci;
                        dx[i] = accumulate ? dx[i] + acc : acc;
                    }
    }

    /** Reference for {@link #backwardWeight}: {@code dw[ky,kx,co,ci] = sum x[n,iy,ix,ci] dy[n,oy,ox,co]}. */
    public static void backwardWeightScalar(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                            float[] dw, int dwOff, boolean accumulate) {
        Conv2d.check("ConvTranspose2d.backwardWeightScalar", g, "x", x, xOff, g.inSize(), "dy", dy, dyOff,
                g.outSize(), "dw", dw, dwOff, weightSize(g));
        g.transpose().checkConv("ConvTranspose2d.backwardWeightScalar");
        int H = g.inH(), W = g.inW(), C = g.inC(), OH = g.outH(), OW = g.outW(), CO = g.outC();
        for (int ky = 0; ky < g.kernelH(); ky++)
            for (int kx = 0; kx < g.kernelW(); kx++)
                for (int co = 0; co < CO; co++)
                    for (int ci = 0; ci < C; ci++) {
                        float acc = 0f;
                        for (int n = 0; n < g.batch(); n++)
                            for (int iy = 0; iy < H; iy++) {
                                int oy = iy * g.strideH() - g.padH() + ky;
                                if (oy < 0 || oy >= OH) continue;
                                for (int ix = 0; ix < W; ix++) {
                                    int ox = ix * g.strideW() - g.padW() + kx;
                                    if (ox < 0 || ox >= OW) continue;
                                    acc += x[xOff + ((n * H + iy) * W + ix) * C + ci]
                                            * dy[dyOff + ((n * OH + oy) * OW + ox) * CO + co];
                                }
                            }
                        int i = dwOff + ((ky * g.kernelW() + kx) * CO + co) * C + ci;
                        dw[i] = accumulate ? dw[i] + acc : acc;
                    }
    }

    /** Reference for {@link #backwardBias}. */
    public static void backwardBiasScalar(ConvGeometry g, float[] dy, int dyOff, float[] db, int dbOff,
                                          boolean accumulate) {
        Conv2d.backwardBiasScalar(g, dy, dyOff, db, dbOff, accumulate);
    }
}
