package latte.envs.perturb;

import latte.envs.Env;
import latte.envs.Frame;

/**
 * Paints a square of one colour over every frame: a sticker on the lens. The square covers
 * columns {@code left .. left + size - 1} and rows {@code top .. top + size - 1} (pixels, row 0
 * at the top) and must lie inside the render size of the environment; with stacked frames
 * every frame of the stack is covered.
 */
public final class Occlusion extends VisualPerturbation {
    /** The default patch colour: mid grey, a colour none of the tasks draws. */
    public static final int GREY = 0x808080;

    private final int left, top, size, rgb;
    private final double fraction;

    /**
     * @param rgb packed {@code 0xRRGGBB}
     */
    public Occlusion(Env inner, int at, int left, int top, int size, int rgb) {
        this(inner, at, left, top, size, rgb, Double.NaN);
    }

    private Occlusion(Env inner, int at, int left, int top, int size, int rgb, double fraction) {
        super(inner, at);
        int[] hw = inner.unwrapped().renderSize();
        if (size < 1 || left < 0 || top < 0 || left + size > hw[1] || top + size > hw[0]) {
            throw new IllegalArgumentException("Occlusion: a " + size + "x" + size + " patch at column " + left + ", row " + top
                    + " is not inside the " + hw[1] + "x" + hw[0] + " frame; expected size >= 1, 0 <= left <= " + hw[1]
                    + " - size, 0 <= top <= " + hw[0] + " - size");
        }
        if ((rgb & ~0xFFFFFF) != 0) throw new IllegalArgumentException("Occlusion: colour " + Integer.toHexString(rgb) + ", expected 0xRRGGBB");
        this.left = left;
        this.top = top;
        this.size = size;
        this.rgb = rgb;
        this.fraction = Double.isNaN(fraction) ? (double) size / Math.min(hw[0], hw[1]) : fraction;
    }

    /**
     * A grey square in the middle of the frame whose side is {@code fraction} of the frame's
     * shorter side (at least one pixel).
     */
    public static Occlusion centred(Env inner, int at, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("Occlusion: side " + fraction + " of the frame, expected a fraction in (0, 1]");
        }
        int[] hw = inner.unwrapped().renderSize();
        int size = Math.max(1, (int) Math.round(fraction * Math.min(hw[0], hw[1])));
        return new Occlusion(inner, at, (hw[1] - size) / 2, (hw[0] - size) / 2, size, GREY, fraction);
    }

    @Override
    public String kind() {
        return "occlude";
    }

    /** The side as a fraction of the frame's shorter side. */
    @Override
    public double magnitude() {
        return fraction;
    }

    public int left() {
        return left;
    }

    public int top() {
        return top;
    }

    public int size() {
        return size;
    }

    public int rgb() {
        return rgb;
    }

    /** Whether pixel (row {@code y}, column {@code x}) lies under the patch. */
    public boolean covers(int y, int x) {
        return y >= top && y < top + size && x >= left && x < left + size;
    }

    @Override
    protected Frame alter(Frame f) {
        if (f.height() < top + size || f.width() < left + size) {
            throw new IllegalStateException("Occlusion: frame " + f.width() + "x" + f.height() + " is smaller than the patch's extent");
        }
        byte[] out = f.data().clone();
        int ch = f.channels();
        byte r = (byte) (rgb >> 16), g = (byte) (rgb >> 8), b = (byte) rgb;
        for (int y = top; y < top + size; y++) {
            for (int x = left; x < left + size; x++) {
                int i = (y * f.width() + x) * ch;
                for (int k = 0; k < ch; k += 3) {
                    out[i + k] = r;
                    out[i + k + 1] = g;
                    out[i + k + 2] = b;
                }
            }
        }
        return new Frame(f.height(), f.width(), ch, out);
    }
}
