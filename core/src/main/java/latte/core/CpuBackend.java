package latte.core;

import latte.core.kernels.Gemm;

/**
 * The always-available backend: the Vector API kernels of {@code latte.core.kernels}. It implements
 * {@link #sgemm} with {@link Gemm#sgemm}; for everything else the defaults of {@link Backend} are
 * its kernels ({@code Conv2d}, {@code ConvTranspose2d}, {@code Gru}), so an op gives the same bits
 * through this backend as calling the kernel directly.
 */
public final class CpuBackend implements Backend {
    /** The single instance. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    /** Public for {@link java.util.ServiceLoader}; prefer {@link #INSTANCE}. */
    public CpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
