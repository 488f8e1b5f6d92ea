package latte.models.nets;

import latte.core.Rng;

/**
 * Observation preprocessing (PlaNet, appendix A): reduce to {@code bits} bits, centre, and
 * dequantise.
 * <pre>
 *   x' = floor(x / 2^(8 - bits)) / 2^bits + u - 0.5,    u ~ U(0, 2^-bits)   (training)
 *                                                      u = 2^-(bits+1)     (acting: the bin centre)
 * </pre>
 * and the inverse for pictures.
 */
public final class Frames {
    private Frames() {}

    /**
     * Converts {@code n} uint8 values from {@code src[srcOff..]} into {@code dst[dstOff..]}.
     * With {@code rng == null} the deterministic bin centre is used instead of noise.
     */
    public static void preprocess(byte[] src, int srcOff, int n, int bits, Rng rng, float[] dst, int dstOff) {
        if (bits < 1 || bits > 8) throw new IllegalArgumentException("Frames.preprocess: bit depth " + bits + " not in 1..8");
        int shift = 8 - bits;
        float bins = 1 << bits, width = 1f / bins;
        for (int i = 0; i < n; i++) {
            float q = ((src[srcOff + i] & 0xff) >> shift) / bins;
            float u = rng == null ? 0.5f * width : rng.nextFloat() * width;
            dst[dstOff + i] = q + u - 0.5f;
        }
    }

    /** Maps a model image (centred, about [-0.5, 0.5]) back to uint8 pixels for pictures. */
    public static void postprocess(float[] src, int srcOff, int n, byte[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            float v = (src[srcOff + i] + 0.5f) * 255f;
            dst[dstOff + i] = (byte) Math.round(Math.max(0f, Math.min(255f, Float.isNaN(v) ? 0f : v)));
        }
    }
}
