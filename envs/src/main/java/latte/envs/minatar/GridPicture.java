package latte.envs.minatar;

/**
 * Paints a MinAtar grid as RGB (MINATAR.md, "Rendering to RGB"): the colour index of a cell is
 * the highest channel set there plus 1 (0 = background, black); the picture is the 10x10 grid
 * upscaled by nearest neighbour to {@code width x height}.
 *
 * <p>The palette: black followed by {@code C} colours of the cubehelix scheme (start 0.5,
 * rotation -1.5, hue 1, gamma 1) at the interior points {@code i / (C + 1)}, {@code i = 1..C}.
 * The scheme is sampled through a 256-entry table, as a colour map is: point {@code t} picks
 * entry {@code k = floor(256 t)}, which holds the cubehelix colour at {@code k / 255}; each
 * component is rounded to the nearest of 0..255. This reproduces the page's reference colours.
 */
public final class GridPicture {
    private final int channels, width, height;
    private final int[] palette; // packed RGB, index 0 = background
    private final int[] cellOfRow, cellOfColumn; // nearest-neighbour source cell of each pixel
    private final int[] colour = new int[MinAtarGame.SIZE * MinAtarGame.SIZE];

    public GridPicture(int channels, int width, int height) {
        if (channels < 1) throw new IllegalArgumentException("GridPicture: channels = " + channels + ", expected >= 1");
        if (width < 1 || height < 1) throw new IllegalArgumentException("GridPicture: size " + width + "x" + height + ", expected >= 1 per side");
        this.channels = channels;
        this.width = width;
        this.height = height;
        this.palette = palette(channels);
        this.cellOfRow = nearest(height);
        this.cellOfColumn = nearest(width);
    }

    /** Black, then {@code n} cubehelix colours (packed {@code 0xRRGGBB}). */
    public static int[] palette(int n) {
        int[] p = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            double t = (double) i / (n + 1);
            int k = Math.min(255, (int) (t * 256));
            p[i] = cubehelix(k / 255.0);
        }
        return p;
    }

    /** Green's (2011) cubehelix colour at lightness {@code l} in [0, 1], start 0.5, rotation -1.5, hue 1, gamma 1. */
    static int cubehelix(double l) {
        double phi = 2 * Math.PI * (0.5 / 3 - 1.5 * l);
        double amp = l * (1 - l) / 2, c = Math.cos(phi), s = Math.sin(phi);
        double r = l + amp * (-0.14861 * c + 1.78277 * s);
        double g = l + amp * (-0.29227 * c - 0.90649 * s);
        double b = l + amp * (1.97294 * c);
        return (to8(r) << 16) | (to8(g) << 8) | to8(b);
    }

    private static int to8(double v) {
        return (int) Math.floor(Math.min(1, Math.max(0, v)) * 255 + 0.5);
    }

    /** Pixel {@code p} of {@code n} samples the cell under its centre: {@code floor((p + 0.5) * 10 / n)}. */
    private static int[] nearest(int n) {
        int[] cell = new int[n];
        for (int p = 0; p < n; p++) cell[p] = (2 * p + 1) * MinAtarGame.SIZE / (2 * n);
        return cell;
    }

    /** Paints {@code cells} ({@code [10, 10, C]}, HWC) into {@code out} ({@code [height, width, 3]}). */
    public void paint(byte[] cells, byte[] out) {
        if (cells.length != colour.length * channels) {
            throw new IllegalArgumentException("GridPicture: grid has " + cells.length + " cells, expected " + colour.length * channels);
        }
        if (out.length != width * height * 3) {
            throw new IllegalArgumentException("GridPicture: buffer has " + out.length + " bytes, expected " + width * height * 3);
        }
        for (int cell = 0, i = 0; cell < colour.length; cell++, i += channels) {
            int top = 0;
            for (int c = channels - 1; c >= 0; c--) {
                if (cells[i + c] != 0) {
                    top = c + 1;
                    break;
                }
            }
            colour[cell] = palette[top];
        }
        int o = 0;
        for (int py = 0; py < height; py++) {
            int rowStart = cellOfRow[py] * MinAtarGame.SIZE;
            if (py > 0 && cellOfRow[py] == cellOfRow[py - 1]) { // same cells as the row above
                System.arraycopy(out, o - width * 3, out, o, width * 3);
                o += width * 3;
                continue;
            }
            for (int px = 0; px < width; px++) {
                int rgb = colour[rowStart + cellOfColumn[px]];
                out[o++] = (byte) (rgb >> 16);
                out[o++] = (byte) (rgb >> 8);
                out[o++] = (byte) rgb;
            }
        }
    }
}
