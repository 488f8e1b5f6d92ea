package latte.envs;

import java.util.Arrays;

/** The set of actions or observations of an {@link Env}: a box with bounds, or n choices. */
public sealed interface Space permits Space.Box, Space.Discrete {

    /** Number of floats in one action or observation ({@code 1} for a discrete action). */
    int size();

    /**
     * Checks an action against this space: right length, finite, and for a discrete space an
     * integer index in range. Throws an {@link IllegalArgumentException} that names the
     * environment ({@code owner}) and the problem. Box bounds are not enforced.
     */
    default void checkAction(String owner, float[] action) {
        if (action == null) throw new IllegalArgumentException(owner + ": action is null, expected " + this);
        if (action.length != size()) {
            throw new IllegalArgumentException(owner + ": action has length " + action.length + ", expected " + size() + " for " + this);
        }
        for (int i = 0; i < action.length; i++) {
            if (!Float.isFinite(action[i])) {
                throw new IllegalArgumentException(owner + ": action[" + i + "] = " + action[i] + ", expected a finite value for " + this);
            }
        }
        if (this instanceof Discrete d) {
            float a = action[0];
            if (a != Math.rint(a) || a < 0 || a >= d.n()) {
                throw new IllegalArgumentException(owner + ": discrete action " + a + ", expected an integer index in [0, " + (d.n() - 1) + "]");
            }
        }
    }

    /**
     * A box {@code low <= x <= high} of the given shape (row-major; {@code [H, W, C]} for pixels).
     * Bounds may be infinite.
     */
    record Box(float[] low, float[] high, int[] shape) implements Space {
        public Box {
            long n = 1;
            for (int d : shape) {
                if (d <= 0) throw new IllegalArgumentException("Box: shape " + Arrays.toString(shape) + " has a non-positive dimension");
                n *= d;
            }
            if (low.length != n || high.length != n) {
                throw new IllegalArgumentException("Box: shape " + Arrays.toString(shape) + " needs " + n
                        + " bounds, got low " + low.length + ", high " + high.length);
            }
            for (int i = 0; i < n; i++) {
                if (!(low[i] <= high[i])) throw new IllegalArgumentException("Box: low[" + i + "] = " + low[i] + " > high[" + i + "] = " + high[i]);
            }
        }

        /** A 1-D box. */
        public static Box of(float[] low, float[] high) {
            return new Box(low, high, new int[] {low.length});
        }

        /** A box of the given shape with the same bounds everywhere. */
        public static Box uniform(float low, float high, int... shape) {
            int n = 1;
            for (int d : shape) n *= d;
            float[] lo = new float[n], hi = new float[n];
            Arrays.fill(lo, low);
            Arrays.fill(hi, high);
            return new Box(lo, hi, shape.clone());
        }

        @Override
        public int size() {
            return low.length;
        }

        /** Whether {@code x} has the right size and lies inside the bounds. */
        public boolean contains(float[] x) {
            if (x.length != low.length) return false;
            for (int i = 0; i < x.length; i++) if (!(x[i] >= low[i] && x[i] <= high[i])) return false;
            return true;
        }

        @Override
        public String toString() {
            int n = Math.min(low.length, 8);
            boolean same = true;
            for (int i = 1; i < low.length; i++) same &= low[i] == low[0] && high[i] == high[0];
            String bounds;
            if (same) {
                bounds = "[" + fmt(low[0]) + ", " + fmt(high[0]) + "]";
            } else {
                StringBuilder sb = new StringBuilder("low=[");
                for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(fmt(low[i]));
                sb.append(low.length > n ? ", ...]" : "]").append(" high=[");
                for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(fmt(high[i]));
                bounds = sb.append(high.length > n ? ", ...]" : "]").toString();
            }
            return "Box" + Arrays.toString(shape) + " " + bounds;
        }

        private static String fmt(float v) {
            if (v == Float.POSITIVE_INFINITY) return "inf";
            if (v == Float.NEGATIVE_INFINITY) return "-inf";
            if (v == Math.rint(v) && Math.abs(v) < 1e6) return Integer.toString((int) v);
            return String.format(java.util.Locale.ROOT, "%.4g", v);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Box b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high) && Arrays.equals(shape, b.shape);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(low) + Arrays.hashCode(high)) + Arrays.hashCode(shape);
        }
    }

    /** Actions {@code 0, 1, ..., n-1}, passed to {@code step} as {@code new float[] {index}}. */
    record Discrete(int n) implements Space {
        public Discrete {
            if (n <= 0) throw new IllegalArgumentException("Discrete: n = " + n + ", expected n >= 1");
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public String toString() {
            return "Discrete(" + n + ")";
        }
    }
}
