package latte.core;

/**
 * The heavy kernels, on raw row-major arrays, that an accelerator may take over. The CPU
 * implementation ({@link CpuBackend}) is always present; others (the {@code cuda} module) register
 * through {@link java.util.ServiceLoader} ({@code META-INF/services/latte.core.Backend}) and are
 * chosen by {@link Backends#current()}.
 *
 * <p>Deliberately tensor-free: an implementation needs only arrays, offsets and sizes.
 */
public interface Backend {
    /** Short name used by {@code -Dlatte.backend=NAME}, e.g. {@code cpu}, {@code cuda}. */
    String name();

    /** Higher wins when several are available; the CPU backend has priority 0. */
    int priority();

    /** Whether this backend can run here (e.g. a driver and a device are present). Called once. */
    boolean available();

    /** Why {@link #available()} is false (e.g. "no CUDA driver: ..."), for error messages; empty when available. */
    default String unavailableReason() {
        return available() ? "" : "the backend reports it cannot run here";
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, row-major, with the contract of
     * {@link latte.core.kernels.Gemm#sgemm}.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    /**
     * {@code batch} independent GEMMs; matrix {@code i} of A starts at {@code aOff + i * strideA}
     * (likewise B, C). A stride of 0 reuses one matrix for every batch entry. The default loops
     * over {@link #sgemm}; an accelerator may launch them at once.
     */
    default void sgemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, int strideA,
                              float[] b, int bOff, int ldb, int strideB,
                              float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
        for (int i = 0; i < batch; i++)
            sgemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
    }
}
