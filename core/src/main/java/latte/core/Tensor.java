package latte.core;

import java.util.ArrayList;
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
 * <p>Shapes in comments are written {@code [B, N]}; a scalar has shape {@code []}.
 */
public final class Tensor {
    /** Element count above which contiguous elementwise ops are split across {@link Parallel}. */
    private static final int PAR_MIN = 1 << 16;
    /** Split granularity: a multiple of every vector width, so kernel tails fall at fixed indices. */
    private static final int BLOCK = 1 << 12;

    private final float[] data;
    private final int offset;
    private final Shape shape;
    private final int[] strides;

    private Tensor(float[] data, int offset, Shape shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // ===================================================================== creation

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
    public static Tensor of(float[] values, int... dims) {
        Shape s = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
        if (values.length != s.numel())
            throw new IllegalArgumentException("Tensor.of: " + values.length + " values for shape " + s
                    + " which needs " + s.numel());
        return new Tensor(values.clone(), 0, s, s.contiguousStrides());
    }

    /** A rank-0 tensor holding {@code v}. */
    public static Tensor scalar(float v) {
        return new Tensor(new float[] {v}, 0, Shape.scalar(), new int[0]);
    }

    /** Zeros of shape {@code dims}. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** Zeros of {@code shape}. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(new float[shape.numel()], 0, shape, shape.contiguousStrides());
    }

    /** Ones of shape {@code dims}. */
    public static Tensor ones(int... dims) {
        return full(1f, dims);
    }

    /** Ones of {@code shape}. */
    public static Tensor ones(Shape shape) {
        return full(1f, shape);
    }

    /** {@code value} everywhere, shape {@code dims}. */
    public static Tensor full(float value, int... dims) {
        return full(value, Shape.of(dims));
    }

    /** {@code value} everywhere, {@code shape}. */
    public static Tensor full(float value, Shape shape) {
        float[] d = new float[shape.numel()];
        if (value != 0f) Arrays.fill(d, value);
        return new Tensor(d, 0, shape, shape.contiguousStrides());
    }

    /** Zeros shaped like {@code t} (contiguous). */
    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    /** Ones shaped like {@code t}. */
    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** {@code value} everywhere, shaped like {@code t}. */
    public static Tensor fullLike(Tensor t, float value) {
        return full(value, t.shape);
    }

    /** {@code [0, 1, ..., n-1]}, shape {@code [n]}. */
    public static Tensor arange(int n) {
        if (n < 0) throw new IllegalArgumentException("Tensor.arange: negative n " + n);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return wrap(d, Shape.of(n));
    }

    /** {@code start, start + step, ...} while below {@code end} (above, for a negative step). */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0f || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end))
            throw new IllegalArgumentException("Tensor.arange: start=" + start + " end=" + end + " step=" + step
                    + " must be finite with step != 0");
        double count = Math.ceil(((double) end - start) / step);
        int n = (int) Math.max(0, Math.min(count, Integer.MAX_VALUE - 8));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + (double) i * step);
        return wrap(d, Shape.of(n));
    }

    /** The {@code n x n} identity. */
    public static Tensor eye(int n) {
        float[] d = new float[Shape.of(n, n).numel()];
        for (int i = 0; i < n; i++) d[i * n + i] = 1f;
        return wrap(d, Shape.of(n, n));
    }

    /** Standard normal samples drawn from {@code rng} in row-major order. */
    public static Tensor randn(Rng rng, int... dims) {
        Shape s = Shape.of(dims);
        float[] d = new float[s.numel()];
        rng.fillNormal(d, 0, d.length, 0f, 1f);
        return wrap(d, s);
    }

    /** Uniform samples in {@code [lo, hi)} drawn from {@code rng} in row-major order. */
    public static Tensor uniform(Rng rng, float lo, float hi, int... dims) {
        Shape s = Shape.of(dims);
        float[] d = new float[s.numel()];
        rng.fillUniform(d, 0, d.length, lo, hi);
        return wrap(d, s);
    }

    /** One-hot rows: shape {@code indices.shape + [classes]}; each index must be an integer in {@code [0, classes)}. */
    public static Tensor oneHot(Tensor indices, int classes) {
        if (classes <= 0) throw new IllegalArgumentException("Tensor.oneHot: classes " + classes + " must be > 0");
        float[] idx = indices.toArray();
        int[] dims = Arrays.copyOf(indices.shape.dims(), indices.rank() + 1);
        dims[indices.rank()] = classes;
        Shape s = Shape.of(dims);
        float[] d = new float[s.numel()];
        for (int i = 0; i < idx.length; i++) d[i * classes + checkIndex("Tensor.oneHot", idx[i], classes)] = 1f;
        return wrap(d, s);
    }

    /** One-hot rows for integer labels: shape {@code [labels.length, classes]}. */
    public static Tensor oneHot(int[] labels, int classes) {
        float[] f = new float[labels.length];
        for (int i = 0; i < labels.length; i++) f[i] = labels[i];
        return oneHot(wrap(f, Shape.of(labels.length)), classes);
    }

    // ===================================================================== access

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** Size of {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** Number of elements. */
    public int numel() {
        return shape.numel();
    }

    /** The backing array, shared, not copied: for kernels. Read only; see {@link #offset()} and {@link #strides()}. */
    public float[] data() {
        return data;
    }

    /** Index of element {@code [0, ..., 0]} in {@link #data()}. */
    public int offset() {
        return offset;
    }

    /** A copy of the strides (elements, not bytes). */
    public int[] strides() {
        return strides.clone();
    }

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
    public Tensor reshape(int... dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0)
                    throw new IllegalArgumentException("Tensor.reshape: more than one -1 in " + Arrays.toString(dims));
                infer = i;
            } else if (d[i] < 0) {
                throw new IllegalArgumentException("Tensor.reshape: negative dimension in " + Arrays.toString(dims));
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel() % known != 0)
                throw new IllegalArgumentException("Tensor.reshape: cannot infer -1 in " + Arrays.toString(dims)
                        + " for shape " + shape);
            d[infer] = (int) (numel() / known);
        }
        return reshape(Shape.of(d));
    }

    /** The same values with {@code newShape} (same element count). */
    public Tensor reshape(Shape newShape) {
        if (newShape.numel() != numel())
            throw new IllegalArgumentException("Tensor.reshape: shape " + shape + " (" + numel() + " elements) cannot become "
                    + newShape + " (" + newShape.numel() + ")");
        Tensor c = contiguous();
        return new Tensor(c.data, c.offset, newShape, newShape.contiguousStrides());
    }

    /** A 1-D view (or copy) of all elements. */
    public Tensor flatten() {
        return reshape(numel());
    }

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
    public Tensor slice(int axis, int from, int to) {
        return slice(axis, from, to, 1);
    }

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
    public Tensor broadcastTo(Shape target) {
        return expand(target.dims());
    }

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

    // ===================================================================== elementwise binary

    /** {@code this + o}, broadcast. */
    public Tensor add(Tensor o) { return binary(BinaryOp.ADD, o); }
    /** {@code this - o}, broadcast. */
    public Tensor sub(Tensor o) { return binary(BinaryOp.SUB, o); }
    /** {@code this * o}, broadcast. */
    public Tensor mul(Tensor o) { return binary(BinaryOp.MUL, o); }
    /** {@code this / o}, broadcast. */
    public Tensor div(Tensor o) { return binary(BinaryOp.DIV, o); }
    /** {@code this ^ o}, broadcast. */
    public Tensor pow(Tensor o) { return binary(BinaryOp.POW, o); }
    /** Elementwise {@code max(this, o)}, broadcast. */
    public Tensor maximum(Tensor o) { return binary(BinaryOp.MAX, o); }
    /** Elementwise {@code min(this, o)}, broadcast. */
    public Tensor minimum(Tensor o) { return binary(BinaryOp.MIN, o); }
    /** Mask {@code this > o} (1 or 0), broadcast. */
    public Tensor gt(Tensor o) { return binary(BinaryOp.GT, o); }
    /** Mask {@code this >= o}. */
    public Tensor ge(Tensor o) { return binary(BinaryOp.GE, o); }
    /** Mask {@code this < o}. */
    public Tensor lt(Tensor o) { return binary(BinaryOp.LT, o); }
    /** Mask {@code this <= o}. */
    public Tensor le(Tensor o) { return binary(BinaryOp.LE, o); }
    /** Mask {@code this == o}. */
    public Tensor eq(Tensor o) { return binary(BinaryOp.EQ, o); }

    /** {@code this + s}. */
    public Tensor add(float s) { return scalarOp(BinaryOp.ADD, s, false); }
    /** {@code this - s}. */
    public Tensor sub(float s) { return scalarOp(BinaryOp.SUB, s, false); }
    /** {@code s - this}. */
    public Tensor rsub(float s) { return scalarOp(BinaryOp.SUB, s, true); }
    /** {@code this * s}. */
    public Tensor mul(float s) { return scalarOp(BinaryOp.MUL, s, false); }
    /** {@code this / s}. */
    public Tensor div(float s) { return scalarOp(BinaryOp.DIV, s, false); }
    /** {@code s / this}. */
    public Tensor rdiv(float s) { return scalarOp(BinaryOp.DIV, s, true); }
    /** {@code this ^ s}. */
    public Tensor pow(float s) { return scalarOp(BinaryOp.POW, s, false); }
    /** {@code max(this, s)}. */
    public Tensor maximum(float s) { return scalarOp(BinaryOp.MAX, s, false); }
    /** {@code min(this, s)}. */
    public Tensor minimum(float s) { return scalarOp(BinaryOp.MIN, s, false); }
    /** Mask {@code this > s}. */
    public Tensor gt(float s) { return scalarOp(BinaryOp.GT, s, false); }
    /** Mask {@code this >= s}. */
    public Tensor ge(float s) { return scalarOp(BinaryOp.GE, s, false); }
    /** Mask {@code this < s}. */
    public Tensor lt(float s) { return scalarOp(BinaryOp.LT, s, false); }
    /** Mask {@code this <= s}. */
    public Tensor le(float s) { return scalarOp(BinaryOp.LE, s, false); }
    /** Mask {@code this == s}. */
    public Tensor eq(float s) { return scalarOp(BinaryOp.EQ, s, false); }

    private Tensor binary(BinaryOp op, Tensor o) {
        Shape out = Shape.broadcast("Tensor." + op.op, shape, o.shape);
        int n = out.numel();
        float[] r = new float[n];
        if (shape.equals(o.shape) && isContiguous() && o.isContiguous()) {
            float[] a = data, b = o.data;
            int ao = offset, bo = o.offset;
            chunked(n, (lo, len) -> op.vv(a, ao + lo, b, bo + lo, r, lo, len));
        } else if (o.numel() == 1 && shape.equals(out) && isContiguous()) {
            float s = o.data[o.offset];
            chunked(n, (lo, len) -> op.vs(data, offset + lo, s, r, lo, len));
        } else if (numel() == 1 && o.shape.equals(out) && o.isContiguous()) {
            float s = data[offset];
            chunked(n, (lo, len) -> op.sv(s, o.data, o.offset + lo, r, lo, len));
        } else {
            int[] sa = broadcastStrides(out), sb = o.broadcastStrides(out);
            float[] a = data, b = o.data;
            Strided.walk(out.dims(), new int[][] {sa, sb, out.contiguousStrides()}, new int[] {offset, o.offset, 0},
                    (offs, in, len) -> op.row(a, offs[0], in[0], b, offs[1], in[1], r, offs[2], len));
        }
        return wrap(r, out);
    }

    private Tensor scalarOp(BinaryOp op, float s, boolean scalarLeft) {
        Tensor x = contiguous();
        float[] r = new float[numel()];
        if (scalarLeft) chunked(r.length, (lo, len) -> op.sv(s, x.data, x.offset + lo, r, lo, len));
        else chunked(r.length, (lo, len) -> op.vs(x.data, x.offset + lo, s, r, lo, len));
        return wrap(r, shape);
    }

    /** Strides that read this tensor as if expanded to {@code out} (0 on broadcast dims). */
    private int[] broadcastStrides(Shape out) {
        int r = out.rank(), k = rank();
        int[] s = new int[r];
        for (int i = 0; i < k; i++) {
            int j = i + r - k;
            s[j] = shape.dim(i) == 1 ? 0 : strides[i];
        }
        return s;
    }

    /** {@code mask != 0 ? a : b}, all three broadcast together. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        Shape out = Shape.broadcast("Tensor.where", Shape.broadcast("Tensor.where", mask.shape, a.shape), b.shape);
        float[] r = new float[out.numel()];
        if (mask.shape.equals(out) && a.shape.equals(out) && b.shape.equals(out)
                && mask.isContiguous() && a.isContiguous() && b.isContiguous()) {
            chunked(r.length, (lo, len) -> Elementwise.select(mask.data, mask.offset + lo, a.data, a.offset + lo,
                    b.data, b.offset + lo, r, lo, len));
            return wrap(r, out);
        }
        float[] m = mask.data, x = a.data, y = b.data;
        Strided.walk(out.dims(),
                new int[][] {mask.broadcastStrides(out), a.broadcastStrides(out), b.broadcastStrides(out), out.contiguousStrides()},
                new int[] {mask.offset, a.offset, b.offset, 0}, (o, in, n) -> {
                    for (int i = 0; i < n; i++)
                        r[o[3] + i] = m[o[0] + i * in[0]] != 0f ? x[o[1] + i * in[1]] : y[o[2] + i * in[2]];
                });
        return wrap(r, out);
    }

    // ===================================================================== elementwise unary

    /** A kernel over {@code n} consecutive floats (a method of {@link Elementwise}). */
    @FunctionalInterface
    private interface Unary {
        void run(float[] a, int aOff, float[] out, int oOff, int n);
    }

    private Tensor unary(Unary k) {
        Tensor x = contiguous();
        float[] r = new float[numel()];
        chunked(r.length, (lo, len) -> k.run(x.data, x.offset + lo, r, lo, len));
        return wrap(r, shape);
    }

    /** {@code -x}. */
    public Tensor neg() { return unary(Elementwise::neg); }
    /** {@code e^x}. */
    public Tensor exp() { return unary(Elementwise::exp); }
    /** {@code ln x}. */
    public Tensor log() { return unary(Elementwise::log); }
    /** {@code tanh x}. */
    public Tensor tanh() { return unary(Elementwise::tanh); }
    /** {@code 1 / (1 + e^-x)}. */
    public Tensor sigmoid() { return unary(Elementwise::sigmoid); }
    /** {@code max(x, 0)}. */
    public Tensor relu() { return unary(Elementwise::relu); }
    /** {@code x > 0 ? x : e^x - 1}. */
    public Tensor elu() { return elu(1f); }
    /** {@code x > 0 ? x : alpha (e^x - 1)}. */
    public Tensor elu(float alpha) { return unary((a, ao, o, oo, n) -> Elementwise.elu(a, ao, alpha, o, oo, n)); }
    /** {@code ln(1 + e^x)}, stable: {@code max(x, 0) + log1p(e^-|x|)}. */
    public Tensor softplus() { return unary(Elementwise::softplus); }
    /** {@code x^2}. */
    public Tensor square() { return unary(Elementwise::square); }
    /** {@code sqrt x}. */
    public Tensor sqrt() { return unary(Elementwise::sqrt); }
    /** {@code |x|}. */
    public Tensor abs() { return unary(Elementwise::abs); }
    /** {@code min(max(x, lo), hi)}. */
    public Tensor clamp(float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("Tensor.clamp: lo=" + lo + " must be <= hi=" + hi);
        return unary((a, ao, o, oo, n) -> Elementwise.clamp(a, ao, lo, hi, o, oo, n));
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

    // ===================================================================== reductions

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

    /** Sum of all elements, shape {@code []}. */
    public Tensor sum() { return sum(allAxes(), false); }
    /** Sum along {@code axis}. */
    public Tensor sum(int axis) { return sum(new int[] {axis}, false); }
    /** Sum along {@code axis}, keeping it as size 1 if {@code keepDims}. */
    public Tensor sum(int axis, boolean keepDims) { return sum(new int[] {axis}, keepDims); }
    /** Sum along {@code axes}. */
    public Tensor sum(int[] axes, boolean keepDims) {
        return reduce("Tensor.sum", axes, keepDims, Reduce::sum, Elementwise::add, 0f);
    }

    /** Maximum of all elements. */
    public Tensor max() { return max(allAxes(), false); }
    /** Maximum along {@code axis}. */
    public Tensor max(int axis) { return max(new int[] {axis}, false); }
    /** Maximum along {@code axis}. */
    public Tensor max(int axis, boolean keepDims) { return max(new int[] {axis}, keepDims); }
    /** Maximum along {@code axes} ({@code -inf} over an empty axis). */
    public Tensor max(int[] axes, boolean keepDims) {
        return reduce("Tensor.max", axes, keepDims, Reduce::max, Elementwise::max, Float.NEGATIVE_INFINITY);
    }

    /** Minimum of all elements. */
    public Tensor min() { return min(allAxes(), false); }
    /** Minimum along {@code axis}. */
    public Tensor min(int axis) { return min(new int[] {axis}, false); }
    /** Minimum along {@code axis}. */
    public Tensor min(int axis, boolean keepDims) { return min(new int[] {axis}, keepDims); }
    /** Minimum along {@code axes} ({@code +inf} over an empty axis). */
    public Tensor min(int[] axes, boolean keepDims) {
        return reduce("Tensor.min", axes, keepDims, Reduce::min, Elementwise::min, Float.POSITIVE_INFINITY);
    }

    /** Mean of all elements. */
    public Tensor mean() { return mean(allAxes(), false); }
    /** Mean along {@code axis}. */
    public Tensor mean(int axis) { return mean(new int[] {axis}, false); }
    /** Mean along {@code axis}. */
    public Tensor mean(int axis, boolean keepDims) { return mean(new int[] {axis}, keepDims); }
    /** Mean along {@code axes}: {@code sum / count}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        int count = reducedCount("Tensor.mean", axes);
        return sum(axes, keepDims).div((float) count);
    }

    /** Population variance of all elements. */
    public Tensor variance() { return variance(allAxes(), false); }
    /** Population variance along {@code axis}. */
    public Tensor variance(int axis) { return variance(new int[] {axis}, false); }
    /** Population variance along {@code axis}. */
    public Tensor variance(int axis, boolean keepDims) { return variance(new int[] {axis}, keepDims); }
    /** Population variance {@code mean((x - mean x)^2)} along {@code axes} (two passes, no cancellation). */
    public Tensor variance(int[] axes, boolean keepDims) {
        reducedCount("Tensor.variance", axes);
        return sub(mean(axes, true)).square().mean(axes, keepDims);
    }

    /** {@code ln sum e^x} over all elements. */
    public Tensor logsumexp() { return logsumexp(allAxes(), false); }
    /** {@code ln sum e^x} along {@code axis}. */
    public Tensor logsumexp(int axis) { return logsumexp(new int[] {axis}, false); }
    /** {@code ln sum e^x} along {@code axis}. */
    public Tensor logsumexp(int axis, boolean keepDims) { return logsumexp(new int[] {axis}, keepDims); }
    /**
     * {@code ln sum e^x} along {@code axes}, stable: {@code m + ln sum e^(x - m)} with {@code m} the
     * maximum (taken as 0 where it is infinite, so all {@code -inf} gives {@code -inf}, not NaN).
     */
    public Tensor logsumexp(int[] axes, boolean keepDims) {
        reducedCount("Tensor.logsumexp", axes);
        Tensor m = max(axes, true);
        Tensor finite = m.abs().lt(Float.POSITIVE_INFINITY);
        Tensor shift = where(finite, m, zeros(Shape.scalar()));
        Tensor r = sub(shift).exp().sum(axes, true).log().add(shift);
        return keepDims ? r : r.reshape(reducedShape(normAxes("Tensor.logsumexp", axes), false));
    }

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
    public Tensor argmax(int axis, boolean keepDims) { return argExtreme("Tensor.argmax", axis, keepDims, true); }
    /** Index of the minimum along {@code axis}. */
    public Tensor argmin(int axis) { return argmin(axis, false); }
    /** Index of the minimum along {@code axis} (first on ties). */
    public Tensor argmin(int axis, boolean keepDims) { return argExtreme("Tensor.argmin", axis, keepDims, false); }

    /**
     * Reduces a broadcast result back to {@code target}, the shape of an operand that was broadcast
     * to this tensor's shape: sums the leading extra axes and the axes where {@code target} has 1.
     * This is the adjoint of broadcasting (the gradient of an input of a broadcast op).
     */
    public Tensor sumToShape(Shape target) {
        if (target.equals(shape)) return this;
        int r = rank(), tr = target.rank();
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
        return sum(ax, true).reshape(target);
    }

    private int[] allAxes() {
        int[] a = new int[rank()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    /** Axes normalised to {@code [0, rank)} as a mask; duplicates are an error. */
    private boolean[] normAxes(String op, int[] axes) {
        boolean[] m = new boolean[rank()];
        for (int ax : axes) {
            int a = shape.axis(ax, op);
            if (m[a]) throw new IllegalArgumentException(op + ": axis " + ax + " repeated in " + Arrays.toString(axes)
                    + " for shape " + shape);
            m[a] = true;
        }
        return m;
    }

    private int reducedCount(String op, int[] axes) {
        boolean[] m = normAxes(op, axes);
        long c = 1;
        for (int i = 0; i < m.length; i++) if (m[i]) c *= shape.dim(i);
        return (int) c;
    }

    private Shape reducedShape(boolean[] red, boolean keepDims) {
        int[] d = shape.dims();
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

    private Tensor reduce(String op, int[] axes, boolean keepDims, RowReduce rowReduce, Accumulate acc, float identity) {
        boolean[] red = normAxes(op, axes);
        Shape outShape = reducedShape(red, keepDims);
        int r = rank();
        int outer = 1, inner = 1, leading = 0;
        for (int i = 0; i < r; i++) {
            if (red[i]) inner *= shape.dim(i);
            else outer *= shape.dim(i);
        }
        while (leading < r && red[leading]) leading++;
        boolean prefix = leading > 0;
        for (int i = leading; i < r; i++) if (red[i]) prefix = false;
        float[] out = new float[outer];
        if (prefix && isContiguous() && outer > 1) {
            // Reduced axes lead ([B, N] summed over B, the bias-gradient case): accumulate whole rows.
            Arrays.fill(out, identity);
            for (int row = 0; row < inner; row++) acc.run(out, 0, data, offset + row * outer, out, 0, outer);
            return wrap(out, outShape);
        }
        int[] perm = new int[r];
        int p = 0;
        for (int i = 0; i < r; i++) if (!red[i]) perm[p++] = i;
        for (int i = 0; i < r; i++) if (red[i]) perm[p++] = i;
        Tensor x = permute(perm).contiguous();
        for (int i = 0; i < outer; i++) out[i] = inner == 0 ? identity : rowReduce.run(x.data, x.offset + i * inner, inner);
        return wrap(out, outShape);
    }

    private Tensor argExtreme(String op, int axis, boolean keepDims, boolean isMax) {
        int a = shape.axis(axis, op);
        int n = shape.dim(a);
        if (n == 0) throw new IllegalArgumentException(op + ": axis " + axis + " of shape " + shape + " is empty");
        Tensor x = moveAxisLast(a).contiguous();
        int outer = numel() / n;
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
        boolean[] red = new boolean[rank()];
        red[a] = true;
        return wrap(out, reducedShape(red, keepDims));
    }

    /** A view with {@code axis} moved to the end. */
    private Tensor moveAxisLast(int axis) {
        int r = rank();
        int[] perm = new int[r];
        for (int i = 0, j = 0; i < r; i++) if (i != axis) perm[j++] = i;
        perm[r - 1] = axis;
        return permute(perm);
    }

    /** Inverse of {@link #moveAxisLast}: moves the last axis to position {@code axis}. */
    private Tensor moveLastAxisTo(int axis) {
        int r = rank();
        int[] perm = new int[r];
        for (int i = 0, j = 0; i < r; i++) perm[i] = i == axis ? r - 1 : j++;
        return permute(perm);
    }

    // ===================================================================== matmul

    /** Matrix product over the last two axes, batch axes broadcast: {@code [..., m, k] @ [..., k, n] -> [..., m, n]}. */
    public Tensor matmul(Tensor o) {
        return matmul(o, false, false);
    }

    /**
     * {@code op(this) @ op(o)} where {@code op} transposes the last two axes when the flag is set;
     * batch axes (all but the last two) broadcast like NumPy. Runs on {@link Backends#current()};
     * transposed views are handed to the GEMM as transpose flags, not copied.
     */
    public Tensor matmul(Tensor o, boolean transA, boolean transB) {
        if (rank() < 2 || o.rank() < 2)
            throw new IllegalArgumentException("Tensor.matmul: shapes " + shape + " and " + o.shape + " need rank >= 2");
        int ar = dim(-2), ac = dim(-1), br = o.dim(-2), bc = o.dim(-1);
        int m = transA ? ac : ar, k = transA ? ar : ac, kb = transB ? bc : br, n = transB ? br : bc;
        if (k != kb)
            throw new IllegalArgumentException("Tensor.matmul: shapes " + shape + (transA ? "^T" : "") + " and " + o.shape
                    + (transB ? "^T" : "") + " have inner dimensions " + k + " != " + kb);
        Shape batch = Shape.broadcast("Tensor.matmul", Shape.of(Arrays.copyOf(shape.dims(), rank() - 2)),
                Shape.of(Arrays.copyOf(o.shape.dims(), o.rank() - 2)));
        int[] outDims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        outDims[batch.rank()] = m;
        outDims[batch.rank() + 1] = n;
        Shape outShape = Shape.of(outDims);
        float[] c = new float[outShape.numel()];
        if (c.length == 0 || k == 0) return wrap(c, outShape);
        MatView va = MatView.of(this, batch, transA), vb = MatView.of(o, batch, transB);
        Backend backend = Backends.current();
        int[] cStrides = Arrays.copyOf(outShape.contiguousStrides(), batch.rank());
        Strided.walk(batch.dims(), new int[][] {va.batchStrides, vb.batchStrides, cStrides},
                new int[] {va.t.offset, vb.t.offset, 0}, (offs, in, cnt) ->
                        backend.sgemmBatched(va.trans, vb.trans, m, n, k, 1f,
                                va.t.data, offs[0], va.ld, in[0], vb.t.data, offs[1], vb.ld, in[1],
                                0f, c, offs[2], n, in[2], cnt));
        return wrap(c, outShape);
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

    // ===================================================================== joining, splitting, indexing

    /** Joins tensors along an existing {@code axis}; all other dims must agree. */
    public static Tensor concat(int axis, Tensor... ts) {
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
        return wrap(r, out);
    }

    /** Joins tensors of one shape along a new {@code axis}. */
    public static Tensor stack(int axis, Tensor... ts) {
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

    /** Views of consecutive pieces of the given sizes along {@code axis} (sizes must add up to the dim). */
    public List<Tensor> split(int axis, int... sizes) {
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
            out.add(slice(a, pos, pos + s));
            pos += s;
        }
        return out;
    }

    /** {@code chunks} equal views along {@code axis} (the dim must divide evenly). */
    public List<Tensor> chunk(int chunks, int axis) {
        int a = shape.axis(axis, "Tensor.chunk");
        if (chunks <= 0 || shape.dim(a) % chunks != 0)
            throw new IllegalArgumentException("Tensor.chunk: axis " + axis + " of shape " + shape + " does not split into "
                    + chunks + " equal chunks");
        int[] sizes = new int[chunks];
        Arrays.fill(sizes, shape.dim(a) / chunks);
        return split(a, sizes);
    }

    /** Picks entries along {@code axis}: result axis has {@code indices.length} entries, {@code out[..i..] = this[..indices[i]..]}. */
    public Tensor take(int axis, int... indices) {
        int a = shape.axis(axis, "Tensor.take");
        Shape out = shape.with(a, indices.length);
        float[] r = new float[out.numel()];
        int[] os = out.contiguousStrides();
        int[] sub = remove(os, a);
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            if (idx < 0 || idx >= shape.dim(a))
                throw new IllegalArgumentException("Tensor.take: index " + idx + " out of range along axis " + axis
                        + " of shape " + shape);
            Tensor s = select(a, idx);
            Strided.copy(s.data, s.offset, s.shape.dims(), s.strides, r, i * os[a], sub);
        }
        return wrap(r, out);
    }

    /**
     * The adjoint of {@link #take}: zeros of {@code shape} with row {@code src[..i..]} added at
     * {@code [..indices[i]..]} along {@code axis} (repeated indices accumulate).
     */
    public static Tensor indexAdd(Shape shape, int axis, int[] indices, Tensor src) {
        int a = shape.axis(axis, "Tensor.indexAdd");
        if (!src.shape.equals(shape.with(a, indices.length)))
            throw new IllegalArgumentException("Tensor.indexAdd: src shape " + src.shape + " does not match "
                    + shape.with(a, indices.length) + " (shape " + shape + " with " + indices.length + " indices on axis " + axis + ")");
        float[] r = new float[shape.numel()];
        int[] os = shape.contiguousStrides();
        int[] sub = remove(os, a);
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
        return wrap(r, shape);
    }

    /**
     * PyTorch {@code gather}: {@code out[i][j][k] = this[index[i][j][k]][j][k]} for {@code axis = 0}
     * (likewise for other axes). {@code index} has this tensor's rank and its dims, except along
     * {@code axis} where it may have any size; its values must be integers in range.
     */
    public Tensor gather(int axis, Tensor index) {
        int a = shape.axis(axis, "Tensor.gather");
        checkIndexShape("Tensor.gather", a, index.shape, shape);
        float[] idx = index.toArray();
        float[] r = new float[idx.length];
        int[] is = index.shape.contiguousStrides();
        int n = shape.dim(a);
        forEachIndex(index.shape, (flat, pos) -> {
            int p = offset;
            for (int d = 0; d < pos.length; d++)
                p += (d == a ? checkIndex("Tensor.gather", idx[flat], n) : pos[d]) * strides[d];
            r[flat] = data[p];
        });
        return wrap(r, index.shape);
    }

    /** The adjoint of {@link #gather}: zeros of {@code shape} with {@code src} added at the gathered positions. */
    public static Tensor scatterAdd(Shape shape, int axis, Tensor index, Tensor src) {
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
        return wrap(r, shape);
    }

    /** The {@code k} largest values along {@code axis}, descending (lower index first on ties), with their indices. */
    public TopK topK(int k, int axis) {
        int a = shape.axis(axis, "Tensor.topK");
        int n = shape.dim(a);
        if (k < 0 || k > n)
            throw new IllegalArgumentException("Tensor.topK: k=" + k + " out of range for axis " + axis + " of shape " + shape);
        Tensor x = moveAxisLast(a).contiguous();
        int outer = n == 0 ? 0 : numel() / n;
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
        return new TopK(wrap(vals, s).moveLastAxisTo(a).contiguous(), wrap(inds, s).moveLastAxisTo(a).contiguous());
    }

    // ===================================================================== comparison, printing

    /** {@code |this - o| <= atol + rtol |o|} everywhere (same shape required; NaN never close). */
    public boolean allClose(Tensor o, float atol, float rtol) {
        if (!shape.equals(o.shape))
            throw new IllegalArgumentException("Tensor.allClose: shapes " + shape + " and " + o.shape + " differ");
        float[] x = toArray(), y = o.toArray();
        for (int i = 0; i < x.length; i++)
            if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i])) && x[i] != y[i]) return false;
        return true;
    }

    /** {@code Tensor[2, 3] [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}; axes longer than 6 show 3 + ... + 3 once the tensor exceeds 100 elements. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ');
        if (rank() == 0) return sb.append(data[offset]).toString();
        appendValues(sb, 0, offset, numel() > 100);
        return sb.toString();
    }

    private void appendValues(StringBuilder sb, int axis, int pos, boolean summarize) {
        int n = shape.dim(axis);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 6 && i == 3) {
                sb.append("..., ");
                i = n - 3;
            }
            if (axis == rank() - 1) sb.append(data[pos + i * strides[axis]]);
            else appendValues(sb, axis + 1, pos + i * strides[axis], summarize);
            if (i < n - 1) sb.append(", ");
        }
        sb.append(']');
    }

    // ===================================================================== helpers

    private static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    private static int checkIndex(String op, float v, int n) {
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
