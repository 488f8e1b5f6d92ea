package latte.core;

import java.util.Arrays;
import java.util.List;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Reduce;

/**
 * An immutable n-dimensional float32 array: a view {@code (data, offset, shape, strides)} over a
 * {@code float[]}. Element {@code [i0, ..., i(r-1)]} lives at {@code data[offset + sum_d i_d * strides[d]]}.
 *
 * <p>Views share {@code data} and copy nothing: {@link #reshape} (of contiguous data),
 * {@link #permute}, {@link #transpose}, {@link #slice}, {@link #select}, {@link #expand} (stride 0),
 * {@link #squeeze}, {@link #unsqueeze}. Every op returns a new tensor and never writes an
 * existing array, so sharing is safe. Elementwise ops broadcast like NumPy: shapes align on the
 * right and a dimension of 1 stretches.
 *
 * <p>Contiguous operands go straight to the SIMD kernels of {@link Elementwise} and {@link Reduce}
 * (split over {@link Parallel} on big tensors at fixed, lane-aligned boundaries, so results do
 * not depend on the thread count); strided and broadcast operands are walked row by row by
 * {@link Strided}, still calling a kernel per row where the row is unit-stride. Matrix products go
 * through {@link Backends#current()}.
 *
 * <p>This class holds the data, access and views, and declares every op; the bodies of the ops
 * live by theme in package-private front-ends: {@link TensorCreate} (factories), {@link TensorMath}
 * (elementwise), {@link TensorReduce} (reductions), {@link TensorMatmul} (matrix products),
 * {@link TensorIndex} (joining, splitting, indexing) and {@link TensorFormat} (printing).
 *
 * <p>Shapes in comments are written {@code [B, N]}; a scalar has shape {@code []}.
 */
public final class Tensor {
    // Package-private: the front-ends (TensorMath, TensorReduce, ...) read them directly.
    final float[] data;
    final int offset;
    final Shape shape;
    final int[] strides;

    private Tensor(float[] data, int offset, Shape shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // ===================================================================== creation (bodies in TensorCreate)

    /**
     * Wraps {@code data} (no copy) as a contiguous tensor of {@code shape}; the caller hands over
     * the array and must not write it afterwards. For kernels that fill a fresh array.
     */
    public static Tensor wrap(float[] data, Shape shape) {
        if (data.length != shape.numel())
            throw new IllegalArgumentException("Tensor.wrap: " + data.length + " values for shape " + shape
                    + " which needs " + shape.numel());
        return new Tensor(data, 0, shape, shape.contiguousStrides());
    }

    /** A copy of {@code values} as shape {@code dims}; with no dims, a 1-D tensor of all values. */
    public static Tensor of(float[] values, int... dims) { return TensorCreate.of(values, dims); }
    /** A rank-0 tensor holding {@code v}. */
    public static Tensor scalar(float v) { return new Tensor(new float[] {v}, 0, Shape.scalar(), new int[0]); }
    /** Zeros of shape {@code dims}. */
    public static Tensor zeros(int... dims) { return zeros(Shape.of(dims)); }
    /** Zeros of {@code shape}. */
    public static Tensor zeros(Shape shape) { return full(0f, shape); }
    /** Ones of shape {@code dims}. */
    public static Tensor ones(int... dims) { return full(1f, dims); }
    /** Ones of {@code shape}. */
    public static Tensor ones(Shape shape) { return full(1f, shape); }
    /** {@code value} everywhere, shape {@code dims}. */
    public static Tensor full(float value, int... dims) { return full(value, Shape.of(dims)); }
    /** {@code value} everywhere, {@code shape}. */
    public static Tensor full(float value, Shape shape) { return TensorCreate.full(value, shape); }
    /** Zeros shaped like {@code t} (contiguous). */
    public static Tensor zerosLike(Tensor t) { return zeros(t.shape); }
    /** Ones shaped like {@code t}. */
    public static Tensor onesLike(Tensor t) { return ones(t.shape); }
    /** {@code value} everywhere, shaped like {@code t}. */
    public static Tensor fullLike(Tensor t, float value) { return full(value, t.shape); }
    /** {@code [0, 1, ..., n-1]}, shape {@code [n]}. */
    public static Tensor arange(int n) { return TensorCreate.arange(n); }
    /** {@code start, start + step, ...} while below {@code end} (above, for a negative step). */
    public static Tensor arange(float start, float end, float step) { return TensorCreate.arange(start, end, step); }
    /** The {@code n x n} identity. */
    public static Tensor eye(int n) { return TensorCreate.eye(n); }
    /** Standard normal samples drawn from {@code rng} in row-major order. */
    public static Tensor randn(Rng rng, int... dims) { return TensorCreate.randn(rng, dims); }
    /** Uniform samples in {@code [lo, hi)} drawn from {@code rng} in row-major order. */
    public static Tensor uniform(Rng rng, float lo, float hi, int... dims) { return TensorCreate.uniform(rng, lo, hi, dims); }
    /** One-hot rows: shape {@code indices.shape + [classes]}; each index must be an integer in {@code [0, classes)}. */
    public static Tensor oneHot(Tensor indices, int classes) { return TensorCreate.oneHot(indices, classes); }

    /** One-hot rows for integer labels: shape {@code [labels.length, classes]}. */
    public static Tensor oneHot(int[] labels, int classes) {
        float[] f = new float[labels.length];
        for (int i = 0; i < labels.length; i++) f[i] = labels[i];
        return oneHot(wrap(f, Shape.of(labels.length)), classes);
    }

    // ===================================================================== access

    /** The shape. */
    public Shape shape() { return shape; }
    /** Number of dimensions. */
    public int rank() { return shape.rank(); }
    /** Size of {@code axis} (negative counts from the end). */
    public int dim(int axis) { return shape.dim(axis); }
    /** Number of elements. */
    public int numel() { return shape.numel(); }
    /** The backing array, shared, not copied: for kernels. Read only; see {@link #offset()} and {@link #strides()}. */
    public float[] data() { return data; }
    /** Index of element {@code [0, ..., 0]} in {@link #data()}. */
    public int offset() { return offset; }
    /** A copy of the strides (elements, not bytes). */
    public int[] strides() { return strides.clone(); }
    /** Whether the elements lie row-major and gap-free from {@link #offset()} (dims of size 1 ignored). */
    public boolean isContiguous() {
        if (shape.numel() == 0) return true;
        int expect = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            if (d == 1) continue;
            if (strides[i] != expect) return false;
            expect *= d;
        }
        return true;
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        if (isContiguous()) {
            int[] canonical = shape.contiguousStrides();
            return Arrays.equals(canonical, strides) ? this : new Tensor(data, offset, shape, canonical);
        }
        float[] d = new float[numel()];
        Strided.copy(data, offset, shape.dims(), strides, d, 0, shape.contiguousStrides());
        return wrap(d, shape);
    }

    /** A fresh row-major copy of the values. */
    public float[] toArray() {
        if (isContiguous()) return Arrays.copyOfRange(data, offset, offset + numel());
        return contiguous().data;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1)
            throw new IllegalArgumentException("Tensor.item: shape " + shape + " has " + numel() + " elements, expected 1");
        return data[offset];
    }

    /** The element at {@code index} (one index per dimension, each in range). */
    public float get(int... index) {
        if (index.length != rank())
            throw new IllegalArgumentException("Tensor.get: " + index.length + " indices for shape " + shape);
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i))
                throw new IllegalArgumentException("Tensor.get: index " + Arrays.toString(index) + " out of range for shape " + shape);
            p += index[i] * strides[i];
        }
        return data[p];
    }

    // ===================================================================== views

    /** The same values with shape {@code dims} (one may be -1: inferred). A view when contiguous, else a copy. */
    public Tensor reshape(int... dims) { return reshape(shape.inferReshape("Tensor.reshape", dims)); }

    /** The same values with {@code newShape} (same element count). */
    public Tensor reshape(Shape newShape) {
        if (newShape.numel() != numel())
            throw new IllegalArgumentException("Tensor.reshape: shape " + shape + " (" + numel() + " elements) cannot become "
                    + newShape + " (" + newShape.numel() + ")");
        Tensor c = contiguous();
        return new Tensor(c.data, c.offset, newShape, newShape.contiguousStrides());
    }

    /** A 1-D view (or copy) of all elements. */
    public Tensor flatten() { return reshape(numel()); }

    /** Reorders the axes: result axis {@code i} is this tensor's axis {@code perm[i]}. */
    public Tensor permute(int... perm) {
        int r = rank();
        if (perm.length != r)
            throw new IllegalArgumentException("Tensor.permute: " + Arrays.toString(perm) + " is not a permutation of "
                    + r + " axes of shape " + shape);
        boolean[] seen = new boolean[r];
        int[] d = new int[r], s = new int[r];
        for (int i = 0; i < r; i++) {
            int a = perm[i] < 0 ? perm[i] + r : perm[i];
            if (a < 0 || a >= r || seen[a])
                throw new IllegalArgumentException("Tensor.permute: " + Arrays.toString(perm) + " is not a permutation of "
                        + r + " axes of shape " + shape);
            seen[a] = true;
            d[i] = shape.dim(a);
            s[i] = strides[a];
        }
        return new Tensor(data, offset, Shape.of(d), s);
    }

    /** Swaps axes {@code a} and {@code b}. */
    public Tensor transpose(int a, int b) {
        int r = rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        int x = shape.axis(a, "Tensor.transpose"), y = shape.axis(b, "Tensor.transpose");
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** Swaps the last two axes (the matrix transpose of each batch entry). */
    public Tensor t() {
        if (rank() < 2) throw new IllegalArgumentException("Tensor.t: shape " + shape + " has rank < 2");
        return transpose(-2, -1);
    }

    /** Elements {@code from, from+1, ..., to-1} along {@code axis}. */
    public Tensor slice(int axis, int from, int to) { return slice(axis, from, to, 1); }

    /** Elements {@code from, from+step, ...} below {@code to} along {@code axis}; negative from/to count from the end. */
    public Tensor slice(int axis, int from, int to, int step) {
        int a = shape.axis(axis, "Tensor.slice");
        int n = shape.dim(a);
        int f = from < 0 ? from + n : from, t = to < 0 ? to + n : to;
        if (step <= 0 || f < 0 || t > n || f > t)
            throw new IllegalArgumentException("Tensor.slice: [" + from + ":" + to + ":" + step + "] along axis " + axis
                    + " of shape " + shape + " (need 0 <= from <= to <= " + n + ", step > 0)");
        int len = (t - f + step - 1) / step;
        int[] s = strides.clone();
        s[a] = strides[a] * step;
        return new Tensor(data, offset + f * strides[a], shape.with(a, len), s);
    }

    /** The sub-tensor at {@code index} along {@code axis}, with that axis removed. */
    public Tensor select(int axis, int index) {
        int a = shape.axis(axis, "Tensor.select");
        int n = shape.dim(a);
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n)
            throw new IllegalArgumentException("Tensor.select: index " + index + " out of range along axis " + axis
                    + " of shape " + shape);
        return new Tensor(data, offset + i * strides[a], Shape.of(remove(shape.dims(), a)), remove(strides, a));
    }

    /**
     * Broadcasts to {@code dims} with stride-0 views: new leading dims may be added, a dimension of 1
     * may grow, -1 keeps a dimension.
     */
    public Tensor expand(int... dims) {
        int r = rank(), nr = dims.length;
        if (nr < r)
            throw new IllegalArgumentException("Tensor.expand: shape " + shape + " cannot expand to fewer dims "
                    + Arrays.toString(dims));
        int[] d = new int[nr], s = new int[nr];
        for (int i = 0; i < nr; i++) {
            int j = i - (nr - r);
            int src = j >= 0 ? shape.dim(j) : 1;
            int want = dims[i] == -1 && j >= 0 ? src : dims[i];
            if (want < 0 || (src != want && src != 1))
                throw new IllegalArgumentException("Tensor.expand: shape " + shape + " cannot expand to "
                        + Arrays.toString(dims));
            d[i] = want;
            s[i] = j >= 0 && src == want ? strides[j] : 0;
        }
        return new Tensor(data, offset, Shape.of(d), s);
    }

    /** Broadcasts to {@code target} (see {@link #expand}). */
    public Tensor broadcastTo(Shape target) { return expand(target.dims()); }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        int[] d = shape.dims();
        int keep = 0;
        for (int x : d) if (x != 1) keep++;
        int[] nd = new int[keep], ns = new int[keep];
        for (int i = 0, j = 0; i < d.length; i++) if (d[i] != 1) { nd[j] = d[i]; ns[j++] = strides[i]; }
        return new Tensor(data, offset, Shape.of(nd), ns);
    }

    /** Removes {@code axis}, which must have size 1. */
    public Tensor squeeze(int axis) {
        int a = shape.axis(axis, "Tensor.squeeze");
        if (shape.dim(a) != 1)
            throw new IllegalArgumentException("Tensor.squeeze: axis " + axis + " of shape " + shape + " has size "
                    + shape.dim(a) + ", expected 1");
        return new Tensor(data, offset, Shape.of(remove(shape.dims(), a)), remove(strides, a));
    }

    /** Inserts a dimension of size 1 before {@code axis} ({@code axis} in {@code [-(rank+1), rank]}). */
    public Tensor unsqueeze(int axis) {
        int r = rank();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r)
            throw new IllegalArgumentException("Tensor.unsqueeze: axis " + axis + " out of range for shape " + shape);
        int[] d = new int[r + 1], s = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == a) {
                d[i] = 1;
                s[i] = a < r ? strides[a] * shape.dim(a) : 1;
            } else {
                d[i] = shape.dim(j);
                s[i] = strides[j++];
            }
        }
        return new Tensor(data, offset, Shape.of(d), s);
    }

    // ===================================================================== elementwise (TensorMath)

    /** {@code this + o}, broadcast. */
    public Tensor add(Tensor o) { return TensorMath.binary(this, BinaryOp.ADD, o); }
    /** {@code this - o}, broadcast. */
    public Tensor sub(Tensor o) { return TensorMath.binary(this, BinaryOp.SUB, o); }
    /** {@code this * o}, broadcast. */
    public Tensor mul(Tensor o) { return TensorMath.binary(this, BinaryOp.MUL, o); }
    /** {@code this / o}, broadcast. */
    public Tensor div(Tensor o) { return TensorMath.binary(this, BinaryOp.DIV, o); }
    /** {@code this ^ o}, broadcast. */
    public Tensor pow(Tensor o) { return TensorMath.binary(this, BinaryOp.POW, o); }
    /** Elementwise {@code max(this, o)}, broadcast. */
    public Tensor maximum(Tensor o) { return TensorMath.binary(this, BinaryOp.MAX, o); }
    /** Elementwise {@code min(this, o)}, broadcast. */
    public Tensor minimum(Tensor o) { return TensorMath.binary(this, BinaryOp.MIN, o); }
    /** Mask {@code this > o} (1 or 0), broadcast. */
    public Tensor gt(Tensor o) { return TensorMath.binary(this, BinaryOp.GT, o); }
    /** Mask {@code this >= o}. */
    public Tensor ge(Tensor o) { return TensorMath.binary(this, BinaryOp.GE, o); }
    /** Mask {@code this < o}. */
    public Tensor lt(Tensor o) { return TensorMath.binary(this, BinaryOp.LT, o); }
    /** Mask {@code this <= o}. */
    public Tensor le(Tensor o) { return TensorMath.binary(this, BinaryOp.LE, o); }
    /** Mask {@code this == o}. */
    public Tensor eq(Tensor o) { return TensorMath.binary(this, BinaryOp.EQ, o); }

    /** {@code this + s}. */
    public Tensor add(float s) { return TensorMath.scalarOp(this, BinaryOp.ADD, s, false); }
    /** {@code this - s}. */
    public Tensor sub(float s) { return TensorMath.scalarOp(this, BinaryOp.SUB, s, false); }
    /** {@code s - this}. */
    public Tensor rsub(float s) { return TensorMath.scalarOp(this, BinaryOp.SUB, s, true); }
    /** {@code this * s}. */
    public Tensor mul(float s) { return TensorMath.scalarOp(this, BinaryOp.MUL, s, false); }
    /** {@code this / s}. */
    public Tensor div(float s) { return TensorMath.scalarOp(this, BinaryOp.DIV, s, false); }
    /** {@code s / this}. */
    public Tensor rdiv(float s) { return TensorMath.scalarOp(this, BinaryOp.DIV, s, true); }
    /** {@code this ^ s}. */
    public Tensor pow(float s) { return TensorMath.scalarOp(this, BinaryOp.POW, s, false); }
    /** {@code max(this, s)}. */
    public Tensor maximum(float s) { return TensorMath.scalarOp(this, BinaryOp.MAX, s, false); }
    /** {@code min(this, s)}. */
    public Tensor minimum(float s) { return TensorMath.scalarOp(this, BinaryOp.MIN, s, false); }
    /** Mask {@code this > s}. */
    public Tensor gt(float s) { return TensorMath.scalarOp(this, BinaryOp.GT, s, false); }
    /** Mask {@code this >= s}. */
    public Tensor ge(float s) { return TensorMath.scalarOp(this, BinaryOp.GE, s, false); }
    /** Mask {@code this < s}. */
    public Tensor lt(float s) { return TensorMath.scalarOp(this, BinaryOp.LT, s, false); }
    /** Mask {@code this <= s}. */
    public Tensor le(float s) { return TensorMath.scalarOp(this, BinaryOp.LE, s, false); }
    /** Mask {@code this == s}. */
    public Tensor eq(float s) { return TensorMath.scalarOp(this, BinaryOp.EQ, s, false); }

    /** {@code mask != 0 ? a : b}, all three broadcast together. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) { return TensorMath.where(mask, a, b); }

    /** {@code -x}. */
    public Tensor neg() { return TensorMath.unary(this, Elementwise::neg); }
    /** {@code e^x}. */
    public Tensor exp() { return TensorMath.unary(this, Elementwise::exp); }
    /** {@code ln x}. */
    public Tensor log() { return TensorMath.unary(this, Elementwise::log); }
    /** {@code tanh x}. */
    public Tensor tanh() { return TensorMath.unary(this, Elementwise::tanh); }
    /** {@code 1 / (1 + e^-x)}. */
    public Tensor sigmoid() { return TensorMath.unary(this, Elementwise::sigmoid); }
    /** {@code max(x, 0)}. */
    public Tensor relu() { return TensorMath.unary(this, Elementwise::relu); }
    /** {@code x > 0 ? x : e^x - 1}. */
    public Tensor elu() { return elu(1f); }
    /** {@code x > 0 ? x : alpha (e^x - 1)}. */
    public Tensor elu(float alpha) { return TensorMath.unary(this, (a, ao, o, oo, n) -> Elementwise.elu(a, ao, alpha, o, oo, n)); }
    /** {@code ln(1 + e^x)}, stable: {@code max(x, 0) + log1p(e^-|x|)}. */
    public Tensor softplus() { return TensorMath.unary(this, Elementwise::softplus); }
    /** {@code x^2}. */
    public Tensor square() { return TensorMath.unary(this, Elementwise::square); }
    /** {@code sqrt x}. */
    public Tensor sqrt() { return TensorMath.unary(this, Elementwise::sqrt); }
    /** {@code |x|}. */
    public Tensor abs() { return TensorMath.unary(this, Elementwise::abs); }
    /** {@code min(max(x, lo), hi)}. */
    public Tensor clamp(float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("Tensor.clamp: lo=" + lo + " must be <= hi=" + hi);
        return TensorMath.unary(this, (a, ao, o, oo, n) -> Elementwise.clamp(a, ao, lo, hi, o, oo, n));
    }

    // ===================================================================== reductions (TensorReduce)

    /** Sum of all elements, shape {@code []}. */
    public Tensor sum() { return sum(TensorReduce.allAxes(this), false); }
    /** Sum along {@code axis}. */
    public Tensor sum(int axis) { return sum(new int[] {axis}, false); }
    /** Sum along {@code axis}, keeping it as size 1 if {@code keepDims}. */
    public Tensor sum(int axis, boolean keepDims) { return sum(new int[] {axis}, keepDims); }
    /** Sum along {@code axes}. */
    public Tensor sum(int[] axes, boolean keepDims) { return TensorReduce.sum(this, axes, keepDims); }

    /** Maximum of all elements. */
    public Tensor max() { return max(TensorReduce.allAxes(this), false); }
    /** Maximum along {@code axis}. */
    public Tensor max(int axis) { return max(new int[] {axis}, false); }
    /** Maximum along {@code axis}. */
    public Tensor max(int axis, boolean keepDims) { return max(new int[] {axis}, keepDims); }
    /** Maximum along {@code axes} ({@code -inf} over an empty axis). */
    public Tensor max(int[] axes, boolean keepDims) { return TensorReduce.max(this, axes, keepDims); }

    /** Minimum of all elements. */
    public Tensor min() { return min(TensorReduce.allAxes(this), false); }
    /** Minimum along {@code axis}. */
    public Tensor min(int axis) { return min(new int[] {axis}, false); }
    /** Minimum along {@code axis}. */
    public Tensor min(int axis, boolean keepDims) { return min(new int[] {axis}, keepDims); }
    /** Minimum along {@code axes} ({@code +inf} over an empty axis). */
    public Tensor min(int[] axes, boolean keepDims) { return TensorReduce.min(this, axes, keepDims); }

    /** Mean of all elements. */
    public Tensor mean() { return mean(TensorReduce.allAxes(this), false); }
    /** Mean along {@code axis}. */
    public Tensor mean(int axis) { return mean(new int[] {axis}, false); }
    /** Mean along {@code axis}. */
    public Tensor mean(int axis, boolean keepDims) { return mean(new int[] {axis}, keepDims); }
    /** Mean along {@code axes}: {@code sum / count}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        int count = TensorReduce.reducedCount(this, "Tensor.mean", axes);
        return sum(axes, keepDims).div((float) count);
    }

    /** Population variance of all elements. */
    public Tensor variance() { return variance(TensorReduce.allAxes(this), false); }
    /** Population variance along {@code axis}. */
    public Tensor variance(int axis) { return variance(new int[] {axis}, false); }
    /** Population variance along {@code axis}. */
    public Tensor variance(int axis, boolean keepDims) { return variance(new int[] {axis}, keepDims); }
    /** Population variance {@code mean((x - mean x)^2)} along {@code axes} (two passes, no cancellation). */
    public Tensor variance(int[] axes, boolean keepDims) {
        TensorReduce.reducedCount(this, "Tensor.variance", axes);
        return sub(mean(axes, true)).square().mean(axes, keepDims);
    }

    /** {@code ln sum e^x} over all elements. */
    public Tensor logsumexp() { return logsumexp(TensorReduce.allAxes(this), false); }
    /** {@code ln sum e^x} along {@code axis}. */
    public Tensor logsumexp(int axis) { return logsumexp(new int[] {axis}, false); }
    /** {@code ln sum e^x} along {@code axis}. */
    public Tensor logsumexp(int axis, boolean keepDims) { return logsumexp(new int[] {axis}, keepDims); }
    /**
     * {@code ln sum e^x} along {@code axes}, stable: {@code m + ln sum e^(x - m)} with {@code m} the
     * maximum (taken as 0 where it is infinite, so all {@code -inf} gives {@code -inf}, not NaN).
     */
    public Tensor logsumexp(int[] axes, boolean keepDims) { return TensorReduce.logsumexp(this, axes, keepDims); }

    /** {@code e^(x - lse(x))} along {@code axis}. */
    public Tensor softmax(int axis) {
        Tensor e = sub(max(axis, true)).exp();
        return e.div(e.sum(axis, true));
    }

    /** {@code x - lse(x)} along {@code axis}. */
    public Tensor logSoftmax(int axis) {
        return sub(logsumexp(axis, true));
    }

    /** Index of the maximum along {@code axis} (first on ties), as floats. */
    public Tensor argmax(int axis) { return argmax(axis, false); }
    /** Index of the maximum along {@code axis} (first on ties). */
    public Tensor argmax(int axis, boolean keepDims) { return TensorReduce.argExtreme(this, "Tensor.argmax", axis, keepDims, true); }
    /** Index of the minimum along {@code axis}. */
    public Tensor argmin(int axis) { return argmin(axis, false); }
    /** Index of the minimum along {@code axis} (first on ties). */
    public Tensor argmin(int axis, boolean keepDims) { return TensorReduce.argExtreme(this, "Tensor.argmin", axis, keepDims, false); }

    /**
     * Reduces a broadcast result back to {@code target}, the shape of an operand that was broadcast
     * to this tensor's shape: sums the leading extra axes and the axes where {@code target} has 1.
     * This is the adjoint of broadcasting (the gradient of an input of a broadcast op).
     */
    public Tensor sumToShape(Shape target) { return TensorReduce.sumToShape(this, target); }

    // ===================================================================== matmul (TensorMatmul)

    /** Matrix product over the last two axes, batch axes broadcast: {@code [..., m, k] @ [..., k, n] -> [..., m, n]}. */
    public Tensor matmul(Tensor o) {
        return matmul(o, false, false);
    }

    /**
     * {@code op(this) @ op(o)} where {@code op} transposes the last two axes when the flag is set;
     * batch axes (all but the last two) broadcast like NumPy. Runs on {@link Backends#current()};
     * transposed views are handed to the GEMM as transpose flags, not copied.
     */
    public Tensor matmul(Tensor o, boolean transA, boolean transB) { return TensorMatmul.matmul(this, o, transA, transB); }

    // ===================================================================== joining, splitting, indexing (TensorIndex)

    /** Joins tensors along an existing {@code axis}; all other dims must agree. */
    public static Tensor concat(int axis, Tensor... ts) { return TensorIndex.concat(axis, ts); }

    /** Joins tensors of one shape along a new {@code axis}. */
    public static Tensor stack(int axis, Tensor... ts) { return TensorIndex.stack(axis, ts); }

    /** Views of consecutive pieces of the given sizes along {@code axis} (sizes must add up to the dim). */
    public List<Tensor> split(int axis, int... sizes) { return TensorIndex.split(this, axis, sizes); }

    /** {@code chunks} equal views along {@code axis} (the dim must divide evenly). */
    public List<Tensor> chunk(int chunks, int axis) { return TensorIndex.chunk(this, chunks, axis); }

    /** Picks entries along {@code axis}: result axis has {@code indices.length} entries, {@code out[..i..] = this[..indices[i]..]}. */
    public Tensor take(int axis, int... indices) { return TensorIndex.take(this, axis, indices); }

    /**
     * The adjoint of {@link #take}: zeros of {@code shape} with row {@code src[..i..]} added at
     * {@code [..indices[i]..]} along {@code axis} (repeated indices accumulate).
     */
    public static Tensor indexAdd(Shape shape, int axis, int[] indices, Tensor src) {
        return TensorIndex.indexAdd(shape, axis, indices, src);
    }

    /**
     * PyTorch {@code gather}: {@code out[i][j][k] = this[index[i][j][k]][j][k]} for {@code axis = 0}
     * (likewise for other axes). {@code index} has this tensor's rank and its dims, except along
     * {@code axis} where it may have any size; its values must be integers in range.
     */
    public Tensor gather(int axis, Tensor index) { return TensorIndex.gather(this, axis, index); }

    /** The adjoint of {@link #gather}: zeros of {@code shape} with {@code src} added at the gathered positions. */
    public static Tensor scatterAdd(Shape shape, int axis, Tensor index, Tensor src) {
        return TensorIndex.scatterAdd(shape, axis, index, src);
    }

    /** The {@code k} largest values along {@code axis}, descending (lower index first on ties), with their indices. */
    public TopK topK(int k, int axis) { return TensorIndex.topK(this, k, axis); }

    // ===================================================================== comparison, printing

    /** {@code |this - o| <= atol + rtol |o|} everywhere (same shape required; NaN never close). */
    public boolean allClose(Tensor o, float atol, float rtol) { return TensorMath.allClose(this, o, atol, rtol); }

    /** {@code Tensor[2, 3] [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}; axes longer than 6 show 3 + ... + 3 once the tensor exceeds 100 elements. */
    @Override
    public String toString() { return TensorFormat.format(this); }

    // ===================================================================== helpers

    /** {@code a} without element {@code i}. */
    static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }
}
