package latte.core;

import java.util.Arrays;

/**
 * The dimensions of a tensor, immutable. A rank-0 shape {@code []} is a scalar with one element.
 * Negative axes count from the end ({@code -1} is the last), as in NumPy.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0], 1);

    private final int[] dims;
    private final int numel;

    private Shape(int[] dims, int numel) {
        this.dims = dims;
        this.numel = numel;
    }

    /** A shape with the given dimensions; each must be {@code >= 0} and the product must fit an int. */
    public static Shape of(int... dims) {
        if (dims.length == 0) return SCALAR;
        long n = 1;
        for (int d : dims) {
            if (d < 0)
                throw new IllegalArgumentException("Shape.of: negative dimension " + d + " in " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("Shape.of: " + Arrays.toString(dims)
                        + " has more than " + (Integer.MAX_VALUE - 8) + " elements (the most a float[] holds)");
        }
        return new Shape(dims.clone(), (int) n);
    }

    /** The rank-0 shape {@code []}. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return dims[axis(axis, "Shape.dim")];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements (1 for a scalar). */
    public int numel() {
        return numel;
    }

    /** Row-major (C order) strides of a contiguous tensor of this shape. */
    public int[] contiguousStrides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /**
     * The shape {@code dims} for a reshape of this shape's elements, one {@code -1} in {@code dims}
     * inferred from the element count; {@code op} names the caller in the error.
     */
    Shape inferReshape(String op, int... dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": more than one -1 in " + Arrays.toString(dims));
                infer = i;
            } else if (d[i] < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in " + Arrays.toString(dims));
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0)
                throw new IllegalArgumentException(op + ": cannot infer -1 in " + Arrays.toString(dims) + " for shape " + this);
            d[infer] = (int) (numel / known);
        }
        return of(d);
    }

    /** {@code axis} normalised into {@code [0, rank)}; {@code op} names the caller in the error. */
    public int axis(int axis, String op) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length)
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + this
                    + " (rank " + dims.length + ")");
        return a;
    }

    /**
     * The NumPy broadcast of two shapes: align trailing dimensions; each pair must be equal or one
     * of them 1.
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) return a;
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " do not broadcast (dimension " + i + " of the result: " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return of(out);
    }

    /** This shape with {@code axis} replaced by {@code size}. */
    public Shape with(int axis, int size) {
        int[] d = dims.clone();
        d[axis(axis, "Shape.with")] = size;
        return of(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [3, 4]}; {@code []} for a scalar. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
