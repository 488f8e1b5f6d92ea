package latte.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The rasteriser draws what the state says, where the camera says. */
class RenderTest {

    /** Centroid (column, row) of the pixels that differ between two frames and match colour c in a. */
    private static double[] centroidOfChange(Frame a, Frame b, int rgb) {
        double sx = 0, sy = 0, n = 0;
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, bl = rgb & 0xff;
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                boolean differs = a.at(y, x, 0) != b.at(y, x, 0) || a.at(y, x, 1) != b.at(y, x, 1) || a.at(y, x, 2) != b.at(y, x, 2);
                boolean colour = a.at(y, x, 0) == r && a.at(y, x, 1) == g && a.at(y, x, 2) == bl;
                if (differs && colour) {
                    sx += x + 0.5;
                    sy += y + 0.5;
                    n++;
                }
            }
        }
        assertThat(n).as("changed pixels of the body's colour").isGreaterThan(0);
        return new double[] {sx / n, sy / n};
    }

    @Test
    void cartpolePoleFollowsItsAngle() {
        Cartpole c = new Cartpole("cartpole-swingup", true, false, 96, 96);
        for (double th : new double[] {0.3, 1.2, 2.5, -0.7, -2.0}) {
            for (double x : new double[] {0, 0.9}) {
                c.setPhysicsState(new double[] {x, th, 0, 0});
                Frame a = c.render();
                c.setPhysicsState(new double[] {x, th + Math.PI, 0, 0});
                Frame b = c.render();
                double[] got = centroidOfChange(a, b, Palette.SELF);
                // the part of the pole outside the cart: centroid of the segment from where it leaves
                // the cart box to the tip, approximated by the pole's far 80 %
                double scale = 96 / (2 * Cartpole.VIEW_HALF);
                double mid = 0.6;
                double ex = (x + mid * Math.sin(th) + Cartpole.VIEW_HALF) * scale;
                double ey = (96 / (2 * scale) + 1 - (1 + mid * Math.cos(th))) * scale;
                assertThat(Math.hypot(got[0] - ex, got[1] - ey)).as("theta " + th + ", x " + x).isLessThan(0.12 * scale + 1.5);
                // and the direction from the hinge matches the angle
                double hu = (x + Cartpole.VIEW_HALF) * scale, hv = 96 / 2.0;
                double angle = Math.atan2(got[0] - hu, hv - got[1]);
                assertThat(Math.abs(Math.IEEEremainder(angle - th, 2 * Math.PI))).as("theta " + th).isLessThan(0.12);
            }
        }
    }

    @Test
    void cartMovesWithItsPosition() {
        Cartpole c = new Cartpole("cartpole-swingup", true, false, 64, 64);
        c.setPhysicsState(new double[] {-1, Math.PI, 0, 0});
        Frame left = c.render();
        c.setPhysicsState(new double[] {1, Math.PI, 0, 0});
        Frame right = c.render();
        assertThat(left).isNotEqualTo(right);
        double[] l = centroidOfChange(left, right, Palette.SELF), r = centroidOfChange(right, left, Palette.SELF);
        assertThat(r[0] - l[0]).isCloseTo(2 * 64 / (2 * Cartpole.VIEW_HALF), within(1.0)); // 2 m apart
        assertThat(r[1]).isCloseTo(l[1], within(0.5));
    }

    @Test
    void pendulumMassSitsAtTheTipForEveryAngle() {
        PendulumSwingup p = new PendulumSwingup(64, 64);
        double scale = 64 / 1.4;
        for (double th = -3; th < 3.2; th += 0.5) {
            p.setPhysicsState(new double[] {th, 0});
            Frame a = p.render();
            p.setPhysicsState(new double[] {th + Math.PI, 0});
            Frame b = p.render();
            double[] got = centroidOfChange(a, b, Palette.EFFECTOR);
            double eu = (0.5 * Math.sin(th) + 0.7) * scale, ev = 32 - 0.5 * Math.cos(th) * scale;
            assertThat(Math.hypot(got[0] - eu, got[1] - ev)).as("theta " + th).isLessThan(1.0);
        }
    }

    @Test
    void everyTaskRendersTheRequestedSizeAndChangesWithTheState() {
        for (String name : Envs.names()) {
            if (name.startsWith("MinAtar/")) continue; // no physical state: minatar.MinatarRenderTest
            Task t = Envs.task(name, 80, 48);
            t.reset(3);
            Frame a = t.render();
            assertThat(a.height()).isEqualTo(48);
            assertThat(a.width()).isEqualTo(80);
            assertThat(a.channels()).isEqualTo(3);
            assertThat(t.render()).isEqualTo(a); // rendering has no side effects
            double[] s = t.physicsState();
            s[0] += 0.4; // every task's first state entry is a position or an angle
            t.setPhysicsState(s);
            assertThat(t.render()).as(name).isNotEqualTo(a);
            byte[] buf = new byte[80 * 48 * 3];
            t.renderInto(buf);
            assertThat(buf).isEqualTo(t.render().data());
        }
    }

    @Test
    void antiAliasedDiscCoversItsArea() {
        Canvas c = new Canvas(40, 40).view(0, 0, 20); // 1 px per metre
        c.fill(0);
        c.disc(0.3, -0.2, 7.5, 0xffffff);
        double covered = 0;
        for (byte v : c.pixels()) covered += (v & 0xff) / 255.0;
        assertThat(covered / 3).isCloseTo(Math.PI * 7.5 * 7.5, within(1.5));
        c.fill(0);
        c.box(0, 0, 5, 3, 0.5, 0xffffff); // area 10 x 6, rotated
        covered = 0;
        for (byte v : c.pixels()) covered += (v & 0xff) / 255.0;
        assertThat(covered / 3).isCloseTo(60, within(1.5));
    }
}
