package latte.cuda;

import latte.core.Backend;
import latte.core.CpuBackend;

/**
 * The GPU as a {@link Backend}: registered through {@code META-INF/services/latte.core.Backend},
 * preferred over the CPU by {@link latte.core.Backends} when {@link Cuda#probe()} finds a usable
 * GPU, and never chosen (one log line, the CPU is used) when it does not.
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
}
