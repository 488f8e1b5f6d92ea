package latte.core.kernels;

import latte.core.Parallel;

import static latte.core.kernels.Simd.LANES;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code m x k} and
 * {@code op(B)} is {@code k x n}.
 *
 * <p>{@code transA}: A is stored {@code k x m} (leading dimension {@code lda >= m}), else
 * {@code m x k} ({@code lda >= k}). Likewise for B. {@code beta == 0} overwrites C without reading
 * it (NaNs already in C do not leak through).
 *
 * <p>Three files: this one is the driver (argument checks, the small-problem and one-column
 * paths, the thread split and the KC x NC x MC blocking); {@link GemmPack} packs the operands and
 * {@link GemmKernels} holds the register-blocked microkernels.
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
                Parallel.threads());
    }

    /**
     * The fast path on at most {@code threads} threads. Packs B into NR-wide panels per KC x NC
     * block, reads A in place (packs it only when stored transposed), and runs the MR x NR
     * microkernel over the tile. Threads get a fixed M x N split of the tile grid that depends
     * only on the shape and thread count; every output's arithmetic is the same whichever thread
     * computes it, so 1 and 2 threads give bit-identical results.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, int threads) {
        checkArgs("Gemm.sgemm", transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (threads < 1)
            throw new IllegalArgumentException("Gemm.sgemm: threads=" + threads + ", expected >= 1");
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        if ((long) m * n * k <= SMALL) {
            direct(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (n == 1) {
            gemv(transA, transB, m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads);
            return;
        }
        int mBlocks = ceilDiv(m, MR), nBlocks = ceilDiv(n, NR);
        int parts = Math.min(threads, Parallel.threads());
        if (parts <= 1 || (long) m * n * k < PARALLEL_MIN) {
            tile(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        // The grid tm x tn (tm * tn = parts) with the least work on the busiest thread: padded
        // multiply-adds plus B packing (every thread packs its own columns of B).
        int tm = 1;
        double best = Double.MAX_VALUE;
        for (int t = 1; t <= parts; t++) {
            if (parts % t != 0 || t > mBlocks || parts / t > nBlocks) continue;
            double rows = (double) ceilDiv(mBlocks, t) * MR, cols = (double) ceilDiv(nBlocks, parts / t) * NR;
            double cost = rows * cols + PACK_COST * cols + (transA ? PACK_COST * rows : 0);
            if (cost < best) { best = cost; tm = t; }
        }
        if (best == Double.MAX_VALUE) {
            tile(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        int gm = tm, gn = parts / tm;
        Parallel.forRange(gm * gn, gm * gn, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int ti = t / gn, tj = t % gn;
                int m0 = Math.min(m, Parallel.split(mBlocks, gm, ti) * MR);
                int m1 = Math.min(m, Parallel.split(mBlocks, gm, ti + 1) * MR);
                int n0 = Math.min(n, Parallel.split(nBlocks, gn, tj) * NR);
                int n1 = Math.min(n, Parallel.split(nBlocks, gn, tj + 1) * NR);
                if (m0 < m1 && n0 < n1)
                    tile(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, m0, m1, n0, n1);
            }
        });
    }

    /**
     * One output column (a layer with one output, such as a reward or value head): a padded 6 x 32
     * tile would waste 31 of every 32 multiply-adds. Untransposed A: c_i = alpha a_i . b + beta c_i,
     * one dot product per row (rows split over threads); A stored transposed: the columns of A
     * accumulate as b_p a_p, row after row of storage, into a buffer, then c = alpha acc + beta c.
     */
    private static void gemv(boolean transA, boolean transB, int m, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, int threads) {
        float[] x = b;                                        // op(B) is a column: k floats, stride 1 when B is stored 1 x k
        int xOff = bOff;
        if (!transB && ldb != 1 && k > 1) {
            x = SCRATCH.get().grown(Scratch.COLUMN, k);
            for (int p = 0; p < k; p++) x[p] = b[bOff + p * ldb];
            xOff = 0;
        }
        if (!transA) {
            final float[] v = x;
            final int vOff = xOff;
            int parts = (long) m * k < PARALLEL_MIN ? 1 : Math.min(threads, Parallel.threads());
            Parallel.forRange(m, parts, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    float d = alpha * Reduce.dot(a, aOff + i * lda, v, vOff, k);
                    c[cOff + i * ldc] = beta == 0f ? d : d + beta * c[cOff + i * ldc];
                }
            });
            return;
        }
        float[] acc = SCRATCH.get().grown(Scratch.SUMS, m);
        java.util.Arrays.fill(acc, 0, m, 0f);
        for (int p = 0; p < k; p++) Elementwise.axpy(x[xOff + p], a, aOff + p * lda, acc, 0, m);
        for (int i = 0; i < m; i++) c[cOff + i * ldc] = beta == 0f ? alpha * acc[i] : alpha * acc[i] + beta * c[cOff + i * ldc];
    }

    /** Rows of the microkernel. */
    static final int MR = 6;
    /** Columns of the microkernel: two vectors of the chosen species (32 at 512 bits). */
    static final int NR = 2 * LANES;
    /** Depth of a packed B block: KC x NR floats of a panel (32 KiB at 512 bits) stream from L2. */
    static final int KC = 256;
    /** Rows of A per block (the A block, MC x KC, stays in L2 while B panels pass). A multiple of MR. */
    static final int MC = 144;
    /** Widest block of B packed at once: KC x NC floats (512 KiB) stay in the 1 MiB L2. */
    static final int NC_MAX = 512;
    /** Most rows of A^T packed at once (4096 x KC floats, 4 MiB); taller tiles pack per MC block. */
    static final int PACK_ALL_ROWS = 4096;
    /** Most floats of op(B) packed at once for {@link #rowsOuter} (1 MiB). */
    static final int PACK_ALL_B = 1 << 18;
    /** Up to this many multiply-adds the packed path's setup costs more than it saves. */
    static final long SMALL = 512;
    /** Below this many multiply-adds a second thread costs more than it saves. */
    static final long PARALLEL_MIN = 1L << 17;
    /** Cost of packing one float, in multiply-adds of the microkernel (for the thread split). */
    private static final double PACK_COST = 8;

    /** Per-thread packing buffers, allocated once per thread: the kernel allocates nothing per call. */
    private static final class Scratch {
        /** Slots of the grown buffers: packed A^T, all of op(B) ({@link #rowsOuter}), a gathered column of B and column sums ({@link #gemv}). */
        static final int PACKED_A = 0, ALL_B = 1, COLUMN = 2, SUMS = 3;
        final float[] b = new float[KC * ceilDiv(NC_MAX, NR) * NR];
        final float[] edge = new float[MR * NR];
        private final float[][] grown = {new float[MC * KC], new float[0], new float[0], new float[0]};

        /** Buffer {@code slot}, grown to the largest size this thread has needed. */
        float[] grown(int slot, int size) {
            if (grown[slot].length < size) grown[slot] = new float[size];
            return grown[slot];
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** C[m0..m1, n0..n1) on the calling thread: blocks of NC columns, KC depth, MC rows. */
    private static void tile(boolean transA, boolean transB, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, int m0, int m1, int n0, int n1) {
        Scratch s = SCRATCH.get();
        int padded = ceilDiv(n1 - n0, NR) * NR;
        if (!transA && k > KC && m1 - m0 > 2 * MC && padded <= NC_MAX && (long) k * padded <= PACK_ALL_B) {
            rowsOuter(transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, m0, m1, n0, n1, s);
            return;
        }
        float[] bp = s.b, edge = s.edge;
        // A^T is packed once per K block for the whole tile, unless that buffer would be large;
        // then once per MC block (repeated for every NC block of columns).
        boolean packAll = transA && m1 - m0 <= PACK_ALL_ROWS;
        float[] ap = transA ? s.grown(Scratch.PACKED_A, (packAll ? m1 - m0 : MC) * Math.min(KC, k)) : null;
        int width = n1 - n0;
        int ncBlock = ceilDiv(ceilDiv(width, ceilDiv(width, NC_MAX)), NR) * NR; // even split, NR-aligned
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean first = pc == 0;
            // A stored transposed is packed (row-major, row stride kc) and then read like an
            // untransposed A; otherwise A is read in place.
            if (packAll) GemmPack.packA(a, aOff, lda, m0, m1 - m0, pc, kc, ap); // [m1-m0][kc]
            for (int jc = n0; jc < n1; jc += ncBlock) {
                int nc = Math.min(ncBlock, n1 - jc);
                GemmPack.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp); // [nc/NR][kc][NR]
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    float[] as = transA ? ap : a;
                    int la = transA ? kc : lda;
                    int ai = packAll ? (ic - m0) * kc : transA ? 0 : aOff + ic * lda + pc;
                    if (transA && !packAll) GemmPack.packA(a, aOff, lda, ic, mc, pc, kc, ap); // [mc][kc]
                    block(mc, kc, as, ai, la, bp, 0, c, cOff + ic * ldc + jc, ldc, nc, alpha, beta, first, edge);
                }
            }
        }
    }

    /**
     * The loop order for tall C with a small B (a dense layer over a large batch, K > KC): all of
     * op(B) is packed once, and each MC-row block of C runs every K block while it sits in L2.
     * The K-outer order of {@link #tile} would stream the whole of C from memory once per K block.
     * Same microkernel calls in the same K order, so the same results bit for bit.
     */
    private static void rowsOuter(boolean transB, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc, int m0, int m1, int n0, int n1, Scratch s) {
        int width = n1 - n0, padded = ceilDiv(width, NR) * NR;
        float[] bp = s.grown(Scratch.ALL_B, k * padded), edge = s.edge;
        for (int pc = 0; pc < k; pc += KC) GemmPack.packB(transB, b, bOff, ldb, pc, Math.min(KC, k - pc), n0, width, bp, pc * padded);
        for (int ic = m0; ic < m1; ic += MC) {
            int mc = Math.min(MC, m1 - ic);
            for (int pc = 0; pc < k; pc += KC) {
                block(mc, Math.min(KC, k - pc), a, aOff + ic * lda + pc, lda, bp, pc * padded, c, cOff + ic * ldc + n0, ldc, width,
                        alpha, beta, pc == 0, edge);
            }
        }
    }

    /**
     * One block of mc rows against one packed K x nc block of B (panels from {@code bp[bi]}): 6-row
     * slivers, then 4, 2, 1 for the rest. Each sliver of A (6 x kc, 6 KiB) stays in L1 while the
     * B panels stream past it from L2.
     */
    private static void block(int mc, int kc, float[] as, int ai, int la, float[] bp, int bi, float[] c, int ci, int ldc, int nc,
                              float alpha, float beta, boolean first, float[] edge) {
        int ir = 0;
        while (ir < mc) {
            int left = mc - ir;
            int mr = left >= 6 ? 6 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
            int arow = ai + ir * la, crow = ci + ir * ldc;
            for (int jr = 0; jr < nc; jr += NR)
                GemmKernels.micro(mr, kc, as, arow, la, bp, bi + jr * kc, c, crow + jr, ldc, Math.min(NR, nc - jr), alpha, beta, first, edge);
            ir += mr;
        }
    }

    /** C = beta C (beta 0 writes zeros, so NaNs in C do not survive). */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f);
            else for (int j = row; j < row + n; j++) c[j] *= beta;
        }
    }

    /** The cheap path for tiny problems: the reference loop without the packing set-up. */
    private static void direct(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc = Math.fma(av, bv, acc);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci];
            }
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
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
