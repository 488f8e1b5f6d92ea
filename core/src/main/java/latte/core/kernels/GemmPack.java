package latte.core.kernels;

import jdk.incubator.vector.FloatVector;

import static latte.core.kernels.Gemm.NR;
import static latte.core.kernels.Simd.F;
import static latte.core.kernels.Simd.LANES;

/**
 * The packing routines of {@link Gemm}: op(B) into NR-wide panels the microkernels stream
 * ({@link GemmKernels}), and a transposed A into row-major slivers. Packing turns any transpose
 * and leading dimension into the one layout the microkernels read, with zero-padded edges so
 * they always run full width.
 */
final class GemmPack {
    private GemmPack() {}

    /**
     * Packs op(B)[pc..pc+kc, jc..jc+nc) into NR-wide panels: panel q holds columns
     * {@code jc + q NR ..}, element (p, j) at {@code bp[q NR kc + p NR + j]}; columns past nc are
     * zero so the microkernel always runs full width.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
    }

    /** {@link #packB(boolean, float[], int, int, int, int, int, int, float[])} into {@code bp} from {@code bpOff}. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp, int bpOff) {
        int full = nc / NR * NR, tail = nc - full;
        if (!transB) {
            // Row by row: each row of B is read once, sequentially, and dealt out to the panels
            // (a power-of-two ldb read column-panel-wise would hit the same cache sets every row).
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + jc, d = p * NR;
                for (int j0 = 0; j0 < full; j0 += NR) {
                    FloatVector.fromArray(F, b, src + j0).intoArray(bp, bpOff + j0 * kc + d);
                    FloatVector.fromArray(F, b, src + j0 + LANES).intoArray(bp, bpOff + j0 * kc + d + LANES);
                }
                if (tail > 0) {
                    int e = bpOff + full * kc + d;
                    System.arraycopy(b, src + full, bp, e, tail);
                    java.util.Arrays.fill(bp, e + tail, e + NR, 0f);
                }
            }
        } else {
            // B stored n x k: column j of op(B) is row j of storage, contiguous in p.
            for (int j0 = 0; j0 < nc; j0 += NR) {
                int nr = Math.min(NR, nc - j0), base = bpOff + j0 * kc;
                for (int jj = 0; jj < nr; jj++) {
                    int src = bOff + (jc + j0 + jj) * ldb + pc;
                    for (int p = 0, d = base + jj; p < kc; p++, d += NR) bp[d] = b[src + p];
                }
                for (int jj = nr; jj < NR; jj++)
                    for (int p = 0, d = base + jj; p < kc; p++, d += NR) bp[d] = 0f;
            }
        }
    }

    /** Packs op(A)[ic..ic+mc, pc..pc+kc) row-major with row stride kc, from A stored k x m. */
    static void packA(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        // Blocks of 16 rows: the 16 destination rows being written stay in L1 while p runs.
        for (int i0 = 0; i0 < mc; i0 += 16) {
            int i1 = Math.min(mc, i0 + 16);
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int i = i0, d = i0 * kc + p; i < i1; i++, d += kc) ap[d] = a[src + i];
            }
        }
    }
}
