package latte.envs.perturb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import latte.envs.ActionRepeat;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.FrameStack;
import latte.envs.Frame;
import latte.envs.PixelObservation;
import latte.envs.Reset;
import latte.envs.Space;
import latte.envs.Step;
import latte.envs.TimeLimit;
import org.junit.jupiter.api.Test;

/** Colour shift, occlusion and pixel noise: untouched before the onset, the expected change after it. */
class PerturbVisualTest {
    private static final Envs.Options PIXELS = Envs.Options.defaults().withPixels(true);

    /** One episode's observations, reset first, under actions drawn from a fixed stream. */
    private static List<Frame> frames(Env env, long seed, int steps) {
        List<Frame> out = new ArrayList<>();
        out.add(env.reset(seed).observation().frame());
        SplittableRandom r = new SplittableRandom(99);
        int n = ((Space.Box) env.actionSpec()).size();
        for (int t = 0; t < steps; t++) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1);
            out.add(env.step(a).observation().frame());
        }
        return out;
    }

    @Test
    void everyVisualPerturbationIsBitIdenticalBeforeItsStepAndChangesEveryFrameFromIt() {
        int at = 6;
        for (String name : List.of("colour", "occlude", "noise")) {
            Env clean = Envs.make("cartpole-swingup", PIXELS);
            Perturbation p = Perturbations.of(name, name.equals("colour") ? 90 : name.equals("occlude") ? 0.3 : 8, at)
                    .apply(Envs.make("cartpole-swingup", PIXELS));
            SplittableRandom r = new SplittableRandom(5);
            Reset c0 = clean.reset(3), p0 = p.reset(3);
            assertThat(p0).isEqualTo(c0);
            assertThat(p.active()).isFalse();
            for (int t = 1; t <= 12; t++) {
                float[] a = {(float) r.nextDouble(-1, 1)};
                Step cs = clean.step(a), ps = p.step(a);
                assertThat(p.elapsed()).isEqualTo(t);
                assertThat(p.active()).as(name + " step " + t).isEqualTo(t >= at);
                assertThat(Perturbations.active(p)).isEqualTo(t >= at);
                assertThat(ps.reward()).isEqualTo(cs.reward());
                assertThat(ps.info()).isEqualTo(cs.info());
                if (t < at) {
                    assertThat(ps).as(name + " step " + t).isEqualTo(cs);
                    assertThat(p.render()).isEqualTo(clean.render());
                } else {
                    assertThat(ps.observation()).as(name + " step " + t).isNotEqualTo(cs.observation());
                    assertThat(p.render()).isNotEqualTo(clean.render());
                }
            }
            // a new episode starts clean again
            assertThat(p.reset(4)).isEqualTo(clean.reset(4));
            assertThat(p.active()).isFalse();
        }
    }

    @Test
    void atZeroPerturbsTheResetObservation() {
        Perturbation p = Perturbations.of("occlude", 0.5, 0).apply(Envs.make("pendulum-swingup", PIXELS));
        Frame f = p.reset(0).observation().frame();
        assertThat(p.active()).isTrue();
        assertThat(f.at(32, 32, 0)).isEqualTo(0x80);
    }

    @Test
    void colourShiftRotatesAKnownPixelAsComputedByHand() {
        // (200, 100, 50) by 60 degrees: a = 2/3, b = -1/3, c = 2/3
        //   r' = 2/3 200 - 1/3 100 + 2/3 50 = 133.3;  g' = 2/3 200 + 2/3 100 - 1/3 50 = 183.3;  b' = -1/3 200 + 2/3 100 + 2/3 50 = 33.3
        Env flat = new Flat(0xC86432, 16, 8);
        ColourShift s60 = new ColourShift(flat, 0, 60);
        s60.reset(0);
        Frame f = s60.render();
        assertThat(new int[] {f.at(3, 5, 0), f.at(3, 5, 1), f.at(3, 5, 2)}).containsExactly(133, 183, 33);
        // by 120 degrees the rotation is the permutation (r, g, b) -> (b, r, g); red goes to green
        Frame g = new ColourShift(new Flat(0xC86432, 16, 8), 0, 120).render();
        assertThat(new int[] {g.at(0, 0, 0), g.at(0, 0, 1), g.at(0, 0, 2)}).containsExactly(50, 200, 100);
        Frame red = new ColourShift(new Flat(0xFF0000, 8, 8), 0, 120).render();
        assertThat(new int[] {red.at(0, 0, 0), red.at(0, 0, 1), red.at(0, 0, 2)}).containsExactly(0, 255, 0);
        // greys are on the axis: unchanged by any angle
        Frame grey = new ColourShift(new Flat(0x4D4D4D, 8, 8), 0, 37).render();
        assertThat(new int[] {grey.at(7, 7, 0), grey.at(7, 7, 1), grey.at(7, 7, 2)}).containsExactly(77, 77, 77);
        // -60 undoes +60 up to rounding
        Frame back = new ColourShift(new ColourShift(new Flat(0xC86432, 8, 8), 0, 60), 0, -60).render();
        assertThat(back.at(0, 0, 0)).isCloseTo(200, within(1));
        assertThat(back.at(0, 0, 1)).isCloseTo(100, within(1));
        assertThat(back.at(0, 0, 2)).isCloseTo(50, within(1));
    }

    @Test
    void colourShiftBy120PermutesTheChannelsOfARealFrame() {
        List<Frame> clean = frames(Envs.make("reacher-easy", PIXELS), 2, 5);
        List<Frame> shifted = frames(new ColourShift(Envs.make("reacher-easy", PIXELS), 0, 120), 2, 5);
        for (int t = 0; t < clean.size(); t++) {
            byte[] c = clean.get(t).data(), s = shifted.get(t).data();
            for (int i = 0; i < c.length; i += 3) {
                assertThat(new byte[] {s[i], s[i + 1], s[i + 2]}).as("pixel " + i / 3).containsExactly(c[i + 2], c[i], c[i + 1]);
            }
        }
    }

    @Test
    void occlusionPaintsExactlyThePatchAndLeavesTheRestAlone() {
        int rgb = 0x123456;
        Occlusion o = new Occlusion(Envs.make("cartpole-swingup", PIXELS), 2, 5, 7, 10, rgb);
        List<Frame> got = frames(o, 1, 4), clean = frames(Envs.make("cartpole-swingup", PIXELS), 1, 4);
        for (int t = 0; t < got.size(); t++) {
            Frame g = got.get(t), c = clean.get(t);
            int inside = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    boolean covered = y >= 7 && y < 17 && x >= 5 && x < 15;
                    assertThat(o.covers(y, x)).isEqualTo(covered);
                    if (t >= 2 && covered) {
                        inside++;
                        assertThat(new int[] {g.at(y, x, 0), g.at(y, x, 1), g.at(y, x, 2)}).containsExactly(0x12, 0x34, 0x56);
                    } else {
                        for (int k = 0; k < 3; k++) assertThat(g.at(y, x, k)).isEqualTo(c.at(y, x, k));
                    }
                }
            }
            assertThat(inside).isEqualTo(t >= 2 ? 100 : 0);
        }
        Occlusion centred = Occlusion.centred(Envs.make("cartpole-swingup", PIXELS), 0, 0.25);
        assertThat(new int[] {centred.left(), centred.top(), centred.size(), centred.rgb()}).containsExactly(24, 24, 16, Occlusion.GREY);
        assertThat(centred.magnitude()).isEqualTo(0.25);
    }

    @Test
    void occlusionCoversEveryFrameOfAStack() {
        Env stacked = new FrameStack(new PixelObservation(new TimeLimit(Envs.task("pendulum-swingup", 32, 32), 1000)), 3);
        Occlusion o = new Occlusion(stacked, 0, 0, 0, 4, 0xFF00FF);
        Frame f = o.reset(0).observation().frame();
        assertThat(f.channels()).isEqualTo(9);
        for (int k = 0; k < 9; k++) assertThat(f.at(3, 3, k)).isEqualTo(k % 3 == 1 ? 0 : 255);
    }

    @Test
    void belowPixelObservationTheFramesAreTheSameAsAbove() {
        Env below = new PixelObservation(new ColourShift(new TimeLimit(Envs.task("point-mass-easy", 64, 64), 1000), 3, 45));
        Env above = new ColourShift(Envs.make("point-mass-easy", PIXELS), 3, 45);
        assertThat(frames(below, 8, 6)).isEqualTo(frames(above, 8, 6));
    }

    @Test
    void noiseHasTheGivenSigmaAndZeroMean() {
        for (double sigma : new double[] {4, 12}) {
            PixelNoise n = new PixelNoise(new Flat(0x808080, 64, 64), 0, sigma, 7);
            n.reset(1);
            double sum = 0, sum2 = 0;
            int count = 0;
            for (int t = 0; t < 4; t++) {
                for (byte b : n.render().data()) {
                    double d = (b & 0xff) - 128;
                    sum += d;
                    sum2 += d * d;
                    count++;
                }
                n.step(new float[] {0});
            }
            double mean = sum / count, sd = Math.sqrt(sum2 / count - mean * mean);
            // 49,152 samples: the mean's standard error is sigma / 222; rounding adds 1/12 to the variance
            assertThat(mean).as("sigma " + sigma).isBetween(-5 * sigma / 222, 5 * sigma / 222);
            assertThat(sd).as("sigma " + sigma).isCloseTo(Math.sqrt(sigma * sigma + 1.0 / 12), within(0.02 * sigma));
        }
        PixelNoise zero = new PixelNoise(new Flat(0x808080, 16, 16), 0, 0, 7);
        zero.reset(0);
        assertThat(zero.render()).isEqualTo(new Flat(0x808080, 16, 16).render());
    }

    @Test
    void noiseIsDeterministicPerSeedAndFixedWithinAStep() {
        List<Frame> a = frames(new PixelNoise(Envs.make("cartpole-swingup", PIXELS), 0, 10, 3), 5, 4);
        List<Frame> b = frames(new PixelNoise(Envs.make("cartpole-swingup", PIXELS), 0, 10, 3), 5, 4);
        List<Frame> otherReset = frames(new PixelNoise(Envs.make("cartpole-swingup", PIXELS), 0, 10, 3), 6, 4);
        List<Frame> otherNoise = frames(new PixelNoise(Envs.make("cartpole-swingup", PIXELS), 0, 10, 4), 5, 4);
        assertThat(a).isEqualTo(b);
        assertThat(a.get(0)).isNotEqualTo(otherReset.get(0));
        assertThat(a.get(0)).isNotEqualTo(otherNoise.get(0));
        assertThat(a.get(1)).isNotEqualTo(a.get(2)); // fresh noise every step
        PixelNoise n = new PixelNoise(new Flat(0x808080, 16, 16), 0, 10, 3);
        n.reset(0);
        Frame once = n.render();
        assertThat(n.render()).isEqualTo(once); // rendering twice draws nothing new
        // reset() continues the episode stream: the second episode's noise differs from the first's, reproducibly
        Frame firstEpisode = n.render();
        n.reset();
        Frame second = n.render();
        assertThat(second).isNotEqualTo(firstEpisode);
        PixelNoise again = new PixelNoise(new Flat(0x808080, 16, 16), 0, 10, 3);
        again.reset(0);
        again.reset();
        assertThat(again.render()).isEqualTo(second);
    }

    @Test
    void noiseLeavesTheDynamicsAlone() {
        Env clean = Envs.make("cartpole-swingup");
        PixelNoise n = new PixelNoise(Envs.make("cartpole-swingup"), 0, 30, 1);
        assertThat(n.reset(2)).isEqualTo(clean.reset(2)); // state observations pass through
        for (int t = 0; t < 20; t++) assertThat(n.step(new float[] {0.3f})).isEqualTo(clean.step(new float[] {0.3f}));
    }

    @Test
    void theLabelFollowsThePerturbationThroughOtherWrappers() {
        Perturbation p = Perturbations.of("noise", 5, 4).apply(new TimeLimit(Envs.task("pendulum-swingup", 64, 64), 1000));
        Env env = new PixelObservation(new ActionRepeat(p, 2)); // p counts task steps: decision d ends at task step 2d
        assertThat(Perturbations.in(env)).containsExactly(p);
        env.reset(0);
        assertThat(Perturbations.active(env)).isFalse();
        env.step(new float[] {0});
        assertThat(Perturbations.active(env)).isFalse(); // task step 2
        env.step(new float[] {0});
        assertThat(Perturbations.active(env)).isTrue(); // task step 4
        assertThat(Perturbations.active(Envs.make("pendulum-swingup"))).isFalse();
        assertThat(Perturbations.in(Envs.make("pendulum-swingup"))).isEmpty();
    }
}
