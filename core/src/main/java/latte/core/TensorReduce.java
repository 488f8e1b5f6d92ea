package latte.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Reduce;

/**
 * The reduction front-end of {@link Tensor}: sum, max, min and logsumexp over any set of axes,
 * arg-extremes, and the adjoint of broadcasting ({@link Tensor#sumToShape}). Reduced axes that
 * lead a contiguous tensor accumulate whole rows with {@link Elementwise}; otherwise the reduced
 * axes are moved last and each row runs a {@link Reduce} kernel.
 */
final class TensorReduce {
    private TensorReduce() {}

    /** A row reduction {@code f(a[off .. off+n))} (a method of {@link Reduce}). */
    @FunctionalInterface
    private interface RowReduce {
        float run(float[] a, int off, int n);
    }

    /** An accumulate kernel {@code acc = acc (.) row} (a method of {@link Elementwise}). */
    @FunctionalInterface
    private interface Accumulate {
        void run(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n);
    }

    static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return reduce(x, "Tensor.sum", axes, keepDims, Reduce::sum, Elementwise::add, 0f);
    }

    static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce(x, "Tensor.max", axes, keepDims, Reduce::max, Elementwise::max, Float.NEGATIVE_INFINITY);
    }

    static Tensor min(Tensor x, int[] axes, boolean keepDims) {
        return reduce(x, "Tensor.min", axes, keepDims, Reduce::min, Elementwise::min, Float.POSITIVE_INFINITY);
    }

    /** {@code m + ln sum e^(x - m)}, {@code m} the maximum taken as 0 where it is infinite. */
    static Tensor logsumexp(Tensor x, int[] axes, boolean keepDims) {
        reducedCount(x, "Tensor.logsumexp", axes);
        Tensor m = x.max(axes, true);
        Tensor finite = m.abs().lt(Float.POSITIVE_INFINITY);
        Tensor shift = Tensor.where(finite, m, Tensor.zeros(Shape.scalar()));
        Tensor r = x.sub(shift).exp().sum(axes, true).log().add(shift);
        return keepDims ? r : r.reshape(reducedShape(x, normAxes(x, "Tensor.logsumexp", axes), false));
    }

    /** The sum of {@code x} over the axes that broadcasting {@code target} to x's shape stretched. */
    static Tensor sumToShape(Tensor x, Shape target) {
        Shape shape = x.shape;
        if (target.equals(shape)) return x;
        int r = x.rank(), tr = target.rank();
        if (tr > r)
            throw new IllegalArgumentException("Tensor.sumToShape: shape " + shape + " cannot be summed to " + target);
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            int j = i - (r - tr);
            if (j < 0) axes.add(i);
            else if (target.dim(j) == 1 && shape.dim(i) != 1) axes.add(i);
            else if (target.dim(j) != shape.dim(i))
                throw new IllegalArgumentException("Tensor.sumToShape: shape " + shape + " cannot be summed to " + target);
        }
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        return x.sum(ax, true).reshape(target);
    }

    static int[] allAxes(Tensor x) {
        int[] a = new int[x.rank()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    /** Axes normalised to {@code [0, rank)} as a mask; duplicates are an error. */
    private static boolean[] normAxes(Tensor x, String op, int[] axes) {
        boolean[] m = new boolean[x.rank()];
        for (int ax : axes) {
            int a = x.shape.axis(ax, op);
            if (m[a]) throw new IllegalArgumentException(op + ": axis " + ax + " repeated in " + Arrays.toString(axes)
                    + " for shape " + x.shape);
            m[a] = true;
        }
        return m;
    }

    /** Elements per output of a reduction over {@code axes} (checking the axes). */
    static int reducedCount(Tensor x, String op, int[] axes) {
        boolean[] m = normAxes(x, op, axes);
        long c = 1;
        for (int i = 0; i < m.length; i++) if (m[i]) c *= x.shape.dim(i);
        return (int) c;
    }

    private static Shape reducedShape(Tensor x, boolean[] red, boolean keepDims) {
        int[] d = x.shape.dims();
        int k = 0;
        for (boolean b : red) if (!b) k++;
        if (keepDims) {
            for (int i = 0; i < d.length; i++) if (red[i]) d[i] = 1;
            return Shape.of(d);
        }
        int[] nd = new int[k];
        for (int i = 0, j = 0; i < d.length; i++) if (!red[i]) nd[j++] = d[i];
        return Shape.of(nd);
    }

    private static Tensor reduce(Tensor t, String op, int[] axes, boolean keepDims, RowReduce rowReduce, Accumulate acc,
                                 float identity) {
        boolean[] red = normAxes(t, op, axes);
        Shape outShape = reducedShape(t, red, keepDims);
        int r = t.rank();
        int outer = 1, inner = 1, leading = 0;
        for (int i = 0; i < r; i++) {
            if (red[i]) inner *= t.shape.dim(i);
            else outer *= t.shape.dim(i);
        }
        while (leading < r && red[leading]) leading++;
        boolean prefix = leading > 0;
        for (int i = leading; i < r; i++) if (red[i]) prefix = false;
        float[] out = new float[outer];
        if (prefix && t.isContiguous() && outer > 1) {
            // Reduced axes lead ([B, N] summed over B, the bias-gradient case): accumulate whole rows.
            Arrays.fill(out, identity);
            for (int row = 0; row < inner; row++) acc.run(out, 0, t.data, t.offset + row * outer, out, 0, outer);
            return Tensor.wrap(out, outShape);
        }
        int[] perm = new int[r];
        int p = 0;
        for (int i = 0; i < r; i++) if (!red[i]) perm[p++] = i;
        for (int i = 0; i < r; i++) if (red[i]) perm[p++] = i;
        Tensor x = t.permute(perm).contiguous();
        for (int i = 0; i < outer; i++) out[i] = inner == 0 ? identity : rowReduce.run(x.data, x.offset + i * inner, inner);
        return Tensor.wrap(out, outShape);
    }

    /** Index of the maximum ({@code isMax}) or minimum along {@code axis}, first on ties, as floats. */
    static Tensor argExtreme(Tensor t, String op, int axis, boolean keepDims, boolean isMax) {
        int a = t.shape.axis(axis, op);
        int n = t.shape.dim(a);
        if (n == 0) throw new IllegalArgumentException(op + ": axis " + axis + " of shape " + t.shape + " is empty");
        Tensor x = moveAxisLast(t, a).contiguous();
        int outer = t.numel() / n;
        float[] out = new float[outer];
        for (int i = 0; i < outer; i++) {
            int base = x.offset + i * n, best = 0;
            float bv = x.data[base];
            for (int j = 1; j < n; j++) {
                float v = x.data[base + j];
                if (isMax ? v > bv : v < bv) { bv = v; best = j; }
            }
            out[i] = best;
        }
        boolean[] red = new boolean[t.rank()];
        red[a] = true;
        return Tensor.wrap(out, reducedShape(t, red, keepDims));
    }

    /** A view of {@code t} with {@code axis} moved to the end. */
    static Tensor moveAxisLast(Tensor t, int axis) {
        int r = t.rank();
        int[] perm = new int[r];
        for (int i = 0, j = 0; i < r; i++) if (i != axis) perm[j++] = i;
        perm[r - 1] = axis;
        return t.permute(perm);
    }

    /** Inverse of {@link #moveAxisLast}: moves the last axis to position {@code axis}. */
    static Tensor moveLastAxisTo(Tensor t, int axis) {
        int r = t.rank();
        int[] perm = new int[r];
        for (int i = 0, j = 0; i < r; i++) perm[i] = i == axis ? r - 1 : j++;
        return t.permute(perm);
    }
}
