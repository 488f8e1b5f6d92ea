package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static latte.core.kernels.Gemm.NR;
import static latte.core.kernels.Simd.F;
import static latte.core.kernels.Simd.LANES;

/**
 * The register-blocked microkernels of {@link Gemm}: an mr x NR tile of C (mr = 6, 4, 2 or 1
 * rows, NR = two vectors) as one FMA chain per output over a packed panel of B
 * ({@link GemmPack}), and the store of the accumulators into C. Every variant does the same
 * arithmetic per output, so the blocking never changes a result bit.
 */
final class GemmKernels {
    private GemmKernels() {}

    /** Dispatches an mr-row sliver (6, 4, 2 or 1 rows) to its microkernel. */
    static void micro(int mr, int kc, float[] as, int arow, int la, float[] bp, int bi, float[] c, int ci, int ldc,
                      int nr, float alpha, float beta, boolean first, float[] edge) {
        switch (mr) {
            case 6 -> {
                if (nr <= LANES) kernel6Narrow(kc, as, arow, la, bp, bi, c, ci, ldc, nr, alpha, beta, first, edge);
                else kernel6(kc, as, arow, la, bp, bi, c, ci, ldc, nr, alpha, beta, first, edge);
            }
            case 4 -> kernel4(kc, as, arow, la, bp, bi, c, ci, ldc, nr, alpha, beta, first, edge);
            case 2 -> kernel2(kc, as, arow, la, bp, bi, c, ci, ldc, nr, alpha, beta, first, edge);
            default -> kernel1(kc, as, arow, la, bp, bi, c, ci, ldc, nr, alpha, beta, first, edge);
        }
    }

    /**
     * Writes the accumulators of a rows x nr tile (parked in {@code edge}, row stride NR) to C:
     * {@code c = alpha acc}, plus {@code beta c} on the first K block (not read when beta is 0),
     * plus {@code c} on later blocks. Accumulators go through the scratch array rather than as
     * vector arguments: a vector passed to a method the JIT does not inline is boxed, which would
     * allocate on every microkernel call.
     */
    private static void store(float[] edge, int rows, int nr, float[] c, int ci, int ldc,
                              float alpha, float beta, boolean first) {
        if (nr == NR) {
            for (int r = 0; r < rows; r++) {
                int x = ci + r * ldc, e = r * NR;
                FloatVector v0 = FloatVector.fromArray(F, edge, e).mul(alpha);
                FloatVector v1 = FloatVector.fromArray(F, edge, e + LANES).mul(alpha);
                if (!first) {
                    v0 = v0.add(FloatVector.fromArray(F, c, x));
                    v1 = v1.add(FloatVector.fromArray(F, c, x + LANES));
                } else if (beta != 0f) {
                    v0 = v0.add(FloatVector.fromArray(F, c, x).mul(beta));
                    v1 = v1.add(FloatVector.fromArray(F, c, x + LANES).mul(beta));
                }
                v0.intoArray(c, x);
                v1.intoArray(c, x + LANES);
            }
            return;
        }
        // Edge tile: the same arithmetic, only the nr valid columns
        for (int r = 0; r < rows; r++) {
            int x = ci + r * ldc, e = r * NR;
            for (int j = 0; j < nr; j += LANES) {
                int w = Math.min(LANES, nr - j);
                FloatVector v = FloatVector.fromArray(F, edge, e + j).mul(alpha);
                if (w == LANES) {
                    if (!first) v = v.add(FloatVector.fromArray(F, c, x + j));
                    else if (beta != 0f) v = v.add(FloatVector.fromArray(F, c, x + j).mul(beta));
                    v.intoArray(c, x + j);
                } else if (w >= MASKED_MIN) {
                    // an edge tile's last columns: the same arithmetic under a mask, so C is
                    // neither read nor written past column nr (one element at a time cost more
                    // than the multiply-adds on narrow outputs such as 16 conv channels)
                    VectorMask<Float> m = PREFIX[w];
                    if (!first) v = v.add(FloatVector.fromArray(F, c, x + j, m));
                    else if (beta != 0f) v = v.add(FloatVector.fromArray(F, c, x + j, m).mul(beta));
                    v.intoArray(c, x + j, m);
                } else {
                    // a few columns (a 2-wide mean/std head): scalar beats a masked access
                    for (int q = 0, ei = e + j, xi = x + j; q < w; q++, ei++, xi++) {
                        float u = edge[ei] * alpha;
                        c[xi] = !first ? u + c[xi] : beta != 0f ? u + c[xi] * beta : u;
                    }
                }
            }
        }
    }

    /** Narrowest edge (in columns) stored with a masked vector access rather than one element at a time. */
    static final int MASKED_MIN = 4;

    /** {@code PREFIX[w]}: the first w lanes of {@link Simd#F}, for w in [0, LANES]. */
    static final VectorMask<Float>[] PREFIX = prefixMasks();

    @SuppressWarnings("unchecked")
    static VectorMask<Float>[] prefixMasks() {
        VectorMask<Float>[] masks = new VectorMask[LANES + 1];
        for (int w = 0; w <= LANES; w++) masks[w] = F.indexInRange(0, w);
        return masks;
    }

    /**
     * The microkernel: C[0..6, 0..nr) of this tile = alpha * A[6, kc] B[kc, NR] (+ beta C or + C).
     * A is read in place (row r at {@code a[ai + r lda + p]}); B is a packed panel
     * ({@code bp[bi + p NR + j]}, zero-padded to NR columns). Twelve accumulators (6 rows x 2
     * vectors) stay in registers; each output is one FMA chain over p in order, the same in every
     * kernel variant, so the tiling never changes a result bit.
     */
    private static void kernel6(int kc, float[] a, int ai, int lda, float[] bp, int bi,
                                float[] c, int ci, int ldc, int nr, float alpha, float beta, boolean first,
                                float[] edge) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        int a0 = ai;
        int a1 = ai + 1 * lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + LANES);
            FloatVector x0 = FloatVector.broadcast(F, a[a0 + p]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(F, a[a1 + p]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(F, a[a2 + p]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(F, a[a3 + p]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(F, a[a4 + p]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(F, a[a5 + p]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
        }
        c00.intoArray(edge, 0 * NR);
        c01.intoArray(edge, 0 * NR + LANES);
        c10.intoArray(edge, 1 * NR);
        c11.intoArray(edge, 1 * NR + LANES);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + LANES);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + LANES);
        c40.intoArray(edge, 4 * NR);
        c41.intoArray(edge, 4 * NR + LANES);
        c50.intoArray(edge, 5 * NR);
        c51.intoArray(edge, 5 * NR + LANES);
        store(edge, 6, nr, c, ci, ldc, alpha, beta, first);
    }

    /**
     * {@link #kernel6} for an edge tile at most one vector wide (nr <= LANES): half the FMAs, the
     * same arithmetic per output (one FMA chain over p), so results do not depend on the variant.
     */
    private static void kernel6Narrow(int kc, float[] a, int ai, int lda, float[] bp, int bi,
                                      float[] c, int ci, int ldc, int nr, float alpha, float beta, boolean first,
                                      float[] edge) {
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector c2 = FloatVector.zero(F);
        FloatVector c3 = FloatVector.zero(F);
        FloatVector c4 = FloatVector.zero(F);
        FloatVector c5 = FloatVector.zero(F);
        int a0 = ai;
        int a1 = ai + 1 * lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda;
        int a5 = ai + 5 * lda;
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            c0 = FloatVector.broadcast(F, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(F, a[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(F, a[a5 + p]).fma(b0, c5);
        }
        c0.intoArray(edge, 0 * NR);
        c1.intoArray(edge, 1 * NR);
        c2.intoArray(edge, 2 * NR);
        c3.intoArray(edge, 3 * NR);
        c4.intoArray(edge, 4 * NR);
        c5.intoArray(edge, 5 * NR);
        store(edge, 6, nr, c, ci, ldc, alpha, beta, first);
    }

    /** 4 rows x NR columns; see {@link #kernel6}. */
    private static void kernel4(int kc, float[] a, int ai, int lda, float[] bp, int bi,
                                float[] c, int ci, int ldc, int nr, float alpha, float beta, boolean first,
                                float[] edge) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int a0 = ai;
        int a1 = ai + 1 * lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + LANES);
            FloatVector x0 = FloatVector.broadcast(F, a[a0 + p]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(F, a[a1 + p]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(F, a[a2 + p]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(F, a[a3 + p]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(edge, 0 * NR);
        c01.intoArray(edge, 0 * NR + LANES);
        c10.intoArray(edge, 1 * NR);
        c11.intoArray(edge, 1 * NR + LANES);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + LANES);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + LANES);
        store(edge, 4, nr, c, ci, ldc, alpha, beta, first);
    }

    /** 2 rows x NR columns; see {@link #kernel6}. */
    private static void kernel2(int kc, float[] a, int ai, int lda, float[] bp, int bi,
                                float[] c, int ci, int ldc, int nr, float alpha, float beta, boolean first,
                                float[] edge) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        int a0 = ai;
        int a1 = ai + 1 * lda;
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + LANES);
            FloatVector x0 = FloatVector.broadcast(F, a[a0 + p]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(F, a[a1 + p]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
        }
        c00.intoArray(edge, 0 * NR);
        c01.intoArray(edge, 0 * NR + LANES);
        c10.intoArray(edge, 1 * NR);
        c11.intoArray(edge, 1 * NR + LANES);
        store(edge, 2, nr, c, ci, ldc, alpha, beta, first);
    }

    /** 1 rows x NR columns; see {@link #kernel6}. */
    private static void kernel1(int kc, float[] a, int ai, int lda, float[] bp, int bi,
                                float[] c, int ci, int ldc, int nr, float alpha, float beta, boolean first,
                                float[] edge) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        int a0 = ai;
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + LANES);
            FloatVector x0 = FloatVector.broadcast(F, a[a0 + p]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
        }
        c00.intoArray(edge, 0 * NR);
        c01.intoArray(edge, 0 * NR + LANES);
        store(edge, 1, nr, c, ci, ldc, alpha, beta, first);
    }
}
