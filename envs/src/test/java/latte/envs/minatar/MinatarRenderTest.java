package latte.envs.minatar;

import static latte.envs.minatar.Scripted.randint;
import static org.assertj.core.api.Assertions.assertThat;

import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Frame;
import org.junit.jupiter.api.Test;

/** MINATAR.md, "Rendering to RGB": palette, colour index, nearest-neighbour upscaling. */
class MinatarRenderTest {

    private static String hex(int[] palette) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < palette.length; i++) sb.append(i > 1 ? " " : "").append(String.format("#%06x", palette[i]));
        return sb.toString();
    }

    @Test
    void paletteIsBlackThenTheCubehelixColoursOfThePage() {
        assertThat(GridPicture.palette(4)[0]).isZero();
        assertThat(hex(GridPicture.palette(4))).isEqualTo("#163d4e #54792f #d07e93 #c1caf3");
        assertThat(hex(GridPicture.palette(6))).isEqualTo("#1a2441 #1b6145 #697b30 #c87b7c #cda2e0 #c6e1f1");
        assertThat(hex(GridPicture.palette(7))).isEqualTo("#1b1e3b #16534c #447731 #a1794a #d484a9 #c6b4ee #cbe8f0");
        assertThat(hex(GridPicture.palette(10)))
                .isEqualTo("#19122b #17344c #185b48 #3c7632 #7e7a36 #bc7967 #d486af #caa9e7 #c2d2f3 #d6f0ef");
    }

    private static int rgb(Frame f, int y, int x) {
        return f.at(y, x, 0) << 16 | f.at(y, x, 1) << 8 | f.at(y, x, 2);
    }

    @Test
    void aCellTakesTheColourOfItsHighestChannel() {
        byte[] cells = new byte[10 * 10 * 4];
        cells[(2 * 10 + 3) * 4 + 0] = 1; // (2, 3): channels 0 and 2 -> colour 3
        cells[(2 * 10 + 3) * 4 + 2] = 1;
        cells[(9 * 10 + 9) * 4 + 0] = 1; // (9, 9): channel 0 -> colour 1
        byte[] out = new byte[10 * 10 * 3];
        new GridPicture(4, 10, 10).paint(cells, out);
        Frame f = new Frame(10, 10, 3, out);
        assertThat(rgb(f, 2, 3)).isEqualTo(0xd07e93);
        assertThat(rgb(f, 9, 9)).isEqualTo(0x163d4e);
        assertThat(rgb(f, 0, 0)).isZero();
    }

    @Test
    void upscalingTakesTheCellUnderEachPixelCentre() {
        byte[] cells = new byte[10 * 10];
        cells[0] = 1; // cell (0, 0)
        cells[9 * 10 + 9] = 1; // cell (9, 9)
        byte[] out = new byte[64 * 64 * 3];
        new GridPicture(1, 64, 64).paint(cells, out);
        Frame f = new Frame(64, 64, 3, out);
        int c = GridPicture.palette(1)[1];
        assertThat(c).isNotZero();
        // pixel p shows cell floor((p + 0.5) * 10 / 64): cell 0 covers pixels 0..5, cell 9 pixels 58..63
        assertThat(rgb(f, 5, 5)).isEqualTo(c);
        assertThat(rgb(f, 6, 5)).isZero();
        assertThat(rgb(f, 5, 6)).isZero();
        assertThat(rgb(f, 58, 58)).isEqualTo(c);
        assertThat(rgb(f, 57, 63)).isZero();
        int covered = 0;
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) if (rgb(f, y, x) == c) covered++;
        assertThat(covered).isEqualTo(6 * 6 + 6 * 6);
    }

    @Test
    void renderPaintsTheCurrentGridAtTheRequestedSize() {
        Breakout b = new Breakout(MinAtar.Options.defaults(), 80, 48);
        Scripted.reset(b, randint(0, 2, 0));
        Frame f = b.render();
        assertThat(new int[] {f.height(), f.width()}).containsExactly(48, 80);
        // paddle (9, 4): rows floor((p + .5) * 10 / 48) = 9 for p 43..47, columns 32..39 for 80 wide
        assertThat(rgb(f, 46, 35)).isEqualTo(0x163d4e);
        assertThat(rgb(f, 12, 40)).isEqualTo(0xc1caf3); // a brick on row 2
        assertThat(rgb(f, 16, 4)).isEqualTo(0xc1caf3); // (3, 0) holds ball, trail and brick: the brick (highest) wins
        assertThat(rgb(f, 30, 4)).isZero(); // (6, 0): background
        byte[] buf = new byte[80 * 48 * 3];
        b.renderInto(buf);
        assertThat(buf).isEqualTo(f.data());
        assertThat(b.render()).isEqualTo(f);
    }

    @Test
    void pixelOptionRendersEveryStep() {
        Env env = MinAtar.make("MinAtar/SpaceInvaders", MinAtar.Options.defaults().withStickyActions(0), Envs.Options.defaults().withPixels(true));
        Frame first = env.reset(0).observation().frame();
        assertThat(new int[] {first.height(), first.width(), first.channels()}).containsExactly(64, 64, 3);
        // the cannon (9, 5): pixels 58..63 x 32..38 take colour 1 of C = 6
        assertThat(rgb(first, 60, 35)).isEqualTo(0x1a2441);
        assertThat(rgb(first, 60, 20)).isZero();
        Frame next = env.step(new float[] {1}).observation().frame(); // left: the cannon moves to column 4
        assertThat(rgb(next, 60, 28)).isEqualTo(0x1a2441);
        assertThat(rgb(next, 60, 35)).isZero();
    }
}
