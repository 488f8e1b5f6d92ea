package latte.autodiff;

import java.util.Arrays;
import latte.core.Shape;
import latte.core.Tensor;

/**
 * A node of the computation: a value (contiguous row-major floats), its accumulated gradient,
 * and whether gradients flow to it.
 *
 * <p>Values are read-only by convention once a Var exists (ops may share a value array, e.g.
 * {@link ShapeOps#reshape}); the only writers are the {@link ParamStore} (optimiser, checkpoint load)
 * and {@link GradCheck} (perturbing inputs). The value and gradient may be views into larger
 * arrays at an offset: every parameter is a view into its store's flat arrays.
 *
 * <p>The gradient of a non-parameter is allocated on first accumulation, so inference and
 * constants never allocate one.
 */
public final class Var {
    // Package-private: the ops, the tape and the parameter store work on the raw arrays.
    float[] data;
    final int off;
    final int[] shape;
    final int size;
    float[] grad;
    int goff;
    boolean requiresGrad;                  // not final: ParamStore.trainable(false) freezes parameters
    /** The tape this Var was recorded on (null for leaves and unrecorded results). */
    Tape tape;
    /** The store this Var is a parameter of (null otherwise): its gradient goes to the thread's shard there. */
    ParamStore store;
    private String name;

    Var(float[] data, int off, int[] shape, boolean requiresGrad) {
        this.data = data;
        this.off = off;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.requiresGrad = requiresGrad;
        if ((long) off + size > data.length)
            throw new IllegalArgumentException("Var: shape " + Shapes.str(shape) + " needs " + size
                    + " floats from offset " + off + ", array has " + data.length);
    }

    /** A constant (no gradient) holding {@code data} (not copied) with the given shape. */
    public static Var of(float[] data, int... shape) {
        return new Var(data, 0, shape.clone(), false);
    }

    /** A constant holding the values of {@code t} (shared when contiguous, else copied). */
    public static Var of(Tensor t) {
        Tensor c = t.contiguous();
        return new Var(c.data(), c.offset(), c.shape().dims(), false);
    }

    /** A leaf receiving a gradient, holding a copy of {@code t}. */
    public static Var leaf(Tensor t) {
        return new Var(t.toArray(), 0, t.shape().dims(), true);
    }

    /** A leaf that receives a gradient: a free input for {@link GradCheck} or a one-off parameter. */
    public static Var leaf(float[] data, int... shape) {
        return new Var(data, 0, shape.clone(), true);
    }

    /** A rank-0 constant. */
    public static Var scalar(float v) {
        return new Var(new float[] {v}, 0, new int[0], false);
    }

    /** A constant of zeros. */
    public static Var zeros(int... shape) {
        return new Var(new float[Shapes.size(shape)], 0, shape.clone(), false);
    }

    /** A constant filled with {@code v}. */
    public static Var full(float v, int... shape) {
        float[] d = new float[Shapes.size(shape)];
        Arrays.fill(d, v);
        return new Var(d, 0, shape.clone(), false);
    }

    /** Sets a debugging name (shown in error messages); returns this. */
    public Var named(String name) {
        this.name = name;
        return this;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int size() {
        return size;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The single element of a one-element Var. */
    public float item() {
        if (size != 1) throw new IllegalArgumentException("item: Var of shape " + Shapes.str(shape) + " has " + size + " elements, expected 1");
        return data[off];
    }

    /** Element at a flat (row-major) index. */
    public float at(int flat) {
        if (flat < 0 || flat >= size) throw new IndexOutOfBoundsException("at: " + flat + " of " + size);
        return data[off + flat];
    }

    /** The value as a {@link Tensor} (shares the array when this Var owns all of it, else a copy). */
    public Tensor value() {
        return Tensor.wrap(off == 0 && data.length == size ? data : toArray(), Shape.of(shape));
    }

    /** The accumulated gradient as a {@link Tensor} (a copy; zeros if none reached this Var). */
    public Tensor gradTensor() {
        return Tensor.wrap(gradArray(), Shape.of(shape));
    }

    /** A copy of the value. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, off, off + size);
    }

    /** A copy of the accumulated gradient (zeros if none has reached this Var). */
    public float[] gradArray() {
        return grad == null ? new float[size] : Arrays.copyOfRange(grad, goff, goff + size);
    }

    /** Whether any gradient has been accumulated into this Var. */
    public boolean hasGrad() {
        return grad != null;
    }

    /**
     * Gradient buffer, allocated (zeros) on first use; accumulate at {@code goff}. A parameter's
     * is its store's buffer for the shard this thread is running ({@link ParamStore#shard}).
     */
    float[] g() {
        if (store != null) return store.shardGrads();
        if (grad == null) {
            grad = new float[size];
            goff = 0;
        }
        return grad;
    }

    /**
     * A constant (no gradient) view of rows {@code [r0, r1)} along the first axis, sharing this
     * Var's array: the inputs of a loss on part of an earlier result, without a copy.
     */
    public Var constantRows(int r0, int r1) {
        if (rank() < 1 || r0 < 0 || r1 > shape[0] || r0 > r1)
            throw new IllegalArgumentException("constantRows: rows [" + r0 + ", " + r1 + ") of " + Shapes.str(shape));
        int[] s = shape.clone();
        s[0] = r1 - r0;
        return new Var(data, off + r0 * (size / Math.max(1, shape[0])), s, false);
    }

    /** A constant view of the same value: gradients do not flow through it. */
    Var detachedView() {
        return new Var(data, off, shape, false);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name == null ? "Var" : name).append(Shapes.str(shape));
        if (size <= 8) sb.append(Arrays.toString(toArray()));
        return sb.toString();
    }
}
