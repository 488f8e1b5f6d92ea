package latte.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Registry, seeding, termination, truncation, wrappers, the vector env and action checks. */
class EnvApiTest {

    private static float[] randomAction(Space spec, SplittableRandom r) {
        if (spec instanceof Space.Discrete d) return new float[] {r.nextInt(d.n())};
        Space.Box b = (Space.Box) spec;
        float[] a = new float[b.size()];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(b.low()[i], b.high()[i]);
        return a;
    }

    private static List<float[]> rollout(Env env, long seed, int steps) {
        List<float[]> out = new ArrayList<>();
        out.add(env.reset(seed).observation().state());
        SplittableRandom r = new SplittableRandom(seed + 1000);
        for (int t = 0; t < steps; t++) {
            Step s = env.step(randomAction(env.actionSpec(), r));
            out.add(s.observation().state());
            if (s.done()) out.add(env.reset().observation().state());
        }
        return out;
    }

    @Test
    void everyTaskIsRegisteredAndDeterministicPerSeed() {
        assertThat(Envs.names()).containsExactly("cartpole-swingup", "cartpole-balance", "cartpole-swingup-sparse", "pendulum-swingup",
                "reacher-easy", "reacher-hard", "point-mass-easy", "point-mass-windy", "Pendulum-v1", "MountainCarContinuous-v0", "CartPole-v1", "Acrobot-v1",
                "MinAtar/Breakout", "MinAtar/Asterix", "MinAtar/Freeway", "MinAtar/Seaquest", "MinAtar/SpaceInvaders");
        for (String name : Envs.names()) {
            if (name.startsWith("MinAtar/")) continue; // grid observations: minatar.MinatarWrapperTest
            List<float[]> a = rollout(Envs.make(name), 7, 300), b = rollout(Envs.make(name), 7, 300), c = rollout(Envs.make(name), 8, 300);
            assertThat(a).as(name).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) assertThat(a.get(i)).as(name + " step " + i).containsExactly(b.get(i));
            assertThat(a.get(0)).as(name + " seeds 7 and 8").isNotEqualTo(c.get(0));
            Space.Box obs = (Space.Box) Envs.make(name).observationSpec();
            assertThat(a.get(0)).as(name).hasSize(obs.size());
        }
    }

    @Test
    void resetWithoutSeedContinuesTheGenerator() {
        Env env = Envs.make("cartpole-swingup");
        float[] first = env.reset(5).observation().state();
        float[] second = env.reset().observation().state();
        assertThat(second).isNotEqualTo(first);
        Env again = Envs.make("cartpole-swingup");
        again.reset(5);
        assertThat(again.reset().observation().state()).containsExactly(second);
    }

    @Test
    void initialStateDistributions() {
        Task swing = Envs.task("cartpole-swingup", 64, 64), balance = Envs.task("cartpole-balance", 64, 64);
        Task reacher = Envs.task("reacher-easy", 64, 64), pm = Envs.task("point-mass-easy", 64, 64);
        double maxTargetR = 0, minTargetR = 1;
        for (long seed = 0; seed < 200; seed++) {
            swing.reset(seed);
            assertThat(swing.physicsState()[1]).isCloseTo(Math.PI, within(0.06));
            balance.reset(seed);
            assertThat(Math.abs(balance.physicsState()[0])).isLessThanOrEqualTo(0.1);
            assertThat(Math.abs(balance.physicsState()[1])).isLessThanOrEqualTo(0.034);
            reacher.reset(seed);
            double[] s = reacher.physicsState();
            assertThat(Math.abs(s[1])).isLessThanOrEqualTo(Math.toRadians(160));
            double r = Math.hypot(s[4], s[5]);
            maxTargetR = Math.max(maxTargetR, r);
            minTargetR = Math.min(minTargetR, r);
            pm.reset(seed);
            assertThat(pm.physicsState()).satisfies(p -> {
                assertThat(Math.abs(p[0])).isLessThanOrEqualTo(0.29);
                assertThat(p[2]).isZero();
            });
        }
        assertThat(minTargetR).isBetween(0.05, 0.06);
        assertThat(maxTargetR).isBetween(0.19, 0.20);
    }

    @Test
    void timeLimitTruncatesAtTheTaskLength() {
        Env env = Envs.make("Pendulum-v1");
        env.reset(0);
        for (int t = 1; t <= 200; t++) {
            Step s = env.step(new float[] {0});
            assertThat(s.terminated()).isFalse();
            assertThat(s.truncated()).as("step " + t).isEqualTo(t == 200);
        }
        Env dm = Envs.make("cartpole-swingup", Envs.Options.defaults().withActionRepeat(8));
        dm.reset(0);
        int decisions = 0;
        Step s;
        do {
            s = dm.step(new float[] {0});
            decisions++;
        } while (!s.done());
        assertThat(decisions).isEqualTo(125); // 1000 task steps at action repeat 8
        assertThat(s.truncated()).isTrue();
        assertThat(s.info().elapsedSteps()).isEqualTo(1000);
        Env unlimited = Envs.make("Pendulum-v1", Envs.Options.defaults().withTimeLimit(-1));
        unlimited.reset(0);
        for (int t = 0; t < 300; t++) assertThat(unlimited.step(new float[] {0}).truncated()).isFalse();
    }

    @Test
    void terminationEndsTheEpisodeAndFurtherStepsAreRefused() {
        Env env = Envs.make("CartPole-v1");
        env.reset(0);
        Step s;
        int t = 0;
        do {
            s = env.step(new float[] {1});
            t++;
        } while (!s.done());
        assertThat(s.terminated()).isTrue();
        assertThat(s.reward()).isEqualTo(1.0);
        assertThat(t).isBetween(5, 60);
        double theta = s.info().physics()[2];
        assertThat(Math.abs(theta)).isGreaterThan(12 * Math.PI / 180);
        assertThatThrownBy(() -> env.step(new float[] {1})).isInstanceOf(IllegalStateException.class).hasMessageContaining("reset");

        AcrobotV1 a = new AcrobotV1(64, 64);
        a.setPhysicsState(new double[] {Math.PI, 0.1, 0, 0}); // tip at height 1 + cos(0.1) > 1
        assertThat(a.isTerminal()).isTrue();
    }

    @Test
    void actionRepeatSumsRewardsAndStopsAtTermination() {
        Env single = Envs.make("Pendulum-v1"), repeated = Envs.make("Pendulum-v1", Envs.Options.defaults().withActionRepeat(3));
        single.reset(4);
        repeated.reset(4);
        for (int t = 0; t < 10; t++) {
            float[] a = {0.3f * t - 1};
            double sum = 0;
            Step last = null;
            for (int k = 0; k < 3; k++) {
                last = single.step(a);
                sum += last.reward();
            }
            Step r = repeated.step(a);
            assertThat(r.reward()).isCloseTo(sum, within(1e-12));
            assertThat(r.observation().state()).containsExactly(last.observation().state());
        }
        Env cp = Envs.make("CartPole-v1", Envs.Options.defaults().withActionRepeat(1000));
        cp.reset(0);
        Step s = cp.step(new float[] {1});
        assertThat(s.terminated()).isTrue();
        assertThat(s.reward()).isEqualTo(s.info().elapsedSteps()); // 1 per step, stopped at termination
    }

    @Test
    void rescaleMapsTheUnitBoxOntoTheTaskBounds() {
        Env raw = Envs.make("Pendulum-v1"), scaled = Envs.make("Pendulum-v1", Envs.Options.defaults().withRescaleActions(true));
        assertThat(scaled.actionSpec()).isEqualTo(Space.Box.uniform(-1, 1, 1));
        raw.reset(1);
        scaled.reset(1);
        assertThat(scaled.step(new float[] {0.5f}).info()).isEqualTo(raw.step(new float[] {1.0f}).info());
        assertThat(scaled.step(new float[] {7f}).info()).isEqualTo(raw.step(new float[] {2.0f}).info()); // clipped first
        Env clipped = new ClipAction(Envs.make("Pendulum-v1"));
        Env raw2 = Envs.make("Pendulum-v1");
        clipped.reset(2);
        raw2.reset(2);
        assertThat(clipped.step(new float[] {-9f}).info()).isEqualTo(raw2.step(new float[] {-2f}).info());
    }

    @Test
    void badActionsGetClearErrors() {
        Env box = Envs.make("reacher-easy");
        box.reset(0);
        assertThatThrownBy(() -> box.step(new float[] {0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reacher-easy").hasMessageContaining("length 1").hasMessageContaining("expected 2");
        assertThatThrownBy(() -> box.step(new float[] {0, Float.NaN})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("action[1] = NaN");
        assertThatThrownBy(() -> box.step(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        Env discrete = Envs.make("CartPole-v1");
        discrete.reset(0);
        assertThatThrownBy(() -> discrete.step(new float[] {2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> discrete.step(new float[] {-1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> discrete.step(new float[] {0.5f})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> discrete.step(new float[] {0, 1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envs.make("cartpole-swingup").step(new float[] {0})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before reset");
        assertThatThrownBy(() -> Envs.make("cheetah-run")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cheetah-run").hasMessageContaining("cartpole-swingup").hasMessageContaining("Acrobot-v1");
        assertThatThrownBy(() -> Envs.task("Pendulum-v1", 64, 64).setPhysicsState(new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2");
        assertThatThrownBy(() -> Envs.Options.defaults().withFrameStack(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pixels");
    }

    @Test
    void pixelObservationsAndFrameStacking() {
        Envs.Options o = Envs.Options.defaults().withSize(48, 32).withPixels(true).withFrameStack(3);
        Env env = Envs.make("cartpole-swingup", o);
        assertThat(((Space.Box) env.observationSpec()).shape()).containsExactly(32, 48, 9);
        Frame f0 = env.reset(0).observation().frame();
        assertThat(f0.channels()).isEqualTo(9);
        Frame r0 = env.render();
        for (int c = 0; c < 9; c++) assertThat(f0.at(10, 20, c)).isEqualTo(r0.at(10, 20, c % 3)); // all slots = first frame
        env.step(new float[] {1});
        Frame r1 = env.render();
        env.step(new float[] {1});
        Frame r2 = env.render();
        Frame f3 = env.step(new float[] {1}).observation().frame();
        Frame r3 = env.render();
        Frame[] expected = {r1, r2, r3}; // oldest first
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                for (int j = 0; j < 3; j++) {
                    for (int c = 0; c < 3; c++) assertThat(f3.at(y, x, 3 * j + c)).isEqualTo(expected[j].at(y, x, c));
                }
            }
        }
        assertThat(r3).isNotEqualTo(r1);
    }

    @Test
    void vectorEnvAutoResetsAndDoesNotDependOnThreads() {
        int n = 5;
        try (VectorEnv one = VectorEnv.make("CartPole-v1", Envs.Options.defaults(), n, 1);
             VectorEnv two = VectorEnv.make("CartPole-v1", Envs.Options.defaults(), n, 2)) {
            VectorEnv.VectorReset r1 = one.reset(11), r2 = two.reset(11);
            for (int i = 0; i < n; i++) {
                Env solo = Envs.make("CartPole-v1");
                assertThat(r1.observations()[i].state()).containsExactly(solo.reset(11 + i).observation().state());
                assertThat(r2.observations()[i].state()).containsExactly(r1.observations()[i].state());
            }
            float[][] push = new float[n][];
            for (int i = 0; i < n; i++) push[i] = new float[] {1};
            int finished = 0;
            for (int t = 0; t < 100; t++) {
                VectorEnv.VectorStep a = one.step(push), b = two.step(push);
                for (int i = 0; i < n; i++) {
                    assertThat(b.observations()[i].state()).containsExactly(a.observations()[i].state());
                    boolean done = a.terminated()[i] || a.truncated()[i];
                    assertThat(a.finalObservations()[i] != null).isEqualTo(done);
                    if (done) {
                        finished++;
                        // the final observation is the terminal state; the returned one starts a new episode
                        float[] last = a.finalObservations()[i].state();
                        assertThat(Math.abs(last[2]) > 12 * Math.PI / 180 || Math.abs(last[0]) > 2.4).isTrue();
                        float[] first = a.observations()[i].state();
                        for (float v : first) assertThat(Math.abs(v)).isLessThanOrEqualTo(0.05f);
                    }
                }
            }
            assertThat(finished).isGreaterThanOrEqualTo(n);
            assertThatThrownBy(() -> one.step(new float[n - 1][])).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
