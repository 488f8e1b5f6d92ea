package latte.cuda;

import latte.core.Backend;
import latte.core.CpuBackend;
import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;

/**
 * The GPU as a {@link Backend}: registered through {@code META-INF/services/latte.core.Backend},
 * preferred over the CPU by {@link latte.core.Backends} when {@link Cuda#probe()} finds a usable
 * GPU, and never chosen when it does not (Backends then prints one line, naming the reason, and uses the CPU).
 *
 * <p>The host-array entry points copy the operands in, run the kernel and copy the result out.
 * The copies cost {@code 4*(|A|+|B|+|C|)} bytes over PCIe against {@code 2mnk} FLOPs, so a GEMM
 * below {@link #minFlops()} stays on the CPU, where it is faster. Work that chains kernels should
 * keep its data on the device with {@link DeviceBuffer} and {@link CudaOps} instead.
 */
public final class CudaBackend implements Backend {
    /** Default of {@code -Dlatte.cuda.minFlops}: 2 GFLOP, about where the PCIe copies stop dominating. */
    public static final long DEFAULT_MIN_FLOPS = 2_000_000_000L;

    private final long minFlops;

    /** For {@link java.util.ServiceLoader}: the threshold from {@code -Dlatte.cuda.minFlops}. */
    public CudaBackend() {
        this(Long.getLong("latte.cuda.minFlops", DEFAULT_MIN_FLOPS));
    }

    /** A backend that sends a GEMM of at least {@code minFlops} FLOPs ({@code 2mnk}) to the GPU; 0 sends all. */
    public CudaBackend(long minFlops) {
        if (minFlops < 0) throw new IllegalArgumentException("CudaBackend: minFlops=" + minFlops + ", expected >= 0");
        this.minFlops = minFlops;
    }

    /** GEMMs smaller than this many FLOPs run on the CPU. */
    public long minFlops() {
        return minFlops;
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** Above the CPU's 0. */
    @Override
    public int priority() {
        return 10;
    }

    /** Whether {@link Cuda#probe()} found a usable GPU (probed once per process, never throws). */
    @Override
    public boolean available() {
        return Cuda.probe().ok();
    }

    @Override
    public String unavailableReason() {
        Cuda.Probe p = Cuda.probe();
        return p.ok() ? "" : p.reason();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        sgemmBatched(transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
    }

    /** One launch for the whole batch when C's matrices are distinct; copies each operand's span once. */
    @Override
    public void sgemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, int strideA,
                             float[] b, int bOff, int ldb, int strideB,
                             float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
        if (2.0 * m * n * k * batch < minFlops || (batch > 1 && strideC == 0) || m == 0 || n == 0) {
            CpuBackend.INSTANCE.sgemmBatched(transA, transB, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb,
                    strideB, beta, c, cOff, ldc, strideC, batch);
            return;
        }
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int aLen = hostSpan("A", a, aOff, batch, strideA, aRows, aCols, lda);
        int bLen = hostSpan("B", b, bOff, batch, strideB, bRows, bCols, ldb);
        int cLen = hostSpan("C", c, cOff, batch, strideC, m, n, ldc);
        synchronized (this) {
            try (DeviceBuffer da = DeviceBuffer.of(a, aOff, Math.max(1, aLen));
                 DeviceBuffer db = DeviceBuffer.of(b, bOff, Math.max(1, bLen));
                 // C is read when beta != 0, and when its span has gaps (ldc > n, strideC > m*ldc) that
                 // the copy back must leave as they were.
                 DeviceBuffer dc = beta == 0f && cLen == (long) batch * m * n
                         ? DeviceBuffer.allocate(cLen) : DeviceBuffer.of(c, cOff, cLen)) {
                CudaOps.sgemmBatched(transA, transB, m, n, k, alpha, da, 0, lda, strideA, db, 0, ldb, strideB,
                        beta, dc, 0, ldc, strideC, batch);
                dc.copyTo(0, c, cOff, cLen);
            }
        }
    }

    /** Floats from {@code off} covering all {@code batch} matrices, checked against the array. */
    private static int hostSpan(String which, float[] x, int off, int batch, int stride, int rows, int cols, int ld) {
        long len = (long) (batch - 1) * stride + CudaOps.span(rows, cols, ld);
        if (off < 0 || ld < Math.max(1, cols) || off + len > x.length)
            throw new IllegalArgumentException("CudaBackend.sgemm: " + which + " (" + rows + "x" + cols + ", ld=" + ld
                    + ", batch=" + batch + ", stride=" + stride + ") needs floats [" + off + ", " + (off + len)
                    + ") of an array of " + x.length + "; expected ld >= " + Math.max(1, cols));
        return (int) len;
    }

    // ---------------------------------------------------------------- convolutions

    /** Whether a convolution of {@code flops} FLOPs goes to the GPU. */
    private boolean onGpu(long flops) {
        return flops > 0 && flops >= minFlops;
    }

    @Override
    public void conv2dForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                              float[] y, int yOff) {
        if (onGpu(g.flops())) forwardOnGpu(false, g, x, xOff, w, wOff, b, bOff, y, yOff);
        else Backend.super.conv2dForward(g, x, xOff, w, wOff, b, bOff, y, yOff);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                    float[] dx, int dxOff, boolean accumulate) {
        if (!onGpu(g.flops())) Backend.super.conv2dBackwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate);
        else onDevice(dy, dyOff, g.outSize(), w, wOff, Conv2d.weightSize(g), dx, dxOff, g.inSize(), accumulate,
                (dDy, dW, dDx) -> CudaOps.conv2dBackwardInput(g, dDy, 0, dW, 0, dDx, 0, accumulate));
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                     float[] dw, int dwOff, boolean accumulate) {
        if (!onGpu(g.flops())) Backend.super.conv2dBackwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate);
        else onDevice(x, xOff, g.inSize(), dy, dyOff, g.outSize(), dw, dwOff, Conv2d.weightSize(g), accumulate,
                (dX, dDy, dDw) -> CudaOps.conv2dBackwardWeight(g, dX, 0, dDy, 0, dDw, 0, accumulate));
    }

    @Override
    public void convTranspose2dForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                                       float[] y, int yOff) {
        if (onGpu(g.transposeFlops())) forwardOnGpu(true, g, x, xOff, w, wOff, b, bOff, y, yOff);
        else Backend.super.convTranspose2dForward(g, x, xOff, w, wOff, b, bOff, y, yOff);
    }

    @Override
    public void convTranspose2dBackwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                             float[] dx, int dxOff, boolean accumulate) {
        if (!onGpu(g.transposeFlops())) Backend.super.convTranspose2dBackwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate);
        else onDevice(dy, dyOff, g.outSize(), w, wOff, ConvTranspose2d.weightSize(g), dx, dxOff, g.inSize(), accumulate,
                (dDy, dW, dDx) -> CudaOps.convTranspose2dBackwardInput(g, dDy, 0, dW, 0, dDx, 0, accumulate));
    }

    @Override
    public void convTranspose2dBackwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                              float[] dw, int dwOff, boolean accumulate) {
        if (!onGpu(g.transposeFlops())) Backend.super.convTranspose2dBackwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate);
        else onDevice(x, xOff, g.inSize(), dy, dyOff, g.outSize(), dw, dwOff, ConvTranspose2d.weightSize(g), accumulate,
                (dX, dDy, dDw) -> CudaOps.convTranspose2dBackwardWeight(g, dX, 0, dDy, 0, dDw, 0, accumulate));
    }

    /** The forward of a plain or transposed convolution on the GPU, the bias copied in when there is one. */
    private void forwardOnGpu(boolean transposed, ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b,
                              int bOff, float[] y, int yOff) {
        int ws = transposed ? ConvTranspose2d.weightSize(g) : Conv2d.weightSize(g);
        onDevice(x, xOff, g.inSize(), w, wOff, ws, y, yOff, g.outSize(), false, (dx, dw, dy) -> {
            try (DeviceBuffer db = b == null ? null : DeviceBuffer.of(b, bOff, g.outC())) {
                if (transposed) CudaOps.convTranspose2dForward(g, dx, 0, dw, 0, db, 0, dy, 0);
                else CudaOps.conv2dForward(g, dx, 0, dw, 0, db, 0, dy, 0);
            }
        });
    }

    /** A device kernel over two inputs and one output, all starting at offset 0. */
    @FunctionalInterface
    private interface DeviceOp {
        void run(DeviceBuffer in1, DeviceBuffer in2, DeviceBuffer out);
    }

    /**
     * Copies {@code in1} and {@code in2} (host ranges) to the device, and {@code out} too when the
     * kernel reads it ({@code readOut}: an accumulating gradient), runs {@code op}, and copies
     * {@code out} back. One call on the GPU at a time, as for the GEMMs.
     */
    private void onDevice(float[] in1, int off1, int len1, float[] in2, int off2, int len2,
                          float[] out, int outOff, int outLen, boolean readOut, DeviceOp op) {
        synchronized (this) {
            try (DeviceBuffer d1 = DeviceBuffer.of(in1, off1, len1); DeviceBuffer d2 = DeviceBuffer.of(in2, off2, len2);
                 DeviceBuffer dOut = readOut ? DeviceBuffer.of(out, outOff, outLen) : DeviceBuffer.allocate(outLen)) {
                op.run(d1, d2, dOut);
                dOut.copyTo(0, out, outOff, outLen);
            }
        }
    }
}
