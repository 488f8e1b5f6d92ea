package latte.envs;

/**
 * A small software rasteriser: anti-aliased discs, capsules, lines and oriented boxes drawn into
 * an RGB byte buffer {@code [H, W, 3]} (no AWT).
 *
 * <p>Every shape is a signed distance {@code d} (in pixels, negative inside) evaluated at pixel
 * centres inside the shape's bounding box; the coverage {@code clamp(0.5 - d, 0, 1)} is a
 * one-pixel-wide linear ramp across the edge, which is what anti-aliasing by area gives for a
 * straight edge. Colours blend as {@code c = c + (shape - c) * coverage}.
 *
 * <p>World coordinates are metres with y pointing up; {@link #view} fixes the camera: the world
 * point {@code (cx, cy)} maps to the image centre and {@code halfWidth} metres to half the
 * image width. Thin parts are drawn at least {@link #minRadiusPx} pixels thick so that a 64x64
 * frame still shows them.
 */
public final class Canvas {
    private final int width, height;
    private final byte[] px; // [H, W, 3]
    private double scale = 1, left, top;
    private double minRadiusPx = 0.75;

    public Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.px = new byte[width * height * 3];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixel buffer, {@code [H, W, 3]}, drawn in place. */
    public byte[] pixels() {
        return px;
    }

    /** Puts world point {@code (cx, cy)} at the centre with {@code halfWidth} metres to each side. */
    public Canvas view(double cx, double cy, double halfWidth) {
        scale = width / (2 * halfWidth);
        left = cx - halfWidth;
        top = cy + height / (2 * scale);
        return this;
    }

    /** Pixels per metre. */
    public double scale() {
        return scale;
    }

    /** Sets the least radius, in pixels, of capsules, discs and lines. */
    public Canvas minRadiusPx(double r) {
        minRadiusPx = r;
        return this;
    }

    /** Column coordinate (pixels, continuous; pixel i covers [i, i+1)) of world x. */
    public double u(double x) {
        return (x - left) * scale;
    }

    /** Row coordinate (pixels, continuous, downwards) of world y. */
    public double v(double y) {
        return (top - y) * scale;
    }

    /** World y of the continuous row coordinate {@code v}. */
    public double worldY(double v) {
        return top - v / scale;
    }

    /** World x of the continuous column coordinate {@code u}. */
    public double worldX(double u) {
        return left + u / scale;
    }

    public void copyFrom(byte[] background) {
        System.arraycopy(background, 0, px, 0, px.length);
    }

    /** Packs an RGB colour given in [0, 1] per channel (dm_control's material notation). */
    public static int rgb(double r, double g, double b) {
        return (to8(r) << 16) | (to8(g) << 8) | to8(b);
    }

    private static int to8(double c) {
        return (int) Math.round(Math.max(0, Math.min(1, c)) * 255);
    }

    /** Sets one pixel (no blending); for backgrounds. */
    public void set(int x, int y, int rgb) {
        int i = (y * width + x) * 3;
        px[i] = (byte) (rgb >> 16);
        px[i + 1] = (byte) (rgb >> 8);
        px[i + 2] = (byte) rgb;
    }

    /** Fills the whole canvas with one colour. */
    public void fill(int rgb) {
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) set(x, y, rgb);
    }

    /** A disc of world radius {@code r} centred at {@code (x, y)}. */
    public void disc(double x, double y, double r, int rgb) {
        capsule(x, y, x, y, r, rgb);
    }

    /** A capsule (segment a-b swept by a disc of world radius {@code r}). */
    public void capsule(double ax, double ay, double bx, double by, double r, int rgb) {
        capsulePx(u(ax), v(ay), u(bx), v(by), Math.max(r * scale, minRadiusPx), rgb);
    }

    /** A line of {@code widthPx} pixels with round caps. */
    public void line(double ax, double ay, double bx, double by, double widthPx, int rgb) {
        capsulePx(u(ax), v(ay), u(bx), v(by), Math.max(widthPx / 2, minRadiusPx), rgb);
    }

    /**
     * Capsule in pixel coordinates. Distance to the segment: {@code t = clamp((p-a).(b-a) /
     * |b-a|^2, 0, 1)}, {@code d = |p - a - t (b-a)| - r}.
     */
    void capsulePx(double ax, double ay, double bx, double by, double r, int rgb) {
        int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - r - 1));
        int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(ax, bx) + r + 1));
        int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - r - 1));
        int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(ay, by) + r + 1));
        if (x0 > x1 || y0 > y1) return;
        double dx = bx - ax, dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double inv = len2 > 1e-12 ? 1 / len2 : 0;
        double rOut = r + 0.5, rOut2 = rOut * rOut;
        double rIn = Math.max(0, r - 0.5), rIn2 = rIn * rIn;
        int cr = (rgb >> 16) & 0xff, cg = (rgb >> 8) & 0xff, cb = rgb & 0xff;
        for (int y = y0; y <= y1; y++) {
            double py = y + 0.5 - ay;
            for (int x = x0; x <= x1; x++) {
                double pxx = x + 0.5 - ax;
                double t = (pxx * dx + py * dy) * inv;
                t = t < 0 ? 0 : (t > 1 ? 1 : t);
                double ex = pxx - t * dx, ey = py - t * dy;
                double e2 = ex * ex + ey * ey;
                if (e2 >= rOut2) continue;
                if (e2 <= rIn2) {
                    put(x, y, cr, cg, cb);
                } else {
                    blend(x, y, cr, cg, cb, (float) (r + 0.5 - Math.sqrt(e2)));
                }
            }
        }
    }

    /**
     * A box with half sizes {@code (hx, hy)} (world), centre {@code (x, y)}, rotated by
     * {@code angle} radians counter-clockwise. Distance of a box: {@code q = |p_local| - h},
     * {@code d = |max(q, 0)| + min(max(qx, qy), 0)}.
     */
    public void box(double x, double y, double hx, double hy, double angle, int rgb) {
        double cu = u(x), cv = v(y);
        double hu = Math.max(hx * scale, minRadiusPx), hv = Math.max(hy * scale, minRadiusPx);
        double c = Math.cos(angle), s = Math.sin(angle);
        double ext = Math.abs(c) * hu + Math.abs(s) * hv + 1, eyt = Math.abs(s) * hu + Math.abs(c) * hv + 1;
        int x0 = Math.max(0, (int) Math.floor(cu - ext)), x1 = Math.min(width - 1, (int) Math.ceil(cu + ext));
        int y0 = Math.max(0, (int) Math.floor(cv - eyt)), y1 = Math.min(height - 1, (int) Math.ceil(cv + eyt));
        int cr = (rgb >> 16) & 0xff, cg = (rgb >> 8) & 0xff, cb = rgb & 0xff;
        for (int yy = y0; yy <= y1; yy++) {
            // image rows grow downwards: world angle a is -a in pixel space
            double py = yy + 0.5 - cv;
            for (int xx = x0; xx <= x1; xx++) {
                double pxx = xx + 0.5 - cu;
                double lx = Math.abs(c * pxx - s * py) - hu;
                double ly = Math.abs(s * pxx + c * py) - hv;
                double ox = Math.max(lx, 0), oy = Math.max(ly, 0);
                double d = Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(lx, ly), 0);
                if (d >= 0.5) continue;
                if (d <= -0.5) put(xx, yy, cr, cg, cb);
                else blend(xx, yy, cr, cg, cb, (float) (0.5 - d));
            }
        }
    }

    private void put(int x, int y, int r, int g, int b) {
        int i = (y * width + x) * 3;
        px[i] = (byte) r;
        px[i + 1] = (byte) g;
        px[i + 2] = (byte) b;
    }

    private void blend(int x, int y, int r, int g, int b, float a) {
        int i = (y * width + x) * 3;
        int or = px[i] & 0xff, og = px[i + 1] & 0xff, ob = px[i + 2] & 0xff;
        px[i] = (byte) (or + Math.round((r - or) * a));
        px[i + 1] = (byte) (og + Math.round((g - og) * a));
        px[i + 2] = (byte) (ob + Math.round((b - ob) * a));
    }

    // ---- backgrounds (drawn once per task, then copied under every frame) ----

    /** dm_control's skybox: a vertical gradient from {@code (.4, .6, .8)} at the top to dark. */
    public void sky() {
        for (int y = 0; y < height; y++) {
            double t = 0.85 - 0.5 * (y + 0.5) / height;
            int c = rgb(0.4 * t, 0.6 * t, 0.8 * t);
            for (int x = 0; x < width; x++) set(x, y, c);
        }
    }

    /**
     * A checkered floor seen from the side below world height {@code floorY}: the grid colours
     * of dm_control ({@code (.1,.2,.3)} and {@code (.2,.3,.4)}), stripes {@code cell} metres wide
     * that shrink towards the horizon so the floor reads as a plane.
     */
    public void sideFloor(double floorY, double cell) {
        int c1 = rgb(0.1, 0.2, 0.3), c2 = rgb(0.2, 0.3, 0.4);
        int start = (int) Math.max(0, Math.ceil(v(floorY) - 0.5));
        for (int y = start; y < height; y++) {
            double depth = (y + 0.5 - v(floorY)) / scale; // metres below the horizon line
            int band = (int) Math.floor(Math.log1p(depth / cell * 4) * 3);
            for (int x = 0; x < width; x++) {
                double wx = worldX(x + 0.5);
                int col = (int) Math.floor(wx / cell);
                set(x, y, ((col + band) & 1) == 0 ? c1 : c2);
            }
        }
    }

    /** A checkered floor seen from above with {@code cell}-metre squares (dm_control's grid). */
    public void topFloor(double cell) {
        int c1 = rgb(0.1, 0.2, 0.3), c2 = rgb(0.2, 0.3, 0.4);
        for (int y = 0; y < height; y++) {
            int row = (int) Math.floor(worldY(y + 0.5) / cell);
            for (int x = 0; x < width; x++) {
                int col = (int) Math.floor(worldX(x + 0.5) / cell);
                set(x, y, ((row + col) & 1) == 0 ? c1 : c2);
            }
        }
    }
}
