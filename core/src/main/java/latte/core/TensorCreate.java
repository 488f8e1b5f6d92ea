package latte.core;

import java.util.Arrays;

/** The factories of {@link Tensor} that do more than allocate: copies, ranges, identity, samples, one-hot rows. */
final class TensorCreate {
    private TensorCreate() {}

    static Tensor of(float[] values, int... dims) {
        Shape s = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
        if (values.length != s.numel())
            throw new IllegalArgumentException("Tensor.of: " + values.length + " values for shape " + s
                    + " which needs " + s.numel());
        return Tensor.wrap(values.clone(), s);
    }

    static Tensor full(float value, Shape shape) {
        float[] d = new float[shape.numel()];
        if (value != 0f) Arrays.fill(d, value);
        return Tensor.wrap(d, shape);
    }

    static Tensor arange(int n) {
        if (n < 0) throw new IllegalArgumentException("Tensor.arange: negative n " + n);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return Tensor.wrap(d, Shape.of(n));
    }

    static Tensor arange(float start, float end, float step) {
        if (step == 0f || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end))
            throw new IllegalArgumentException("Tensor.arange: start=" + start + " end=" + end + " step=" + step
                    + " must be finite with step != 0");
        double count = Math.ceil(((double) end - start) / step);
        int n = (int) Math.max(0, Math.min(count, Integer.MAX_VALUE - 8));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + (double) i * step);
        return Tensor.wrap(d, Shape.of(n));
    }

    static Tensor eye(int n) {
        float[] d = new float[Shape.of(n, n).numel()];
        for (int i = 0; i < n; i++) d[i * n + i] = 1f;
        return Tensor.wrap(d, Shape.of(n, n));
    }

    static Tensor randn(Rng rng, int... dims) {
        Shape s = Shape.of(dims);
        float[] d = new float[s.numel()];
        rng.fillNormal(d, 0, d.length, 0f, 1f);
        return Tensor.wrap(d, s);
    }

    static Tensor uniform(Rng rng, float lo, float hi, int... dims) {
        Shape s = Shape.of(dims);
        float[] d = new float[s.numel()];
        rng.fillUniform(d, 0, d.length, lo, hi);
        return Tensor.wrap(d, s);
    }

    static Tensor oneHot(Tensor indices, int classes) {
        if (classes <= 0) throw new IllegalArgumentException("Tensor.oneHot: classes " + classes + " must be > 0");
        float[] idx = indices.toArray();
        int[] dims = Arrays.copyOf(indices.shape.dims(), indices.rank() + 1);
        dims[indices.rank()] = classes;
        Shape s = Shape.of(dims);
        float[] d = new float[s.numel()];
        for (int i = 0; i < idx.length; i++) d[i * classes + TensorIndex.checkIndex("Tensor.oneHot", idx[i], classes)] = 1f;
        return Tensor.wrap(d, s);
    }
}
