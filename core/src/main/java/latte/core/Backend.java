package latte.core;

import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;
import latte.core.kernels.Gru;

/**
 * The heavy kernels, on raw row-major arrays, that an accelerator may take over: GEMM, 2-D
 * convolution and transposed convolution (forward and both backward passes), and the fused GRU
 * cell. The differentiable ops of {@code latte.autodiff} ({@code LayerOps}: dense layers, matmul,
 * convolutions, GRU cell) and {@link Tensor#matmul} run them on {@link Backends#current()}, asked
 * on every call. The CPU implementation ({@link CpuBackend}) is always present; others (the
 * {@code cuda} module) register through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/latte.core.Backend}).
 *
 * <p>Every kernel but {@link #sgemm} has a default: {@link #sgemmBatched} loops over
 * {@link #sgemm}; the convolutions and the GRU cell run the CPU kernel of the same contract in
 * {@code latte.core.kernels}, exactly what the CPU backend runs. An accelerator overrides what it
 * speeds up. Every method takes problems of any size, down to 1 x 1 x 1: a backend that pays a
 * launch or a copy per call keeps the small ones on the CPU kernels itself (the ops do not
 * filter by size, so they never force a tiny product onto a slow path).
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

    // ---------------------------------------------------------------- convolution (NHWC x, HWIO w)

    /** {@code y = conv(x, w) + b}, the contract of {@link Conv2d#forward}; {@code b} may be null. */
    default void conv2dForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                               float[] y, int yOff) {
        Conv2d.forward(g, x, xOff, w, wOff, b, bOff, y, yOff);
    }

    /** {@code dx (+)= col2im(dy · Wᵀ)}, the contract of {@link Conv2d#backwardInput}. */
    default void conv2dBackwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                     float[] dx, int dxOff, boolean accumulate) {
        Conv2d.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate);
    }

    /** {@code dw (+)= im2col(x)ᵀ · dy}, the contract of {@link Conv2d#backwardWeight}. */
    default void conv2dBackwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, boolean accumulate) {
        Conv2d.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate);
    }

    /** The transposed convolution, the contract of {@link ConvTranspose2d#forward}; {@code b} may be null. */
    default void convTranspose2dForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                                        float[] y, int yOff) {
        ConvTranspose2d.forward(g, x, xOff, w, wOff, b, bOff, y, yOff);
    }

    /** Its input gradient, the contract of {@link ConvTranspose2d#backwardInput}. */
    default void convTranspose2dBackwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                              float[] dx, int dxOff, boolean accumulate) {
        ConvTranspose2d.backwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate);
    }

    /** Its weight gradient, the contract of {@link ConvTranspose2d#backwardWeight}. */
    default void convTranspose2dBackwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                               float[] dw, int dwOff, boolean accumulate) {
        ConvTranspose2d.backwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate);
    }

    // ---------------------------------------------------------------- fused GRU cell

    /** One GRU cell step, the contract of {@link Gru#forward}: two GEMMs and the fused gates. */
    default void gruForward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                            float[] wi, int wiOff, float[] wh, int whOff, float[] bi, int biOff,
                            float[] bh, int bhOff, float[] hOut, int hOutOff, float[] saved, int savedOff) {
        Gru.forward(batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, bi, biOff, bh, bhOff,
                hOut, hOutOff, saved, savedOff);
    }

    /** Its gradients, the contract of {@link Gru#backward}: the gate pass and four GEMMs. */
    default void gruBackward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                             float[] wi, int wiOff, float[] wh, int whOff, float[] saved, int savedOff,
                             float[] dhOut, int dhOutOff, float[] dx, int dxOff, float[] dh, int dhOff,
                             float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi, int dbiOff,
                             float[] dbh, int dbhOff, boolean accumulate) {
        Gru.backward(batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, saved, savedOff, dhOut, dhOutOff,
                dx, dxOff, dh, dhOff, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff, accumulate);
    }
}
