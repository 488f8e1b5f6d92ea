package latte.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The joining, splitting and indexing front-end of {@link Tensor}: concat, stack, split, chunk,
 * take and its adjoint indexAdd, gather and its adjoint scatterAdd, and topK.
 */
final class TensorIndex {
    private TensorIndex() {}

    static Tensor concat(int axis, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("Tensor.concat: no tensors");
        Tensor first = ts[0];
        int a = first.shape.axis(axis, "Tensor.concat");
        int total = 0;
        for (Tensor t : ts) {
            boolean ok = t.rank() == first.rank();
            for (int i = 0; ok && i < t.rank(); i++) if (i != a && t.dim(i) != first.dim(i)) ok = false;
            if (!ok)
                throw new IllegalArgumentException("Tensor.concat: shapes " + Arrays.stream(ts).map(x -> x.shape.toString()).toList()
                        + " differ off axis " + axis);
            total += t.dim(a);
        }
        Shape out = first.shape.with(a, total);
        float[] r = new float[out.numel()];
        int[] os = out.contiguousStrides();
        int pos = 0;
        for (Tensor t : ts) {
            Strided.copy(t.data, t.offset, t.shape.dims(), t.strides, r, pos * os[a], os);
            pos += t.dim(a);
        }
        return Tensor.wrap(r, out);
    }

    static Tensor stack(int axis, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("Tensor.stack: no tensors");
        Tensor[] u = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (!ts[i].shape.equals(ts[0].shape))
                throw new IllegalArgumentException("Tensor.stack: shapes " + Arrays.stream(ts).map(x -> x.shape.toString()).toList()
                        + " differ");
            u[i] = ts[i].unsqueeze(axis);
        }
        return concat(axis, u);
    }

    static List<Tensor> split(Tensor x, int axis, int... sizes) {
        Shape shape = x.shape;
        int a = shape.axis(axis, "Tensor.split");
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("Tensor.split: negative size in " + Arrays.toString(sizes));
            sum += s;
        }
        if (sum != shape.dim(a))
            throw new IllegalArgumentException("Tensor.split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ", axis " + axis + " of shape " + shape + " has " + shape.dim(a));
        List<Tensor> out = new ArrayList<>(sizes.length);
        int pos = 0;
        for (int s : sizes) {
            out.add(x.slice(a, pos, pos + s));
            pos += s;
        }
        return out;
    }

    static List<Tensor> chunk(Tensor x, int chunks, int axis) {
        int a = x.shape.axis(axis, "Tensor.chunk");
        if (chunks <= 0 || x.shape.dim(a) % chunks != 0)
            throw new IllegalArgumentException("Tensor.chunk: axis " + axis + " of shape " + x.shape + " does not split into "
                    + chunks + " equal chunks");
        int[] sizes = new int[chunks];
        Arrays.fill(sizes, x.shape.dim(a) / chunks);
        return split(x, a, sizes);
    }

    static Tensor take(Tensor x, int axis, int... indices) {
        Shape shape = x.shape;
        int a = shape.axis(axis, "Tensor.take");
        Shape out = shape.with(a, indices.length);
        float[] r = new float[out.numel()];
        int[] os = out.contiguousStrides();
        int[] sub = Tensor.remove(os, a);
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            if (idx < 0 || idx >= shape.dim(a))
                throw new IllegalArgumentException("Tensor.take: index " + idx + " out of range along axis " + axis
                        + " of shape " + shape);
            Tensor s = x.select(a, idx);
            Strided.copy(s.data, s.offset, s.shape.dims(), s.strides, r, i * os[a], sub);
        }
        return Tensor.wrap(r, out);
    }

    static Tensor indexAdd(Shape shape, int axis, int[] indices, Tensor src) {
        int a = shape.axis(axis, "Tensor.indexAdd");
        if (!src.shape.equals(shape.with(a, indices.length)))
            throw new IllegalArgumentException("Tensor.indexAdd: src shape " + src.shape + " does not match "
                    + shape.with(a, indices.length) + " (shape " + shape + " with " + indices.length + " indices on axis " + axis + ")");
        float[] r = new float[shape.numel()];
        int[] os = shape.contiguousStrides();
        int[] sub = Tensor.remove(os, a);
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            if (idx < 0 || idx >= shape.dim(a))
                throw new IllegalArgumentException("Tensor.indexAdd: index " + idx + " out of range along axis " + axis
                        + " of shape " + shape);
            Tensor s = src.select(a, i);
            float[] sd = s.data;
            Strided.walk(s.shape.dims(), new int[][] {s.strides, sub}, new int[] {s.offset, idx * os[a]}, (o, in, n) -> {
                for (int j = 0; j < n; j++) r[o[1] + j * in[1]] += sd[o[0] + j * in[0]];
            });
        }
        return Tensor.wrap(r, shape);
    }

    static Tensor gather(Tensor x, int axis, Tensor index) {
        int a = x.shape.axis(axis, "Tensor.gather");
        checkIndexShape("Tensor.gather", a, index.shape, x.shape);
        float[] idx = index.toArray();
        float[] r = new float[idx.length];
        int n = x.shape.dim(a);
        forEachIndex(index.shape, (flat, pos) -> {
            int p = x.offset;
            for (int d = 0; d < pos.length; d++)
                p += (d == a ? checkIndex("Tensor.gather", idx[flat], n) : pos[d]) * x.strides[d];
            r[flat] = x.data[p];
        });
        return Tensor.wrap(r, index.shape);
    }

    static Tensor scatterAdd(Shape shape, int axis, Tensor index, Tensor src) {
        int a = shape.axis(axis, "Tensor.scatterAdd");
        checkIndexShape("Tensor.scatterAdd", a, index.shape, shape);
        if (!src.shape.equals(index.shape))
            throw new IllegalArgumentException("Tensor.scatterAdd: src shape " + src.shape + " != index shape " + index.shape);
        float[] idx = index.toArray(), s = src.toArray();
        float[] r = new float[shape.numel()];
        int[] os = shape.contiguousStrides();
        int n = shape.dim(a);
        forEachIndex(index.shape, (flat, pos) -> {
            int p = 0;
            for (int d = 0; d < pos.length; d++)
                p += (d == a ? checkIndex("Tensor.scatterAdd", idx[flat], n) : pos[d]) * os[d];
            r[p] += s[flat];
        });
        return Tensor.wrap(r, shape);
    }

    static TopK topK(Tensor t, int k, int axis) {
        int a = t.shape.axis(axis, "Tensor.topK");
        int n = t.shape.dim(a);
        if (k < 0 || k > n)
            throw new IllegalArgumentException("Tensor.topK: k=" + k + " out of range for axis " + axis + " of shape " + t.shape);
        Tensor x = TensorReduce.moveAxisLast(t, a).contiguous();
        int outer = n == 0 ? 0 : t.numel() / n;
        float[] vals = new float[outer * k], inds = new float[outer * k];
        long[] keys = new long[n];
        for (int i = 0; i < outer; i++) {
            int base = x.offset + i * n;
            for (int j = 0; j < n; j++) {
                int bits = Float.floatToIntBits(x.data[base + j]);
                int asc = bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // monotone in the float's value
                keys[j] = ((long) ~asc << 32) | j; // ascending key = descending value, then index
            }
            Arrays.sort(keys);
            for (int j = 0; j < k; j++) {
                int idx = (int) keys[j];
                vals[i * k + j] = x.data[base + idx];
                inds[i * k + j] = idx;
            }
        }
        int[] d = x.shape.dims();
        d[d.length - 1] = k;
        Shape s = Shape.of(d);
        return new TopK(TensorReduce.moveLastAxisTo(Tensor.wrap(vals, s), a).contiguous(),
                TensorReduce.moveLastAxisTo(Tensor.wrap(inds, s), a).contiguous());
    }

    /** {@code v} as an index in {@code [0, n)}; it must be an integer. */
    static int checkIndex(String op, float v, int n) {
        int i = (int) v;
        if (i != v || i < 0 || i >= n)
            throw new IllegalArgumentException(op + ": index " + v + " is not an integer in [0, " + n + ")");
        return i;
    }

    private static void checkIndexShape(String op, int axis, Shape index, Shape src) {
        boolean ok = index.rank() == src.rank();
        for (int d = 0; ok && d < src.rank(); d++) if (d != axis && index.dim(d) != src.dim(d)) ok = false;
        if (!ok)
            throw new IllegalArgumentException(op + ": index shape " + index + " must match shape " + src
                    + " on every axis but " + axis);
    }

    @FunctionalInterface
    private interface IndexVisitor {
        void visit(int flat, int[] pos);
    }

    /** Visits every multi-index of {@code s} in row-major order with its flat position. */
    private static void forEachIndex(Shape s, IndexVisitor v) {
        int n = s.numel(), r = s.rank();
        int[] pos = new int[r];
        for (int flat = 0; flat < n; flat++) {
            v.visit(flat, pos);
            for (int d = r - 1; d >= 0; d--) {
                if (++pos[d] < s.dim(d)) break;
                pos[d] = 0;
            }
        }
    }
}
