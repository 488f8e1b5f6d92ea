package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions over {@code n} consecutive floats of a raw array. The SIMD kernels keep
 * {@link Simd#LANES} partial sums (in two vector accumulators to hide FMA latency), combine them in
 * a fixed order and then add the scalar tail, per block of {@link #BLOCK} floats whose totals are
 * added in double: the result depends only on the data and the vector width, never on timing. Their scalar references in {@link Scalar} sum left to right in
 * {@code double}; tests bound the difference.
 */
public final class Reduce {
    private static final VectorSpecies<Float> F = Simd.F;

    private Reduce() {}

    /**
     * Elements per block: inside a block the vector accumulators run in float; block totals are
     * added in double, so the error grows with the block size, not with {@code n} (a 2^20-float sum
     * stays within a few float ulps).
     */
    static final int BLOCK = 2048;

    /** {@code sum_i a[i]}. */
    public static float sum(float[] a, int off, int n) {
        double total = 0;
        for (int b = 0; b < n; b += BLOCK) total += sumBlock(a, off + b, Math.min(BLOCK, n - b));
        return (float) total;
    }

    private static float sumBlock(float[] a, int off, int n) {
        int i = 0, l = F.length(), end2 = n - n % (2 * l), end = F.loopBound(n);
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        for (; i < end2; i += 2 * l) {
            s0 = s0.add(FloatVector.fromArray(F, a, off + i));
            s1 = s1.add(FloatVector.fromArray(F, a, off + i + l));
        }
        for (; i < end; i += l) s0 = s0.add(FloatVector.fromArray(F, a, off + i));
        float s = sumLanes(s0.add(s1));
        for (; i < n; i++) s += a[off + i];
        return s;
    }

    /** {@code sum_i a[i]^2}. */
    public static float sumSquares(float[] a, int off, int n) {
        return dot(a, off, a, off, n);
    }

    /** {@code sum_i a[i] b[i]}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double total = 0;
        for (int k = 0; k < n; k += BLOCK) total += dotBlock(a, aOff + k, b, bOff + k, Math.min(BLOCK, n - k));
        return (float) total;
    }

    private static float dotBlock(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0, l = F.length(), end2 = n - n % (2 * l), end = F.loopBound(n);
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        for (; i < end2; i += 2 * l) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = FloatVector.fromArray(F, a, aOff + i + l).fma(FloatVector.fromArray(F, b, bOff + i + l), s1);
        }
        for (; i < end; i += l)
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
        float s = sumLanes(s0.add(s1));
        for (; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    /**
     * The lanes of {@code v} added left to right. {@code reduceLanes(ADD)} may add them in any
     * order, and the interpreter's order differs from the JIT's, so a result would depend on
     * whether the caller had been compiled yet: the same seed could give two results.
     */
    static float sumLanes(FloatVector v) {
        float s = v.lane(0);
        for (int j = 1; j < v.length(); j++) s += v.lane(j);
        return s;
    }

    /** {@code max_i a[i]}; {@code -inf} for {@code n == 0}; NaN if any element is NaN. */
    public static float max(float[] a, int off, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < end; i += F.length()) m = m.max(FloatVector.fromArray(F, a, off + i));
        float s = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) s = Math.max(s, a[off + i]);
        return s;
    }

    /** {@code min_i a[i]}; {@code +inf} for {@code n == 0}; NaN if any element is NaN. */
    public static float min(float[] a, int off, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector m = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        for (; i < end; i += F.length()) m = m.min(FloatVector.fromArray(F, a, off + i));
        float s = m.reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) s = Math.min(s, a[off + i]);
        return s;
    }

    /**
     * {@code db (+)= column sums of the [rows, cols] matrix at dy} (a bias gradient), in a fixed
     * order that depends on the shape only.
     */
    public static void sumRows(float[] dy, int dyOff, int rows, int cols, float[] db, int dbOff, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(db, dbOff, dbOff + cols, 0f);
        int L = Simd.LANES;
        if (cols >= L || rows < L) {
            for (int r = 0; r < rows; r++) Conv2d.addInto(dy, dyOff + r * cols, db, dbOff, cols);
            return;
        }
        // Narrow rows (a 3-channel image): a call per row would cost more than its adds. Sum the
        // flat array in blocks of L rows = cols whole vectors; lane j of vector v then always
        // holds column (v*L + j) % cols, so the lanes fold into the columns at the end.
        int blocks = rows / L, block = cols * L;
        float[] acc = Scratch.get(Scratch.BIAS, block);
        java.util.Arrays.fill(acc, 0, block, 0f);
        for (int bk = 0, src = dyOff; bk < blocks; bk++, src += block)
            for (int v = 0; v < block; v += L)
                FloatVector.fromArray(Simd.F, acc, v).add(FloatVector.fromArray(Simd.F, dy, src + v)).intoArray(acc, v);
        for (int i = 0; i < block; i++) db[dbOff + i % cols] += acc[i];
        for (int r = blocks * L; r < rows; r++) Conv2d.addInto(dy, dyOff + r * cols, db, dbOff, cols);
    }

    /** Scalar references, summing left to right in {@code double}. */
    public static final class Scalar {
        private Scalar() {}

        public static float sum(float[] a, int off, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) s += a[off + i];
            return (float) s;
        }

        public static float sumSquares(float[] a, int off, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) s += (double) a[off + i] * a[off + i];
            return (float) s;
        }

        public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
            return (float) s;
        }

        public static float max(float[] a, int off, int n) {
            float s = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) s = Math.max(s, a[off + i]);
            return s;
        }

        public static float min(float[] a, int off, int n) {
            float s = Float.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) s = Math.min(s, a[off + i]);
            return s;
        }
    }
}
