package latte.core.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code m x k} and
 * {@code op(B)} is {@code k x n}.
 *
 * <p>{@code transA}: A is stored {@code k x m} (leading dimension {@code lda >= m}), else
 * {@code m x k} ({@code lda >= k}). Likewise for B. {@code beta == 0} overwrites C without reading
 * it (NaNs already in C do not leak through).
 */
public final class Gemm {
    private Gemm() {}

    /** The reference: a plain triple loop, one dot product per output in index order. */
    public static void scalar(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        checkArgs("Gemm.scalar", transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci];
            }
        }
    }

    /** The fast path on the default thread count of {@link latte.core.Parallel}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                latte.core.Parallel.threads());
    }

    /** The fast path on at most {@code threads} threads. (Replaced by the packed kernel.) */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, int threads) {
        scalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Validates sizes, leading dimensions and that every addressed element is in bounds. */
    static void checkArgs(String op, boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException(op + ": negative size m=" + m + " n=" + n + " k=" + k);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        checkMatrix(op, "A", a, aOff, aRows, aCols, lda);
        checkMatrix(op, "B", b, bOff, bRows, bCols, ldb);
        checkMatrix(op, "C", c, cOff, m, n, ldc);
    }

    private static void checkMatrix(String op, String name, float[] x, int off, int rows, int cols, int ld) {
        if (ld < Math.max(1, cols))
            throw new IllegalArgumentException(op + ": ld" + name.toLowerCase() + "=" + ld
                    + " is less than the " + cols + " columns of " + name + " [" + rows + "," + cols + "]");
        if (rows == 0 || cols == 0) return;
        long last = (long) off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= x.length)
            throw new IllegalArgumentException(op + ": " + name + " [" + rows + "," + cols + "] with ld="
                    + ld + " at offset " + off + " needs " + (last + 1) + " floats, array has " + x.length);
    }
}
