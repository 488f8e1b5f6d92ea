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
     *
     * <p>The noise takes 16 bits per value, four values per {@link Rng#nextLong()}: a training
     * batch holds millions of pixels, and a 1/65536 grid inside a bin of width 2^-bits is as good
     * as a continuous uniform here.
     */
    public static void preprocess(byte[] src, int srcOff, int n, int bits, Rng rng, float[] dst, int dstOff) {
        if (bits < 1 || bits > 8) throw new IllegalArgumentException("Frames.preprocess: bit depth " + bits + " not in 1..8");
        int shift = 8 - bits;
        float bins = 1 << bits, width = 1f / bins;
        if (rng == null) {
            for (int i = 0; i < n; i++) dst[dstOff + i] = ((src[srcOff + i] & 0xff) >> shift) / bins + 0.5f * width - 0.5f;
            return;
        }
        float step = width * 0x1.0p-16f;
        long r = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 3) == 0) r = rng.nextLong();
            float u = ((int) (r & 0xffff) + 0.5f) * step;                        // in (0, width)
            r >>>= 16;
            dst[dstOff + i] = ((src[srcOff + i] & 0xff) >> shift) / bins + u - 0.5f;
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
