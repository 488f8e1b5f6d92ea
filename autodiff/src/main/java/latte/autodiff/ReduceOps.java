package latte.autodiff;

import java.util.Arrays;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Reduce;

import static latte.autodiff.Recorder.record;
import static latte.autodiff.Recorder.result;

/**
 * The differentiable reductions: sum and mean over any axes, logsumexp, and the fused sum of
 * squared errors (a reconstruction loss). Conventions as in {@link Ops}: forward and backward
 * together, backward closures accumulate.
 */
public final class ReduceOps {
    private ReduceOps() {}

    /** y = sum of x over {@code axes} (all when empty), dropping them. dx += dy broadcast back. */
    public static Var sum(Var x, int... axes) {
        return sum(x, false, axes);
    }

    /** y = sum of x over {@code axes} (all when empty); kept as size-1 dims when {@code keepDims}. */
    public static Var sum(Var x, boolean keepDims, int... axes) {
        return reduce("sum", x, keepDims, 1f, axes);
    }

    /** y = mean of x over {@code axes} (all when empty). dx += dy / n broadcast back. */
    public static Var mean(Var x, int... axes) {
        return mean(x, false, axes);
    }

    /** Mean over {@code axes}, keeping them as size-1 dims when {@code keepDims}. */
    public static Var mean(Var x, boolean keepDims, int... axes) {
        int n = Shapes.size(Shapes.reduced("mean", x.shape, axes));
        return reduce("mean", x, keepDims, x.size == 0 ? 0f : (float) ((double) n / x.size), axes);
    }

    private static Var reduce(String op, Var x, boolean keepDims, float scale, int[] axes) {
        int[] keep = Shapes.reduced(op, x.shape, axes);
        int[] outShape = keepDims ? keep : Shapes.squeeze(x.shape, keep, axes);
        int lo = 0, hi = x.rank(); // reduced axes as one block [lo, hi) if they are contiguous
        while (lo < x.rank() && keep[lo] == x.shape[lo] && x.shape[lo] != 1) lo++;
        while (hi > lo && keep[hi - 1] == x.shape[hi - 1] && x.shape[hi - 1] != 1) hi--;
        boolean block = true;
        for (int d = lo; d < hi; d++) if (keep[d] != 1) block = false;
        if (!block) return reduceMapped(op, x, keep, outShape, scale);
        // x viewed as [outer, n, inner], reduced over n: no index map, rows in order
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, lo)), inner = Shapes.size(Arrays.copyOfRange(x.shape, hi, x.rank()));
        int n = Shapes.size(Arrays.copyOfRange(x.shape, lo, hi));
        double[] acc = new double[outer * inner]; // double: long reductions stay accurate
        if (inner == 1) // reducing trailing axes: each output is one contiguous run
            for (int o = 0; o < outer; o++) {
                double t = 0;
                for (int k = 0, src = x.off + o * n; k < n; k++) t += x.data[src + k];
                acc[o] = t;
            }
        else
            for (int o = 0; o < outer; o++)
                for (int k = 0; k < n; k++) {
                    int src = x.off + (o * n + k) * inner, dst = o * inner;
                    for (int i = 0; i < inner; i++) acc[dst + i] += x.data[src + i];
                }
        float[] y = new float[acc.length];
        for (int j = 0; j < y.length; j++) y[j] = (float) (acc[j] * scale);
        Var out = result(y, outShape, x);
        return record(op, out, () -> {
            float[] g = x.g(), dy = out.grad;
            if (inner == 1)
                for (int o = 0; o < outer; o++) {
                    float v = dy[o] * scale;
                    for (int k = 0, dst = x.goff + o * n; k < n; k++) g[dst + k] += v;
                }
            else
                for (int o = 0; o < outer; o++)
                    for (int k = 0; k < n; k++) {
                        int dst = x.goff + (o * n + k) * inner, src = o * inner;
                        for (int i = 0; i < inner; i++) g[dst + i] += dy[src + i] * scale;
                    }
        });
    }

    /** Reduction over non-contiguous axes through an index map (dy broadcast back the same way). */
    private static Var reduceMapped(String op, Var x, int[] keep, int[] outShape, float scale) {
        int[] map = Shapes.broadcastIndex(keep, x.shape);
        double[] acc = new double[Shapes.size(keep)];
        for (int i = 0; i < x.size; i++) acc[map[i]] += x.data[x.off + i];
        float[] y = new float[acc.length];
        for (int j = 0; j < y.length; j++) y[j] = (float) (acc[j] * scale);
        Var out = result(y, outShape, x);
        return record(op, out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[map[i]] * scale;
        });
    }

    /**
     * y = ln sum_axis e^x = m + ln sum e^(x - m) with m the max (stable). [.., n, ..] -> [.., ..]
     * (or [.., 1, ..] when {@code keepDims}). dx += dy * e^(x - y) (the softmax).
     */
    public static Var logsumexp(Var x, int axis, boolean keepDims) {
        int ax = Shapes.axis("logsumexp", axis, x.rank());
        int[] keep = Shapes.reduced("logsumexp", x.shape, ax);
        int[] map = Shapes.broadcastIndex(keep, x.shape);
        float[] m = new float[Shapes.size(keep)];
        Arrays.fill(m, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < x.size; i++) m[map[i]] = Math.max(m[map[i]], x.data[x.off + i]);
        double[] s = new double[m.length];
        for (int i = 0; i < x.size; i++) s[map[i]] += Math.exp(x.data[x.off + i] - m[map[i]]);
        float[] y = new float[m.length];
        for (int j = 0; j < y.length; j++) y[j] = m[j] + (float) Math.log(s[j]);
        Var out = result(y, keepDims ? keep : Shapes.squeeze(x.shape, keep, ax), x);
        return record("logsumexp", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[map[i]] * (float) Math.exp(x.data[x.off + i] - y[map[i]]);
        });
    }

    /**
     * y = sum_i (a_i - b_i)^2, a scalar, for a and b of one shape. da += 2 (a - b) dy,
     * db -= 2 (a - b) dy. The fusion of sum(square(sub(a, b))): one [n] buffer instead of five
     * (a reconstruction loss over a batch of frames is millions of elements).
     */
    public static Var sumSquaredError(Var a, Var b) {
        if (!Arrays.equals(a.shape, b.shape))
            throw new IllegalArgumentException("sumSquaredError: shapes " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape) + " differ (no broadcasting here)");
        float[] d = new float[a.size];
        Elementwise.sub(a.data, a.off, b.data, b.off, d, 0, a.size);
        Var out = result(new float[] {Reduce.sumSquares(d, 0, a.size)}, new int[0], a, b);
        return record("sumSquaredError", out, () -> {
            float s = 2f * out.grad[0];
            if (a.requiresGrad) Elementwise.axpy(s, d, 0, a.g(), a.goff, a.size);
            if (b.requiresGrad) Elementwise.axpy(-s, d, 0, b.g(), b.goff, b.size);
        });
    }
}
