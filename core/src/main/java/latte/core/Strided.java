package latte.core;

/**
 * Walks several strided operands of one shape together, one inner row at a time. Dimensions of
 * size 1 are dropped and neighbouring dimensions that are contiguous in every operand are merged
 * first, so a contiguous tensor is one row and a bias broadcast {@code [B, N] + [N]} is B rows of N
 * with unit inner strides: the visitor can hand each row to a SIMD kernel.
 */
final class Strided {
    private Strided() {}

    /** Receives one row: operand {@code j} starts at {@code offs[j]} with inner stride {@code inner[j]}. */
    @FunctionalInterface
    interface Visitor {
        void row(int[] offs, int[] inner, int n);
    }

    /**
     * Calls {@code v} for every row of {@code shape} in row-major order; operand {@code j} has
     * {@code strides[j]} and starts at {@code base[j]}. The arrays passed to the visitor are reused:
     * read them, do not keep them.
     */
    static void walk(int[] shape, int[][] strides, int[] base, Visitor v) {
        int k = strides.length, r = shape.length;
        for (int d : shape) if (d == 0) return;
        int[] cs = new int[r];
        int[][] cst = new int[k][r];
        int cr = 0; // coalesced dims, innermost first
        for (int i = r - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (cr > 0) {
                boolean merge = true;
                for (int j = 0; j < k; j++)
                    if ((long) strides[j][i] != (long) cst[j][cr - 1] * cs[cr - 1]) { merge = false; break; }
                if (merge) {
                    cs[cr - 1] *= shape[i];
                    continue;
                }
            }
            cs[cr] = shape[i];
            for (int j = 0; j < k; j++) cst[j][cr] = strides[j][i];
            cr++;
        }
        int n = cr == 0 ? 1 : cs[0];
        int[] inner = new int[k];
        if (cr > 0) for (int j = 0; j < k; j++) inner[j] = cst[j][0];
        int[] offs = base.clone();
        long outer = 1;
        for (int d = 1; d < cr; d++) outer *= cs[d];
        int[] idx = new int[cr];
        for (long t = 0; t < outer; t++) {
            v.row(offs, inner, n);
            for (int d = 1; d < cr; d++) {
                idx[d]++;
                for (int j = 0; j < k; j++) offs[j] += cst[j][d];
                if (idx[d] < cs[d]) break;
                for (int j = 0; j < k; j++) offs[j] -= cst[j][d] * cs[d];
                idx[d] = 0;
            }
        }
    }

    /** Copies a strided view into {@code dst} laid out with {@code dstStrides} from {@code dstOff}. */
    static void copy(float[] src, int srcOff, int[] shape, int[] srcStrides, float[] dst, int dstOff, int[] dstStrides) {
        walk(shape, new int[][] {srcStrides, dstStrides}, new int[] {srcOff, dstOff}, (o, in, n) -> {
            if (in[0] == 1 && in[1] == 1) {
                System.arraycopy(src, o[0], dst, o[1], n);
            } else {
                int s = o[0], d = o[1];
                for (int i = 0; i < n; i++, s += in[0], d += in[1]) dst[d] = src[s];
            }
        });
    }
}
