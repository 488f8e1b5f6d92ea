package latte.core;

import java.util.Arrays;

/**
 * The matrix-product front-end of {@link Tensor}: batched {@code op(a) @ op(b)} over the last two
 * axes with NumPy broadcasting of the batch axes, run as strided batches of GEMMs on
 * {@link Backends#current()}. Transposed views reach the GEMM as transpose flags, not copies.
 */
final class TensorMatmul {
    private TensorMatmul() {}

    static Tensor matmul(Tensor a, Tensor o, boolean transA, boolean transB) {
        if (a.rank() < 2 || o.rank() < 2)
            throw new IllegalArgumentException("Tensor.matmul: shapes " + a.shape + " and " + o.shape + " need rank >= 2");
        int ar = a.dim(-2), ac = a.dim(-1), br = o.dim(-2), bc = o.dim(-1);
        int m = transA ? ac : ar, k = transA ? ar : ac, kb = transB ? bc : br, n = transB ? br : bc;
        if (k != kb)
            throw new IllegalArgumentException("Tensor.matmul: shapes " + a.shape + (transA ? "^T" : "") + " and " + o.shape
                    + (transB ? "^T" : "") + " have inner dimensions " + k + " != " + kb);
        Shape batch = Shape.broadcast("Tensor.matmul", Shape.of(Arrays.copyOf(a.shape.dims(), a.rank() - 2)),
                Shape.of(Arrays.copyOf(o.shape.dims(), o.rank() - 2)));
        int[] outDims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        outDims[batch.rank()] = m;
        outDims[batch.rank() + 1] = n;
        Shape outShape = Shape.of(outDims);
        float[] c = new float[outShape.numel()];
        if (c.length == 0 || k == 0) return Tensor.wrap(c, outShape);
        MatView va = MatView.of(a, batch, transA), vb = MatView.of(o, batch, transB);
        Backend backend = Backends.current();
        int[] cStrides = Arrays.copyOf(outShape.contiguousStrides(), batch.rank());
        Strided.walk(batch.dims(), new int[][] {va.batchStrides, vb.batchStrides, cStrides},
                new int[] {va.t.offset, vb.t.offset, 0}, (offs, in, cnt) ->
                        backend.sgemmBatched(va.trans, vb.trans, m, n, k, 1f,
                                va.t.data, offs[0], va.ld, in[0], vb.t.data, offs[1], vb.ld, in[1],
                                0f, c, offs[2], n, in[2], cnt));
        return Tensor.wrap(c, outShape);
    }

    /** One matmul operand as GEMM sees it: array, leading dimension, transpose flag, batch strides. */
    private record MatView(Tensor t, int ld, boolean trans, int[] batchStrides) {
        static MatView of(Tensor x, Shape batch, boolean trans) {
            int rows = x.dim(-2), cols = x.dim(-1);
            int[] dims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
            dims[batch.rank()] = rows;
            dims[batch.rank() + 1] = cols;
            Tensor e = x.expand(dims);
            int rs = e.strides[e.rank() - 2], cs = e.strides[e.rank() - 1];
            if ((cs == 1 || cols == 1) && (rows == 1 || rs >= cols)) {
                return new MatView(e, rows == 1 ? Math.max(cols, 1) : rs, trans, Arrays.copyOf(e.strides, batch.rank()));
            }
            if ((rs == 1 || rows == 1) && (cols == 1 || cs >= rows)) {
                // A transposed view of a row-major [cols, rows] matrix: flip the flag instead of copying.
                return new MatView(e, cols == 1 ? Math.max(rows, 1) : cs, !trans, Arrays.copyOf(e.strides, batch.rank()));
            }
            Tensor c = e.contiguous();
            int[] bs = Arrays.copyOf(c.strides, batch.rank());
            for (int i = 0; i < bs.length; i++) if (e.strides[i] == 0) bs[i] = 0;
            return new MatView(c, cols, trans, bs);
        }
    }
}
