package latte.core.kernels;

/**
 * Per-thread scratch arrays that the conv and GRU kernels reuse from call to call, so a kernel
 * call allocates nothing once its buffers have grown to the largest shape seen on that thread.
 *
 * <p>Each slot is one array per calling thread; a kernel takes its slot once per call and does not
 * call another kernel that takes the same slot while it holds it. Parallel workers write into the
 * caller's arrays (disjoint ranges), they never take their own.
 */
final class Scratch {
    /** im2col / col2im matrices of {@link Conv2d} and {@link ConvTranspose2d}. */
    static final int COL = 0;
    /** GRU gate pre-activations and their gradients. */
    static final int GRU = 1;
    /** The transposed weight gradient of {@link Conv2d}'s backward-weight. */
    static final int WEIGHT = 2;
    /** Lane accumulators of {@link Conv2d}'s bias gradient for narrow rows. */
    static final int BIAS = 3;
    /** The transposed output gradient of {@link ConvDirect#backwardWeight}. */
    static final int DIRECT = 4;
    /** The transposed weight of {@link ConvImplicit#backwardInput}. */
    static final int IMPLICIT = 5;
    private static final int SLOTS = 6;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    private Scratch() {}

    /** An array of at least {@code size} floats with unspecified contents. */
    static float[] get(int slot, int size) {
        float[][] arrays = ARRAYS.get();
        if (arrays[slot].length < size) arrays[slot] = new float[size];
        return arrays[slot];
    }
}
