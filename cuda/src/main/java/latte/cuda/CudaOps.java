package latte.cuda;

import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;

/**
 * Device-resident kernels: every operand is a {@link DeviceBuffer} (offsets and lengths in
 * floats), nothing crosses to the host, so a training step can chain them and copy back only what
 * it needs. Each op has the contract of the CPU kernel it names ({@link latte.core.kernels.Gemm},
 * {@link Conv2d}, {@link ConvTranspose2d}, {@link latte.core.kernels.Elementwise},
 * {@link latte.core.kernels.Reduce}); the tests compare them with those on random data.
 *
 * <p>Launches are asynchronous on the default stream; a host copy or {@link Cuda#synchronize()}
 * waits for them. A convolution allocates its {@code im2col} matrix ({@code N*OH*OW x KH*KW*Cin}
 * floats) for the call and frees it after.
 */
public final class CudaOps {
    private CudaOps() {}

    // ---------------------------------------------------------------- GEMM

    /** {@code C = alpha * op(A) * op(B) + beta * C}, row-major, the contract of {@link latte.core.kernels.Gemm#sgemm}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             DeviceBuffer a, long aOff, int lda, DeviceBuffer b, long bOff, int ldb,
                             float beta, DeviceBuffer c, long cOff, int ldc) {
        sgemmBatched(transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
    }

    /**
     * {@code batch} GEMMs in one launch; matrix {@code i} of A starts at {@code aOff + i*strideA}
     * (likewise B, C), a stride of 0 reusing one matrix. C's matrices must not overlap (the batch
     * entries run concurrently).
     */
    public static void sgemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                    DeviceBuffer a, long aOff, int lda, long strideA,
                                    DeviceBuffer b, long bOff, int ldb, long strideB,
                                    float beta, DeviceBuffer c, long cOff, int ldc, long strideC, int batch) {
        String op = "CudaOps.sgemm";
        if (m < 0 || n < 0 || k < 0 || batch < 1 || strideA < 0 || strideB < 0 || strideC < 0)
            throw new IllegalArgumentException(op + ": m=" + m + " n=" + n + " k=" + k + " batch=" + batch + " strides "
                    + strideA + "/" + strideB + "/" + strideC + ", expected sizes >= 0, batch >= 1, strides >= 0");
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        if (lda < Math.max(1, aCols) || ldb < Math.max(1, bCols) || ldc < Math.max(1, n))
            throw new IllegalArgumentException(op + ": lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " for op(A) " + m + "x"
                    + k + (transA ? " (A stored " + k + "x" + m + ")" : "") + ", op(B) " + k + "x" + n
                    + (transB ? " (B stored " + n + "x" + k + ")" : "") + "; expected lda >= " + Math.max(1, aCols)
                    + ", ldb >= " + Math.max(1, bCols) + ", ldc >= " + Math.max(1, n));
        if (batch > 1 && strideC == 0 && m > 0 && n > 0)
            throw new IllegalArgumentException(op + ": batch=" + batch + " with strideC=0 would write one C concurrently");
        if (m == 0 || n == 0) return;
        a.check(op + " (A)", aOff, (batch - 1) * strideA + span(aRows, aCols, lda));
        b.check(op + " (B)", bOff, (batch - 1) * strideB + span(bRows, bCols, ldb));
        c.check(op + " (C)", cOff, (batch - 1) * strideC + span(m, n, ldc));
        long gy = (m + 127L) / 128;
        if (gy > 65535 || batch > 65535)
            throw new IllegalArgumentException(op + ": m=" + m + " batch=" + batch + " exceed the grid (m <= 8388480, batch <= 65535)");
        String kernel = "sgemm_" + (transA ? "t" : "n") + (transB ? "t" : "n");
        Cuda.get().launch(kernel, (n + 127) / 128, (int) gy, batch, 256,
                m, n, k, alpha, a.pointer(aOff), lda, strideA, b.pointer(bOff), ldb, strideB,
                beta, c.pointer(cOff), ldc, strideC);
    }

    /** Floats spanned by a {@code rows x cols} row-major matrix with leading dimension {@code ld}. */
    static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    // ---------------------------------------------------------------- convolution

    /**
     * {@code col = im2col(x)}: {@code [N*OH*OW, KH*KW*Cin]}, row {@code (n,oy,ox)} the receptive
     * field of that output, zeros where the window leaves the image (as {@link Conv2d}).
     */
    public static void im2col(ConvGeometry g, DeviceBuffer x, long xOff, DeviceBuffer col, long colOff) {
        checkConv("CudaOps.im2col", g);
        x.check("CudaOps.im2col (x)", xOff, g.inSize());
        col.check("CudaOps.im2col (col)", colOff, colSize(g));
        Cuda.get().launch1d("im2col_nhwc", colSize(g), geometryArgs(g, x.pointer(xOff), col.pointer(colOff)));
    }

    /** {@code dx += col2im(col)}, the adjoint of {@link #im2col}. */
    public static void col2im(ConvGeometry g, DeviceBuffer col, long colOff, DeviceBuffer dx, long dxOff) {
        checkConv("CudaOps.col2im", g);
        col.check("CudaOps.col2im (col)", colOff, colSize(g));
        dx.check("CudaOps.col2im (dx)", dxOff, g.inSize());
        Cuda.get().launch1d("col2im_nhwc", g.inSize(), geometryArgs(g, col.pointer(colOff), dx.pointer(dxOff)));
    }

    /** Floats of the im2col matrix of {@code g}. */
    public static long colSize(ConvGeometry g) {
        return (long) g.batch() * g.outH() * g.outW() * g.kernelH() * g.kernelW() * g.inC();
    }

    /** The kernel arguments {@code (src, dst, N, H, W, C, OH, OW, KH, KW, sh, sw, ph, pw)}. */
    private static Object[] geometryArgs(ConvGeometry g, Object src, Object dst) {
        return new Object[] {src, dst, g.batch(), g.inH(), g.inW(), g.inC(), g.outH(), g.outW(), g.kernelH(), g.kernelW(),
                g.strideH(), g.strideW(), g.padH(), g.padW()};
    }

    /** {@link Conv2d#forward}: {@code y = im2col(x) · W + b}; {@code b} may be null. */
    public static void conv2dForward(ConvGeometry g, DeviceBuffer x, long xOff, DeviceBuffer w, long wOff,
                                     DeviceBuffer b, long bOff, DeviceBuffer y, long yOff) {
        String op = "CudaOps.conv2dForward";
        long rows = (long) g.batch() * g.outH() * g.outW();
        y.check(op + " (y)", yOff, g.outSize());
        if (b != null) {
            b.check(op + " (b)", bOff, g.outC());
            fillRows(b, bOff, y, yOff, rows, g.outC());
        }
        convGemm(op, g, x, xOff, w, wOff, y, yOff, b != null ? 1f : 0f);
    }

    /** {@link Conv2d#backwardInput}: {@code dx (+)= col2im(dy · Wᵀ)}. */
    public static void conv2dBackwardInput(ConvGeometry g, DeviceBuffer dy, long dyOff, DeviceBuffer w, long wOff,
                                           DeviceBuffer dx, long dxOff, boolean accumulate) {
        String op = "CudaOps.conv2dBackwardInput";
        checkConv(op, g);
        int K = g.kernelH() * g.kernelW() * g.inC(), CO = g.outC();
        int rows = rowsOf(op, g);
        dy.check(op + " (dy)", dyOff, g.outSize());
        w.check(op + " (w)", wOff, Conv2d.weightSize(g));
        dx.check(op + " (dx)", dxOff, g.inSize());
        if (!accumulate) zero(dx, dxOff, g.inSize());
        try (DeviceBuffer col = DeviceBuffer.allocate(colSize(g))) {
            sgemm(false, true, rows, K, CO, 1f, dy, dyOff, CO, w, wOff, CO, 0f, col, 0, K);
            col2im(g, col, 0, dx, dxOff);
        }
    }

    /** {@link Conv2d#backwardWeight}: {@code dw (+)= im2col(x)ᵀ · dy}. */
    public static void conv2dBackwardWeight(ConvGeometry g, DeviceBuffer x, long xOff, DeviceBuffer dy, long dyOff,
                                            DeviceBuffer dw, long dwOff, boolean accumulate) {
        String op = "CudaOps.conv2dBackwardWeight";
        checkConv(op, g);
        int K = g.kernelH() * g.kernelW() * g.inC(), CO = g.outC();
        int rows = rowsOf(op, g);
        dy.check(op + " (dy)", dyOff, g.outSize());
        dw.check(op + " (dw)", dwOff, Conv2d.weightSize(g));
        try (DeviceBuffer col = DeviceBuffer.allocate(colSize(g))) {
            im2col(g, x, xOff, col, 0);
            sgemm(true, false, K, CO, rows, 1f, col, 0, K, dy, dyOff, CO, accumulate ? 1f : 0f, dw, dwOff, CO);
        }
    }

    /** {@link Conv2d#backwardBias}: {@code db (+)= sum over n, oy, ox of dy}. */
    public static void conv2dBackwardBias(ConvGeometry g, DeviceBuffer dy, long dyOff, DeviceBuffer db, long dbOff,
                                          boolean accumulate) {
        sumRows("CudaOps.conv2dBackwardBias", dy, dyOff, (long) g.batch() * g.outH() * g.outW(), g.outC(), db, dbOff,
                accumulate);
    }

    /** {@link ConvTranspose2d#forward}: {@code y = col2im_c(x · Wᵀ) + b} with {@code c = g.transpose()}; {@code b} may be null. */
    public static void convTranspose2dForward(ConvGeometry g, DeviceBuffer x, long xOff, DeviceBuffer w, long wOff,
                                              DeviceBuffer b, long bOff, DeviceBuffer y, long yOff) {
        String op = "CudaOps.convTranspose2dForward";
        y.check(op + " (y)", yOff, g.outSize());
        if (b != null) {
            b.check(op + " (b)", bOff, g.outC());
            fillRows(b, bOff, y, yOff, (long) g.batch() * g.outH() * g.outW(), g.outC());
        }
        conv2dBackwardInput(g.transpose(), x, xOff, w, wOff, y, yOff, b != null);
    }

    /** {@link ConvTranspose2d#backwardInput}: {@code dx (+)= im2col_c(dy) · W}. */
    public static void convTranspose2dBackwardInput(ConvGeometry g, DeviceBuffer dy, long dyOff, DeviceBuffer w,
                                                    long wOff, DeviceBuffer dx, long dxOff, boolean accumulate) {
        convGemm("CudaOps.convTranspose2dBackwardInput", g.transpose(), dy, dyOff, w, wOff, dx, dxOff,
                accumulate ? 1f : 0f);
    }

    /** {@link ConvTranspose2d#backwardWeight}: {@code dw (+)= im2col_c(dy)ᵀ · x}. */
    public static void convTranspose2dBackwardWeight(ConvGeometry g, DeviceBuffer x, long xOff, DeviceBuffer dy,
                                                     long dyOff, DeviceBuffer dw, long dwOff, boolean accumulate) {
        conv2dBackwardWeight(g.transpose(), dy, dyOff, x, xOff, dw, dwOff, accumulate);
    }

    /** {@link ConvTranspose2d#backwardBias}: {@code db (+)= sum over n, y, x of dy}. */
    public static void convTranspose2dBackwardBias(ConvGeometry g, DeviceBuffer dy, long dyOff, DeviceBuffer db,
                                                   long dbOff, boolean accumulate) {
        conv2dBackwardBias(g, dy, dyOff, db, dbOff, accumulate);
    }

    /** {@code y = beta*y + im2col(x) · W}. */
    private static void convGemm(String op, ConvGeometry g, DeviceBuffer x, long xOff, DeviceBuffer w, long wOff,
                                 DeviceBuffer y, long yOff, float beta) {
        checkConv(op, g);
        int K = g.kernelH() * g.kernelW() * g.inC(), CO = g.outC();
        int rows = rowsOf(op, g);
        x.check(op + " (x)", xOff, g.inSize());
        w.check(op + " (w)", wOff, Conv2d.weightSize(g));
        y.check(op + " (y)", yOff, g.outSize());
        try (DeviceBuffer col = DeviceBuffer.allocate(colSize(g))) {
            im2col(g, x, xOff, col, 0);
            sgemm(false, false, rows, CO, K, 1f, col, 0, K, w, wOff, CO, beta, y, yOff, CO);
        }
    }

    private static int rowsOf(String op, ConvGeometry g) {
        long rows = (long) g.batch() * g.outH() * g.outW();
        if (rows > Integer.MAX_VALUE)
            throw new IllegalArgumentException(op + ": " + g + " is too large for one launch; split the batch");
        return (int) rows;
    }

    /**
     * The check of the CPU kernels (package-private there): the output size must fit the padded
     * input, every output row starting inside the input or its top padding.
     */
    static void checkConv(String op, ConvGeometry g) {
        int padBottom = (g.outH() - 1) * g.strideH() + g.kernelH() - g.padH() - g.inH();
        int padRight = (g.outW() - 1) * g.strideW() + g.kernelW() - g.padW() - g.inW();
        if (padBottom <= -g.strideH() || padBottom >= g.kernelH() || padRight <= -g.strideW() || padRight >= g.kernelW())
            throw new IllegalArgumentException(op + ": output " + g.outH() + "x" + g.outW() + " does not match input "
                    + g.inH() + "x" + g.inW() + " of " + g + " (implied bottom/right padding " + padBottom + "x"
                    + padRight + "); use the ConvGeometry factories");
    }

    // ---------------------------------------------------------------- rows, elementwise, reduction

    /** {@code y[r, c] = b[c]} for {@code r < rows}. */
    public static void fillRows(DeviceBuffer b, long bOff, DeviceBuffer y, long yOff, long rows, int cols) {
        b.check("CudaOps.fillRows (b)", bOff, cols);
        y.check("CudaOps.fillRows (y)", yOff, rows * cols);
        if (rows * cols == 0) return;
        Cuda.get().launch1d("fill_rows", rows * cols, y.pointer(yOff), b.pointer(bOff), rows, cols);
    }

    /** {@code out[c] (+)= sum over r < rows of y[r, c]}, rows added in order. */
    public static void sumRows(String op, DeviceBuffer y, long yOff, long rows, int cols, DeviceBuffer out, long outOff,
                               boolean accumulate) {
        y.check(op + " (rows)", yOff, rows * cols);
        out.check(op + " (out)", outOff, cols);
        if (cols == 0) return;
        Cuda.get().launch("sum_rows", (cols + Cuda.BLOCK - 1) / Cuda.BLOCK, 1, 1, Cuda.BLOCK,
                y.pointer(yOff), out.pointer(outOff), rows, cols, accumulate ? 1 : 0);
    }

    /** Sets {@code n} floats from {@code off} to zero. */
    public static void zero(DeviceBuffer a, long off, long n) {
        a.check("CudaOps.zero", off, n);
        if (n == 0) return;
        Cuda.get().bind();
        jcuda.driver.JCudaDriver.cuMemsetD32(a.pointer(off), 0, n);
    }

    /** {@code out = a + b}. */
    public static void add(DeviceBuffer a, long aOff, DeviceBuffer b, long bOff, DeviceBuffer out, long oOff, long n) {
        binary("ew_add", a, aOff, b, bOff, out, oOff, n);
    }

    /** {@code out = a * b}. */
    public static void mul(DeviceBuffer a, long aOff, DeviceBuffer b, long bOff, DeviceBuffer out, long oOff, long n) {
        binary("ew_mul", a, aOff, b, bOff, out, oOff, n);
    }

    /** {@code y += alpha * x}. */
    public static void axpy(float alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff, long n) {
        x.check("CudaOps.axpy (x)", xOff, n);
        y.check("CudaOps.axpy (y)", yOff, n);
        if (n == 0) return;
        Cuda.get().launch1d("ew_axpy", n, alpha, x.pointer(xOff), y.pointer(yOff), n);
    }

    /** {@code out = max(a, 0)}. */
    public static void relu(DeviceBuffer a, long aOff, DeviceBuffer out, long oOff, long n) {
        unary("ew_relu", a, aOff, out, oOff, n);
    }

    /** {@code out = tanh(a)}. */
    public static void tanh(DeviceBuffer a, long aOff, DeviceBuffer out, long oOff, long n) {
        unary("ew_tanh", a, aOff, out, oOff, n);
    }

    /** {@code out = 1 / (1 + exp(-a))}. */
    public static void sigmoid(DeviceBuffer a, long aOff, DeviceBuffer out, long oOff, long n) {
        unary("ew_sigmoid", a, aOff, out, oOff, n);
    }

    /** {@code out = exp(a)}. */
    public static void exp(DeviceBuffer a, long aOff, DeviceBuffer out, long oOff, long n) {
        unary("ew_exp", a, aOff, out, oOff, n);
    }

    /** Blocks of the first pass of {@link #sum}: enough to fill an H100 a few times over. */
    static final int SUM_BLOCKS = 1024;

    /** {@code sum(a[off, off+n))}, in two deterministic passes; returns it to the host. */
    public static float sum(DeviceBuffer a, long off, long n) {
        a.check("CudaOps.sum", off, n);
        if (n == 0) return 0f;
        int blocks = (int) Math.min(SUM_BLOCKS, (n + Cuda.BLOCK - 1) / Cuda.BLOCK);
        try (DeviceBuffer partial = DeviceBuffer.allocate(blocks + 1)) {
            Cuda cuda = Cuda.get();
            cuda.launch("reduce_sum", blocks, 1, 1, Cuda.BLOCK, a.pointer(off), partial.pointer(0), n);
            cuda.launch("reduce_sum", 1, 1, 1, Cuda.BLOCK, partial.pointer(0), partial.pointer(blocks), (long) blocks);
            float[] out = new float[1];
            partial.copyTo(blocks, out, 0, 1);
            return out[0];
        }
    }

    private static void unary(String kernel, DeviceBuffer a, long aOff, DeviceBuffer out, long oOff, long n) {
        a.check("CudaOps." + kernel + " (a)", aOff, n);
        out.check("CudaOps." + kernel + " (out)", oOff, n);
        if (n == 0) return;
        Cuda.get().launch1d(kernel, n, a.pointer(aOff), out.pointer(oOff), n);
    }

    private static void binary(String kernel, DeviceBuffer a, long aOff, DeviceBuffer b, long bOff, DeviceBuffer out,
                               long oOff, long n) {
        a.check("CudaOps." + kernel + " (a)", aOff, n);
        b.check("CudaOps." + kernel + " (b)", bOff, n);
        out.check("CudaOps." + kernel + " (out)", oOff, n);
        if (n == 0) return;
        Cuda.get().launch1d(kernel, n, a.pointer(aOff), b.pointer(bOff), out.pointer(oOff), n);
    }
}
