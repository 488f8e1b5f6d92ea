package latte.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The risk task: wind only in the strip, the straight way riskier than the detour, the strip drawn. */
class WindyPointMassTest {

    private static WindyPointMass task() {
        return (WindyPointMass) Envs.task("point-mass-windy", 64, 64);
    }

    /** The states of a run from {@code start} under a constant action, with the wind drawn from episode seed {@code seed}. */
    private static List<double[]> run(long seed, double[] start, float[] action, int steps) {
        WindyPointMass t = task();
        t.reset(seed);
        t.setPhysicsState(start);
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            t.step(action);
            out.add(t.physicsState());
        }
        return out;
    }

    @Test
    void theWindBlowsOnlyInsideTheStrip() {
        // along the bottom, right of the start, and up through the gap: calm, so every seed gives the same trajectory
        double[] bottom = {-0.25, -0.2, 0, 0}, gap = {0.2, -0.25, 0, 0};
        assertThat(run(1, bottom, new float[] {1, 0}, 300)).usingRecursiveComparison().isEqualTo(run(2, bottom, new float[] {1, 0}, 300));
        List<double[]> up = run(1, gap, new float[] {0, 1}, 500);
        assertThat(up).usingRecursiveComparison().isEqualTo(run(2, gap, new float[] {0, 1}, 500));
        assertThat(up.get(499)[1]).isEqualTo(WindyPointMass.RANGE); // it crossed the strip's height and reached the top wall
        // straight up from the start: the strip is crossed and the seeds part
        double[] start = {0, -0.2, 0, 0};
        List<double[]> a = run(1, start, new float[] {0, 1}, 300), b = run(2, start, new float[] {0, 1}, 300);
        int firstDifference = -1;
        for (int k = 0; k < a.size() && firstDifference < 0; k++) if (!Arrays.equals(a.get(k), b.get(k))) firstDifference = k;
        assertThat(firstDifference).isPositive();
        assertThat(a.get(firstDifference - 1)[1]).as("the last common state is at the strip's edge").isBetween(WindyPointMass.STRIP_BOTTOM, WindyPointMass.STRIP_TOP);
    }

    @Test
    void theWindIsZeroMeanWithTheStatedSpreadInsideAndZeroOutside() {
        WindyPointMass t = task();
        t.reset(4);
        double sum = 0, sum2 = 0;
        int n = 4000;
        for (int k = 0; k < n; k++) {
            t.setPhysicsState(new double[] {-0.1, 0, 0, 0}); // hold it in the strip
            t.step(new float[] {0, 0});
            double w = t.lastWind()[k % 2];
            sum += w;
            sum2 += w * w;
        }
        double mean = sum / n, sd = Math.sqrt(sum2 / n - mean * mean);
        assertThat(mean).isCloseTo(0, within(5 * WindyPointMass.WIND / Math.sqrt(n)));
        assertThat(sd).isCloseTo(WindyPointMass.WIND, within(0.05 * WindyPointMass.WIND));
        t.setPhysicsState(new double[] {0.2, 0, 0, 0}); // in the gap, at the strip's height
        t.step(new float[] {0, 0});
        assertThat(t.lastWind()).containsExactly(0, 0);
        assertThat(WindyPointMass.inStrip(0.1, 0)).isTrue();
        assertThat(WindyPointMass.inStrip(0.13, 0)).isFalse();
        assertThat(WindyPointMass.inStrip(0, 0.07)).isFalse();
    }

    private static float clip(double v) {
        return (float) Math.max(-1, Math.min(1, v));
    }

    /**
     * The return of one episode (1000 steps) of a proportional controller towards the target,
     * straight or through the waypoints of the detour (right of the strip).
     */
    private static double episode(Env env, long seed, boolean detour) {
        double[][] waypoints = detour ? new double[][] {{0.21, -0.12}, {0.21, 0.12}, {0, 0.2}} : new double[][] {{0, 0.2}};
        float[] o = env.reset(seed).observation().state();
        int wp = 0;
        double ret = 0;
        Step s;
        do {
            if (wp < waypoints.length - 1 && Math.hypot(o[0] - waypoints[wp][0], o[1] - waypoints[wp][1]) < 0.03) wp++;
            double gx = waypoints[wp][0], gy = waypoints[wp][1];
            s = env.step(new float[] {clip(20 * (gx - o[0]) - 2 * o[2]), clip(20 * (gy - o[1]) - 2 * o[3])});
            ret += s.reward();
            o = s.observation().state();
        } while (!s.done());
        return ret;
    }

    @Test
    void theStraightWayHasTheHigherMeanButTheWorseTailOfReturns() {
        Env env = Envs.make("point-mass-windy");
        int n = 50;
        double[] straight = new double[n], detour = new double[n];
        for (int i = 0; i < n; i++) {
            straight[i] = episode(env, i, false);
            detour[i] = episode(env, i, true);
        }
        double sdStraight = sd(straight), sdDetour = sd(detour);
        assertThat(sdStraight).as("spread of the straight way's returns vs the detour's").isGreaterThan(3 * sdDetour);
        assertThat(mean(straight)).isGreaterThan(mean(detour));
        assertThat(cvar(straight, 0.1)).as("mean of the worst 10%").isLessThan(cvar(detour, 0.1));
        assertThat(mean(detour)).as("the detour reaches the target").isGreaterThan(500);
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElseThrow();
    }

    private static double sd(double[] x) {
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }

    private static double cvar(double[] x, double alpha) {
        double[] y = x.clone();
        Arrays.sort(y);
        int k = (int) Math.ceil(alpha * y.length);
        return Arrays.stream(y, 0, k).average().orElseThrow();
    }

    @Test
    void theStripIsDrawnWhereTheWindBlows() {
        Env env = Envs.make("point-mass-windy", Envs.Options.defaults().withPixels(true));
        Frame f = env.reset(0).observation().frame();
        int sr = (WindyPointMass.STRIP_RGB >> 16) & 0xff, sg = (WindyPointMass.STRIP_RGB >> 8) & 0xff, sb = WindyPointMass.STRIP_RGB & 0xff;
        // 100 px per metre, world (0, 0) at pixel (32, 32): pixel (row r, col c) has its centre at ((c + .5) / 100 - .32, .32 - (r + .5) / 100)
        int inStrip = 0, outside = 0;
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 64; c++) {
                boolean strip = f.at(r, c, 0) == sr && f.at(r, c, 1) == sg && f.at(r, c, 2) == sb;
                double x = (c + 0.5) / 100 - 0.32, y = 0.32 - (r + 0.5) / 100;
                if (strip && WindyPointMass.inStrip(x, y)) inStrip++;
                if (strip && !WindyPointMass.inStrip(x, y)) outside++;
            }
        }
        // the strip is 0.41 m x 0.12 m inside the walls (about 41 x 12 px); the streaks and the left wall cover part of it
        assertThat(inStrip).isGreaterThan(380);
        assertThat(outside).isZero();
        assertThat(f.at(27, 52, 0)).as("the gap is floor").isNotEqualTo(sr);
        // the mass, drawn over the strip, hides part of it and nothing else changes
        WindyPointMass t = task();
        t.setPhysicsState(new double[] {-0.1, 0, 0, 0});
        Frame over = t.render();
        int changed = 0;
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 64; c++) {
                if (over.at(r, c, 0) != f.at(r, c, 0) || over.at(r, c, 1) != f.at(r, c, 1) || over.at(r, c, 2) != f.at(r, c, 2)) changed++;
            }
        }
        assertThat(changed).as("pixels of the mass at its start and over the strip").isBetween(4, 40);
    }
}
