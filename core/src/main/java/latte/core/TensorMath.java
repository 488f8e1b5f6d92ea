package latte.core;

import latte.core.kernels.Elementwise;

/**
 * The elementwise front-end of {@link Tensor}: broadcasting binary ops, ops with a scalar,
 * {@code where}, and the unary maps. Contiguous operands go straight to the SIMD kernels of
 * {@link Elementwise} (split over {@link Parallel} on big tensors at fixed, lane-aligned
 * boundaries, so results do not depend on the thread count); strided and broadcast operands are
 * walked row by row by {@link Strided}.
 */
final class TensorMath {
    /** Element count above which contiguous elementwise ops are split across {@link Parallel}. */
    private static final int PAR_MIN = 1 << 16;
    /** Split granularity: a multiple of every vector width, so kernel tails fall at fixed indices. */
    private static final int BLOCK = 1 << 12;

    private TensorMath() {}

    /** {@code a (op) o}, broadcast. */
    static Tensor binary(Tensor a, BinaryOp op, Tensor o) {
        Shape out = Shape.broadcast("Tensor." + op.op, a.shape, o.shape);
        int n = out.numel();
        float[] r = new float[n];
        if (a.shape.equals(o.shape) && a.isContiguous() && o.isContiguous()) {
            float[] x = a.data, y = o.data;
            int xo = a.offset, yo = o.offset;
            chunked(n, (lo, len) -> op.vv(x, xo + lo, y, yo + lo, r, lo, len));
        } else if (o.numel() == 1 && a.shape.equals(out) && a.isContiguous()) {
            float s = o.data[o.offset];
            float[] x = a.data;
            int xo = a.offset;
            chunked(n, (lo, len) -> op.vs(x, xo + lo, s, r, lo, len));
        } else if (a.numel() == 1 && o.shape.equals(out) && o.isContiguous()) {
            float s = a.data[a.offset];
            float[] y = o.data;
            int yo = o.offset;
            chunked(n, (lo, len) -> op.sv(s, y, yo + lo, r, lo, len));
        } else {
            int[] sa = broadcastStrides(a, out), sb = broadcastStrides(o, out);
            float[] x = a.data, y = o.data;
            Strided.walk(out.dims(), new int[][] {sa, sb, out.contiguousStrides()}, new int[] {a.offset, o.offset, 0},
                    (offs, in, len) -> op.row(x, offs[0], in[0], y, offs[1], in[1], r, offs[2], len));
        }
        return Tensor.wrap(r, out);
    }

    /** {@code a (op) s}, or {@code s (op) a} when {@code scalarLeft}. */
    static Tensor scalarOp(Tensor a, BinaryOp op, float s, boolean scalarLeft) {
        Tensor x = a.contiguous();
        float[] r = new float[a.numel()];
        if (scalarLeft) chunked(r.length, (lo, len) -> op.sv(s, x.data, x.offset + lo, r, lo, len));
        else chunked(r.length, (lo, len) -> op.vs(x.data, x.offset + lo, s, r, lo, len));
        return Tensor.wrap(r, a.shape);
    }

    /** Strides that read {@code t} as if expanded to {@code out} (0 on broadcast dims). */
    private static int[] broadcastStrides(Tensor t, Shape out) {
        int r = out.rank(), k = t.rank();
        int[] s = new int[r];
        for (int i = 0; i < k; i++) {
            int j = i + r - k;
            s[j] = t.shape.dim(i) == 1 ? 0 : t.strides[i];
        }
        return s;
    }

    /** {@code mask != 0 ? a : b}, all three broadcast together. */
    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        Shape out = Shape.broadcast("Tensor.where", Shape.broadcast("Tensor.where", mask.shape, a.shape), b.shape);
        float[] r = new float[out.numel()];
        if (mask.shape.equals(out) && a.shape.equals(out) && b.shape.equals(out)
                && mask.isContiguous() && a.isContiguous() && b.isContiguous()) {
            chunked(r.length, (lo, len) -> Elementwise.select(mask.data, mask.offset + lo, a.data, a.offset + lo,
                    b.data, b.offset + lo, r, lo, len));
            return Tensor.wrap(r, out);
        }
        float[] m = mask.data, x = a.data, y = b.data;
        Strided.walk(out.dims(),
                new int[][] {broadcastStrides(mask, out), broadcastStrides(a, out), broadcastStrides(b, out), out.contiguousStrides()},
                new int[] {mask.offset, a.offset, b.offset, 0}, (o, in, n) -> {
                    for (int i = 0; i < n; i++)
                        r[o[3] + i] = m[o[0] + i * in[0]] != 0f ? x[o[1] + i * in[1]] : y[o[2] + i * in[2]];
                });
        return Tensor.wrap(r, out);
    }

    /** A kernel over {@code n} consecutive floats (a method of {@link Elementwise}). */
    @FunctionalInterface
    interface Unary {
        void run(float[] a, int aOff, float[] out, int oOff, int n);
    }

    /** {@code k} applied to every element of {@code t}. */
    static Tensor unary(Tensor t, Unary k) {
        Tensor x = t.contiguous();
        float[] r = new float[t.numel()];
        chunked(r.length, (lo, len) -> k.run(x.data, x.offset + lo, r, lo, len));
        return Tensor.wrap(r, t.shape);
    }

    @FunctionalInterface
    private interface Chunk {
        void run(int lo, int len);
    }

    /** Runs {@code c} over {@code [0, n)}: serially when small, else in lane-aligned blocks on {@link Parallel}. */
    private static void chunked(int n, Chunk c) {
        if (n < PAR_MIN || Parallel.threads() == 1) {
            c.run(0, n);
            return;
        }
        int blocks = (n + BLOCK - 1) / BLOCK;
        Parallel.forRange(blocks, (bl, bh) -> {
            int lo = bl * BLOCK, hi = Math.min(bh * BLOCK, n);
            c.run(lo, hi - lo);
        });
    }

    /** {@code |a - o| <= atol + rtol |o|} everywhere (same shape required; NaN never close). */
    static boolean allClose(Tensor a, Tensor o, float atol, float rtol) {
        if (!a.shape.equals(o.shape))
            throw new IllegalArgumentException("Tensor.allClose: shapes " + a.shape + " and " + o.shape + " differ");
        float[] x = a.toArray(), y = o.toArray();
        for (int i = 0; i < x.length; i++)
            if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i])) && x[i] != y[i]) return false;
        return true;
    }
}
