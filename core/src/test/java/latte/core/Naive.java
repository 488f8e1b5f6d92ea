package latte.core;

import java.util.function.Consumer;

/** Straightforward index arithmetic, the reference the tensor tests compare against. */
final class Naive {
    private Naive() {}

    /** Row-major flat position of {@code idx} in {@code dims}. */
    static int flat(int[] dims, int[] idx) {
        int p = 0;
        for (int d = 0; d < dims.length; d++) p = p * dims[d] + idx[d];
        return p;
    }

    /** Calls {@code f} with every multi-index of {@code dims} in row-major order (the array is reused). */
    static void forEach(int[] dims, Consumer<int[]> f) {
        long n = 1;
        for (int d : dims) n *= d;
        int[] idx = new int[dims.length];
        for (long t = 0; t < n; t++) {
            f.accept(idx);
            for (int d = dims.length - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) break;
                idx[d] = 0;
            }
        }
    }

    /** Values of {@code t} read one by one through {@link Tensor#get}. */
    static float[] values(Tensor t) {
        float[] out = new float[t.numel()];
        int[] k = {0};
        forEach(t.shape().dims(), idx -> out[k[0]++] = t.get(idx.clone()));
        return out;
    }

    /** A tensor of distinct, easily recognised values {@code 0.5 * flat - 3}. */
    static Tensor ramp(int... dims) {
        Shape s = Shape.of(dims);
        float[] d = new float[s.numel()];
        for (int i = 0; i < d.length; i++) d[i] = 0.5f * i - 3f;
        return Tensor.of(d, dims);
    }
}
