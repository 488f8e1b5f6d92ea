package latte.envs.perturb;

import latte.envs.Env;
import latte.envs.Frame;

/**
 * Rotates the hue of every pixel by {@code degrees}: the RGB vector is rotated about the grey
 * axis {@code (1, 1, 1) / sqrt 3} (Rodrigues' formula), so greys stay grey, brightness
 * {@code r + g + b} is kept before clipping, and red turns towards green for positive angles.
 * <pre>
 *   [r']   [a b c] [r]     a = cos t + (1 - cos t) / 3
 *   [g'] = [c a b] [g]     b = (1 - cos t) / 3 - sin t / sqrt 3
 *   [b']   [b c a] [b]     c = (1 - cos t) / 3 + sin t / sqrt 3
 * </pre>
 * each result rounded to the nearest integer and clipped to 0..255. At 120 degrees this is
 * the exact channel permutation {@code (r, g, b) -> (b, r, g)}. A colour change keeps every
 * shape in place: the task is the same, only its look is new.
 */
public final class ColourShift extends VisualPerturbation {
    private final double degrees;
    private final double a, b, c;

    public ColourShift(Env inner, int at, double degrees) {
        super(inner, at);
        if (!Double.isFinite(degrees) || Math.abs(degrees) > 360) {
            throw new IllegalArgumentException("ColourShift: hue rotation " + degrees + " degrees, expected a value in [-360, 360]");
        }
        this.degrees = degrees;
        double t = Math.toRadians(degrees), cos = Math.cos(t), sin = Math.sin(t);
        this.a = cos + (1 - cos) / 3;
        this.b = (1 - cos) / 3 - sin / Math.sqrt(3);
        this.c = (1 - cos) / 3 + sin / Math.sqrt(3);
    }

    @Override
    public String kind() {
        return "colour";
    }

    @Override
    public double magnitude() {
        return degrees;
    }

    /** The rotated colour of one pixel, {@code {r', g', b'}} in 0..255. */
    public int[] apply(int r, int g, int bl) {
        return new int[] {channel(a, b, c, r, g, bl), channel(c, a, b, r, g, bl), channel(b, c, a, r, g, bl)};
    }

    private static int channel(double x, double y, double z, int r, int g, int bl) {
        return clamp8(Math.round(x * r + y * g + z * bl));
    }

    @Override
    protected Frame alter(Frame f) {
        byte[] in = f.data(), out = new byte[in.length];
        for (int i = 0; i < in.length; i += 3) {
            int r = in[i] & 0xff, g = in[i + 1] & 0xff, bl = in[i + 2] & 0xff;
            out[i] = (byte) channel(a, b, c, r, g, bl);
            out[i + 1] = (byte) channel(c, a, b, r, g, bl);
            out[i + 2] = (byte) channel(b, c, a, r, g, bl);
        }
        return new Frame(f.height(), f.width(), f.channels(), out);
    }
}
