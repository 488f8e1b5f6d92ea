package latte.autodiff;

import java.util.Arrays;

/** Shape arithmetic for the ops: sizes, NumPy broadcasting, axis normalisation, index maps. */
final class Shapes {
    private Shapes() {}

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 elements");
        return (int) n;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** NumPy broadcasting: align trailing dims; each pair equal or one of them 1. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * For every element of {@code out} (row-major), the flat index of the element of {@code in}
     * that broadcasting maps to it. {@code in} must broadcast to {@code out}.
     */
    static int[] broadcastIndex(int[] in, int[] out) {
        int r = out.length;
        int[] inStr = new int[r];
        int[] s = strides(in);
        for (int i = 0; i < in.length; i++) {
            int j = i + r - in.length;
            inStr[j] = in[i] == 1 ? 0 : s[i];
        }
        return stridedIndex(out, inStr);
    }

    /**
     * For every element of a row-major iteration over {@code out}, the flat source index
     * {@code sum_d ctr[d] * strides[d]} (strides may be 0 for broadcast or permuted for permute).
     */
    static int[] stridedIndex(int[] out, int[] strides) {
        int r = out.length, n = size(out);
        int[] idx = new int[n];
        int[] ctr = new int[r];
        int cur = 0;
        for (int k = 0; k < n; k++) {
            idx[k] = cur;
            for (int d = r - 1; d >= 0; d--) { // odometer increment
                if (++ctr[d] < out[d]) {
                    cur += strides[d];
                    break;
                }
                cur -= strides[d] * (out[d] - 1);
                ctr[d] = 0;
            }
        }
        return idx;
    }

    /** Normalises a possibly negative axis against {@code rank}. */
    static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        return a;
    }

    /** The shape with the given axes set to 1 (the keep-dims shape of a reduction). */
    static int[] reduced(String op, int[] shape, int... axes) {
        int[] r = shape.clone();
        if (axes.length == 0) Arrays.fill(r, 1);
        for (int ax : axes) r[axis(op, ax, shape.length)] = 1;
        return r;
    }

    /** Drops the axes that {@link #reduced} set to 1. */
    static int[] squeeze(int[] shape, int[] keep, int... axes) {
        boolean[] drop = new boolean[shape.length];
        if (axes.length == 0) Arrays.fill(drop, true);
        for (int ax : axes) drop[ax < 0 ? ax + shape.length : ax] = true;
        int n = 0;
        for (boolean d : drop) if (!d) n++;
        int[] out = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) if (!drop[i]) out[j++] = keep[i];
        return out;
    }
}
