package latte.models.worldmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Frame;
import latte.envs.Reset;
import latte.envs.Space;
import latte.envs.Step;
import latte.envs.TimeLimit;
import org.junit.jupiter.api.Test;

class DreamEnvTest {
    static final Space.Box BOX = Space.Box.uniform(-1, 1, 2);
    static final float[][] STARTS = {{0.5f, -0.5f, 1f}, {-1f, 0f, 0.2f}};

    static DreamEnv.Config config(float tau) {
        return new DreamEnv.Config(BOX, tau, true, 50, 0.05, 16);
    }

    static MdnRnn model(long seed) {
        return new MdnRnn(MdnRnn.Size.debug(), new Rng(seed));
    }

    /** Sets M's done bias: large and positive ends every dream at once, large and negative never. */
    static void doneBias(MdnRnn m, float b) {
        ParamStore.Param p = m.store().param("done.bias");
        m.store().values()[p.offset()] = b;
    }

    static List<float[]> rollout(Env env, long seed, int steps) {
        List<float[]> obs = new ArrayList<>();
        obs.add(env.reset(seed).observation().state());
        for (int k = 0; k < steps; k++) {
            Step s = env.step(new float[] {(float) Math.sin(k), 0.3f});
            obs.add(s.observation().state());
            obs.add(new float[] {(float) s.reward(), s.terminated() ? 1 : 0});
            if (s.done()) break;
        }
        return obs;
    }

    @Test
    void deterministicForASeedAndDifferentAcrossSeeds() {
        MdnRnn m = model(1);
        doneBias(m, -20);
        List<float[]> a = rollout(new DreamEnv(m, config(1f), STARTS, null, null), 7, 30);
        List<float[]> b = rollout(new DreamEnv(m, config(1f), STARTS, null, null), 7, 30);
        assertThat(a).hasSize(61);
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i)).containsExactly(a.get(i));
        List<float[]> c = rollout(new DreamEnv(m, config(1f), STARTS, null, null), 8, 30);
        assertThat(c.get(c.size() - 2)).isNotEqualTo(a.get(a.size() - 2));
    }

    @Test
    void aStepIsMsStepWithTheSampledZAndTheRewardHead() {
        MdnRnn m = model(2);
        doneBias(m, -20);
        DreamEnv env = new DreamEnv(m, config(1f), new float[][] {STARTS[0]}, null, null);
        Reset r = env.reset(3);
        float[] obs = r.observation().state();
        assertThat(obs).hasSize(3 + 8);                                      // [z, h] with h = 0 at the start
        assertThat(java.util.Arrays.copyOf(obs, 3)).containsExactly(STARTS[0]);
        for (int i = 3; i < obs.length; i++) assertThat(obs[i]).isZero();
        Step s = env.step(new float[] {0.5f, -0.25f});
        try (Tape.Scope _ = Tape.noGrad()) {
            MdnRnn.Prediction p = m.step(Var.of(STARTS[0].clone(), 1, 3), Var.of(new float[] {0.5f, -0.25f}, 1, 2), m.initialState(1));
            assertThat(s.reward()).isCloseTo(p.reward().item(), within(1e-6));
            assertThat(java.util.Arrays.copyOfRange(s.observation().state(), 3, 11)).containsExactly(p.state().h().toArray());
            assertThat(java.util.Arrays.copyOfRange(env.physicsState(), 11, 19))
                    .containsExactly(toDouble(p.state().c().toArray()));
        }
        assertThat(env.stateNames()).startsWith("z0", "z1", "z2", "h0").endsWith("c7", "done");
    }

    @Test
    void lowTemperatureSamplesNearTheTopComponentsMean() {
        MdnRnn m = model(3);
        doneBias(m, -20);
        DreamEnv env = new DreamEnv(m, config(1e-4f), new float[][] {STARTS[1]}, null, null);
        env.reset(4);
        float[] z = java.util.Arrays.copyOf(env.step(new float[] {0.1f, 0.1f}).observation().state(), 3);
        try (Tape.Scope _ = Tape.noGrad()) {
            MdnRnn.Prediction p = m.step(Var.of(STARTS[1].clone(), 1, 3), Var.of(new float[] {0.1f, 0.1f}, 1, 2), m.initialState(1));
            float[] lp = p.next().logPi().toArray(), mu = p.next().mu().toArray(), ls = p.next().logSigma().toArray();
            for (int d = 0; d < 3; d++) {
                int top = lp[2 * d] >= lp[2 * d + 1] ? 0 : 1;                  // K = 2 components per dimension
                double sd = Math.exp(ls[2 * d + top]) * Math.sqrt(1e-4);
                assertThat((double) z[d]).isCloseTo(mu[2 * d + top], within(6 * sd));
            }
        }
    }

    @Test
    void theDoneHeadEndsEpisodesAndTheTimeLimitCutsThem() {
        MdnRnn m = model(4);
        doneBias(m, 30);
        DreamEnv env = new DreamEnv(m, config(1f), STARTS, null, null);
        env.reset(1);
        Step s = env.step(new float[] {0, 0});
        assertThat(s.terminated()).isTrue();
        assertThatThrownBy(() -> env.step(new float[] {0, 0})).isInstanceOf(IllegalStateException.class);
        doneBias(m, -30);
        Env limited = new TimeLimit(new DreamEnv(m, config(1f), STARTS, null, null), 12);
        List<float[]> r = rollout(limited, 2, 100);
        assertThat(r).hasSize(1 + 2 * 12);
        assertThat(limited.unwrapped().defaultEpisodeSteps()).isEqualTo(50);
    }

    @Test
    void startsAreDrawnFromTheGivenEncodings() {
        MdnRnn m = model(5);
        float[][] sigma = {{0.1f, 0.1f, 0.1f}, {0.1f, 0.1f, 0.1f}};
        DreamEnv env = new DreamEnv(m, config(1f), STARTS, sigma, null);
        int[] seen = new int[2];
        for (long seed = 0; seed < 40; seed++) {
            float[] z = env.reset(seed).observation().state();
            int i = Math.abs(z[0] - STARTS[0][0]) < 0.6 ? 0 : 1;
            seen[i]++;
            for (int d = 0; d < 3; d++) assertThat((double) z[d]).isCloseTo(STARTS[i][d], within(0.6));
        }
        assertThat(seen[0]).isGreaterThan(5);
        assertThat(seen[1]).isGreaterThan(5);
    }

    @Test
    void discreteActionsAreOneHotAndZOnlyObservations() {
        MdnRnn m = model(6);
        doneBias(m, -20);
        DreamEnv.Config c = new DreamEnv.Config(new Space.Discrete(2), 1f, false, 10, 1, 8);
        DreamEnv env = new DreamEnv(m, c, new float[][] {STARTS[1]}, null, null);
        env.reset(1);
        Step s = env.step(new float[] {1});
        assertThat(s.observation().state()).hasSize(3);
        try (Tape.Scope _ = Tape.noGrad()) {
            MdnRnn.Prediction p = m.step(Var.of(STARTS[1].clone(), 1, 3), Var.of(new float[] {0, 1}, 1, 2), m.initialState(1));
            assertThat(s.reward()).isCloseTo(p.reward().item(), within(1e-6));
        }
        assertThatThrownBy(() -> env.step(new float[] {2})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("discrete action 2.0");
    }

    @Test
    void rendersWithVOrAsBars() {
        MdnRnn m = new MdnRnn(new MdnRnn.Size(4, 2, 8, 2), new Rng(7));
        Vae v = new Vae(Vae.Size.debug(), Vae.KL_TOLERANCE, new Rng(8));
        float[][] starts = {{0, 1, -1, 0.5f}};
        DreamEnv withV = new DreamEnv(m, new DreamEnv.Config(BOX, 1f, true, 10, 1, 32), starts, null, v);
        withV.reset(1);
        Frame f = withV.render();
        assertThat(f.height()).isEqualTo(32);
        float[] img;
        try (Tape.Scope _ = Tape.noGrad()) {
            img = v.decode(Var.of(starts[0].clone(), 1, 4)).toArray();
        }
        assertThat((double) f.at(0, 0, 0)).isCloseTo(img[0] * 255, within(1.0));
        assertThat((double) f.at(31, 31, 2)).isCloseTo(img[(62 * 64 + 62) * 3 + 2] * 255, within(1.0));
        DreamEnv bars = new DreamEnv(m, new DreamEnv.Config(BOX, 1f, true, 10, 1, 32), starts, null, null);
        bars.reset(1);
        assertThat(bars.render().data()).isNotEqualTo(new DreamEnv(m, new DreamEnv.Config(BOX, 1f, true, 10, 1, 32),
                new float[][] {{0, 0, 0, 0}}, null, null).render().data());
    }

    @Test
    void badConfigurationsAreClearErrors() {
        for (float tau : new float[] {0f, -0.5f, Float.NaN})
            assertThatThrownBy(() -> config(tau)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("temperature tau = " + tau + ", expected a finite tau > 0");
        MdnRnn m = model(9);
        assertThatThrownBy(() -> new DreamEnv(m, new DreamEnv.Config(Space.Box.uniform(-1, 1, 3), 1f, true, 10, 1, 8), STARTS, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("M takes 2 action inputs");
        assertThatThrownBy(() -> new DreamEnv(m, config(1f), new float[][] {{1, 2}}, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start 0 has 2 values, expected z = 3");
        assertThatThrownBy(() -> new DreamEnv(m, config(1f), new float[0][], null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected at least one mean");
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
