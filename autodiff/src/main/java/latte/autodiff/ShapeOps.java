package latte.autodiff;

import java.util.Arrays;

import static latte.autodiff.Recorder.needs;
import static latte.autodiff.Recorder.record;
import static latte.autodiff.Recorder.result;

/**
 * The differentiable shape and indexing ops: reshape (a view), permute, slice, concat, expand,
 * take and gather (copies). Each backward scatters {@code dy} back to where the forward read it.
 * Conventions as in {@link Ops}.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /** Same elements, new shape (one dim may be -1). Shares the value array. dx += dy. */
    public static Var reshape(Var x, int... shape) {
        int[] s = shape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(shape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0 && known > 0 && x.size % known == 0) s[infer] = x.size / known;
        if (infer >= 0 && s[infer] == -1 || Shapes.size(s) != x.size)
            throw new IllegalArgumentException("reshape: cannot view " + Shapes.str(x.shape) + " (" + x.size + " elements) as " + Shapes.str(shape));
        Var out = new Var(x.data, x.off, s, needs(x));
        return record("reshape", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i];
        });
    }

    /** y[i_perm[0], ..] = x[i_0, ..]: out.shape[k] = x.shape[perm[k]]. dx += dy permuted back. */
    public static Var permute(Var x, int... perm) {
        if (perm.length != x.rank()) throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " for shape " + Shapes.str(x.shape));
        int[] xs = Shapes.strides(x.shape), s = new int[perm.length], st = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        for (int k = 0; k < perm.length; k++) {
            int p = perm[k];
            if (p < 0 || p >= perm.length || seen[p])
                throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation of " + perm.length + " axes");
            seen[p] = true;
            s[k] = x.shape[p];
            st[k] = xs[p];
        }
        int[] map = Shapes.stridedIndex(s, st);
        float[] y = new float[x.size];
        for (int i = 0; i < x.size; i++) y[i] = x.data[x.off + map[i]];
        Var out = result(y, s, x);
        return record("permute", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + map[i]] += dy[i];
        });
    }

    /** y = x[.., start:end, ..] along {@code axis}. dx[.., start:end, ..] += dy. */
    public static Var slice(Var x, int axis, int start, int end) {
        int ax = Shapes.axis("slice", axis, x.rank());
        int n = x.shape[ax];
        if (start < 0 || end > n || start > end)
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") out of range for axis " + axis + " of " + Shapes.str(x.shape));
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(x.shape, ax + 1, x.rank()));
        int len = (end - start) * inner;
        int[] s = x.shape.clone();
        s[ax] = end - start;
        float[] y = new float[outer * len];
        for (int o = 0; o < outer; o++) System.arraycopy(x.data, x.off + (o * n + start) * inner, y, o * len, len);
        Var out = result(y, s, x);
        return record("slice", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int o = 0; o < outer; o++) {
                int base = x.goff + (o * n + start) * inner;
                for (int j = 0; j < len; j++) g[base + j] += dy[o * len + j];
            }
        });
    }

    /** y = [x_0, x_1, ..] joined along {@code axis}; other dims must agree. dx_k += its block of dy. */
    public static Var concat(int axis, Var... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no inputs");
        int r = xs[0].rank();
        int ax = Shapes.axis("concat", axis, r);
        int[] s = xs[0].shape.clone();
        s[ax] = 0;
        for (Var v : xs) {
            for (int d = 0; d < r; d++)
                if (v.rank() != r || d != ax && v.shape[d] != xs[0].shape[d])
                    throw new IllegalArgumentException("concat: shapes " + Shapes.str(xs[0].shape) + " and " + Shapes.str(v.shape) + " differ outside axis " + axis);
            s[ax] += v.shape[ax];
        }
        int outer = Shapes.size(Arrays.copyOfRange(s, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(s, ax + 1, r));
        int row = s[ax] * inner;
        float[] y = new float[outer * row];
        int[] at = new int[xs.length];
        for (int k = 0, pos = 0; k < xs.length; k++) {
            at[k] = pos;
            int len = xs[k].shape[ax] * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(xs[k].data, xs[k].off + o * len, y, o * row + pos, len);
            pos += len;
        }
        Var out = result(y, s, xs);
        return record("concat", out, () -> {
            float[] dy = out.grad;
            for (int k = 0; k < xs.length; k++) {
                Var v = xs[k];
                if (!v.requiresGrad) continue;
                int len = v.shape[ax] * inner;
                float[] g = v.g();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < len; j++) g[v.goff + o * len + j] += dy[o * row + at[k] + j];
            }
        });
    }

    /** y = x broadcast to {@code shape} (copied). dx += dy summed over the broadcast dims. */
    public static Var expand(Var x, int... shape) {
        int[] s = Shapes.broadcast("expand", x.shape, shape);
        if (!Arrays.equals(s, shape))
            throw new IllegalArgumentException("expand: " + Shapes.str(x.shape) + " cannot expand to " + Shapes.str(shape));
        int[] map = Shapes.broadcastIndex(x.shape, s);
        float[] y = new float[map.length];
        for (int i = 0; i < y.length; i++) y[i] = x.data[x.off + map[i]];
        Var out = result(y, s, x);
        return record("expand", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < y.length; i++) g[x.goff + map[i]] += dy[i];
        });
    }

    /**
     * y = x[.., idx[j], ..] along {@code axis} (index_select / embedding lookup):
     * [.., n, ..] -> [.., idx.length, ..]. dx[.., idx[j], ..] += dy[.., j, ..] (repeats add up).
     */
    public static Var take(Var x, int axis, int... idx) {
        int ax = Shapes.axis("take", axis, x.rank());
        int n = x.shape[ax], k = idx.length;
        for (int j : idx) if (j < 0 || j >= n)
            throw new IllegalArgumentException("take: index " + j + " out of range [0, " + n + ") on axis " + axis + " of " + Shapes.str(x.shape));
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(x.shape, ax + 1, x.rank()));
        int[] s = x.shape.clone();
        s[ax] = k;
        float[] y = new float[outer * k * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++) System.arraycopy(x.data, x.off + (o * n + idx[j]) * inner, y, (o * k + j) * inner, inner);
        Var out = result(y, s, x);
        return record("take", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < k; j++)
                    for (int i = 0; i < inner; i++) g[x.goff + (o * n + idx[j]) * inner + i] += dy[(o * k + j) * inner + i];
        });
    }

    /**
     * y[o, j, i] = x[o, index[o, j, i], i] along {@code axis} (torch.gather); {@code index} has
     * x's shape with the axis dim replaced by k = index.length / (outer * inner), e.g. picking the
     * log-probability of the taken action per row. dx[o, index[o,j,i], i] += dy[o, j, i].
     */
    public static Var gather(Var x, int axis, int[] index) {
        int ax = Shapes.axis("gather", axis, x.rank());
        int n = x.shape[ax];
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(x.shape, ax + 1, x.rank()));
        if (outer * inner == 0 || index.length % (outer * inner) != 0)
            throw new IllegalArgumentException("gather: " + index.length + " indices do not fit " + Shapes.str(x.shape) + " along axis " + axis);
        int k = index.length / (outer * inner);
        int[] s = x.shape.clone();
        s[ax] = k;
        float[] y = new float[index.length];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++) {
                    int p = (o * k + j) * inner + i, src = index[p];
                    if (src < 0 || src >= n)
                        throw new IllegalArgumentException("gather: index " + src + " out of range [0, " + n + ") on axis " + axis + " of " + Shapes.str(x.shape));
                    y[p] = x.data[x.off + (o * n + src) * inner + i];
                }
        Var out = result(y, s, x);
        return record("gather", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < k; j++)
                    for (int i = 0; i < inner; i++) {
                        int p = (o * k + j) * inner + i;
                        g[x.goff + (o * n + index[p]) * inner + i] += dy[p];
                    }
        });
    }
}
