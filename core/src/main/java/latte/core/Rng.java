package latte.core;

/**
 * A seeded, splittable pseudo-random generator: xoshiro256** (Blackman and Vigna) seeded through
 * SplitMix64. Every random choice in Latte takes one explicitly, so a seed reproduces a run.
 *
 * <p>{@link #split()} draws a fresh 64-bit seed from this stream and seeds a new generator from it
 * through SplitMix64: the child is a deterministic function of the parent's state, and its stream is
 * statistically independent of the parent's continuation. Not thread-safe: give each thread its own
 * split.
 */
public final class Rng {
    private long s0, s1, s2, s3;
    private double spareNormal;
    private boolean hasSpare;

    /** A generator whose whole stream is determined by {@code seed}. */
    public Rng(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L; s0 = mix(x);
        x += 0x9E3779B97F4A7C15L; s1 = mix(x);
        x += 0x9E3779B97F4A7C15L; s2 = mix(x);
        x += 0x9E3779B97F4A7C15L; s3 = mix(x);
    }

    /** SplitMix64's finaliser (Stafford variant 13). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** An independent generator derived deterministically from this one (advances this stream once). */
    public Rng split() {
        return new Rng(nextLong() ^ 0x5DEECE66DL * 0x2545F4914F6CDD1DL);
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** 32 uniformly random bits. */
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in {@code [0, 1)} with 24 random bits (every float of the form {@code k / 2^24}). */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code [lo, hi)}. */
    public float uniform(float lo, float hi) {
        if (!(lo <= hi))
            throw new IllegalArgumentException("Rng.uniform: lo=" + lo + " must be <= hi=" + hi);
        float v = lo + (hi - lo) * nextFloat();
        return v < hi ? v : Math.nextDown(hi);
    }

    /** A uniform integer in {@code [0, bound)} without modulo bias (Lemire's multiply-shift with rejection). */
    public int integers(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("Rng.integers: bound " + bound + " must be > 0");
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A uniform integer in {@code [lo, hi)}. */
    public int integers(int lo, int hi) {
        if (lo >= hi) throw new IllegalArgumentException("Rng.integers: lo=" + lo + " must be < hi=" + hi);
        return lo + integers(hi - lo);
    }

    /** True with probability {@code p}. */
    public boolean bernoulli(double p) {
        return nextDouble() < p;
    }

    /**
     * A standard normal sample (polar Box-Muller / Marsaglia in {@code double}; the second value of
     * each pair is kept for the next call).
     */
    public float normal() {
        return (float) nextGaussian();
    }

    /** A normal sample with mean {@code mean} and standard deviation {@code std}. */
    public float normal(float mean, float std) {
        return (float) (mean + std * nextGaussian());
    }

    private double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareNormal = v * f;
        hasSpare = true;
        return u * f;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    public int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("Rng.permutation: negative n " + n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = integers(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Fills {@code a[off, off+n)} with normal samples of mean {@code mean} and std {@code std}. */
    public void fillNormal(float[] a, int off, int n, float mean, float std) {
        for (int i = 0; i < n; i++) a[off + i] = normal(mean, std);
    }

    /** Fills {@code a[off, off+n)} with uniform samples in {@code [lo, hi)}. */
    public void fillUniform(float[] a, int off, int n, float lo, float hi) {
        if (!(lo <= hi))
            throw new IllegalArgumentException("Rng.fillUniform: lo=" + lo + " must be <= hi=" + hi);
        for (int i = 0; i < n; i++) {
            float v = lo + (hi - lo) * nextFloat();
            a[off + i] = v < hi ? v : Math.nextDown(hi);
        }
    }
}
