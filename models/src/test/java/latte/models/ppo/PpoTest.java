package latte.models.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.optim.GradClip;
import latte.core.Rng;
import latte.models.Agents;
import latte.models.config.ConfigCodec;
import latte.models.family.Families;
import latte.models.family.TaskSpec;
import latte.models.loop.Trainer;
import latte.models.replay.ObsSpec;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PPO's equations against hand computations and finite differences; determinism, resume and configuration errors. */
class PpoTest {
    @Test
    void gaeMatchesAHandComputedRolloutWithATerminalAndATruncation() {
        // copy 0: step 1 terminates (no bootstrap), step 2 is cut by the time limit (bootstraps V(final) = 3), step 3 ends the rollout
        // copy 1: no episode ends. Layout [T, N]: index t * 2 + i. gamma 0.9, lambda 0.5.
        float[] r = {1, 1, 2, 1, 3, 1, 4, 1}, v = {0.5f, 0, 1, 0, 1.5f, 0, 2, 0}, next = {1, 1, 9, 1, 3, 1, 2.5f, 1};
        boolean[] term = {false, false, true, false, false, false, false, false}, ended = {false, false, true, false, true, false, false, false};
        Gae.Estimate e = Gae.estimate(4, 2, r, v, next, term, ended, 0.9, 0.5);
        // copy 0: A3 = 4 + .9*2.5 - 2 = 4.25; A2 = 3 + .9*3 - 1.5 = 4.2; A1 = 2 - 1 = 1; A0 = (1 + .9 - .5) + .45 * 1 = 1.85
        // copy 1: delta = 1.9 everywhere; A3 = 1.9, A2 = 1.9 + .45 A3, ...
        double a3 = 1.9, a2 = 1.9 + 0.45 * a3, a1 = 1.9 + 0.45 * a2, a0 = 1.9 + 0.45 * a1;
        double[] expected = {1.85, a0, 1.0, a1, 4.2, a2, 4.25, a3};
        for (int k = 0; k < 8; k++) {
            assertThat((double) e.advantages()[k]).as("A at %d", k).isCloseTo(expected[k], within(1e-5));
            assertThat((double) e.returns()[k]).as("R at %d", k).isCloseTo(expected[k] + v[k], within(1e-5));
        }
    }

    @Test
    void gaeRejectsMisshapenInputs() {
        assertThatThrownBy(() -> Gae.estimate(2, 2, new float[4], new float[4], new float[3], new boolean[4], new boolean[4], 0.9, 0.9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x 2 = 4").hasMessageContaining("nextValues 3");
    }

    /** -mean(min(r A, clip(r, 1 - eps, 1 + eps) A)) in doubles. */
    static double surrogate(double[] lp, float[] old, float[] adv, double eps) {
        double s = 0;
        for (int i = 0; i < lp.length; i++) {
            double ratio = Math.exp(lp[i] - old[i]);
            s += Math.min(ratio * adv[i], Math.max(1 - eps, Math.min(1 + eps, ratio)) * adv[i]);
        }
        return -s / lp.length;
    }

    @Test
    void clippedSurrogateValueAndGradientInsideAndOutsideTheClipRange() {
        float eps = 0.2f;
        double[] ratios = {1.1, 1.5, 1.5, 0.5, 0.5, 0.9};
        float[] adv = {1, 1, -1, -1, 1, -2}, old = {-0.3f, -1, -0.7f, -2, -0.1f, -1.2f};
        float[] lp = new float[6];
        double[] lpd = new double[6];
        for (int i = 0; i < 6; i++) { lp[i] = (float) (old[i] + Math.log(ratios[i])); lpd[i] = lp[i]; }
        Var x = Var.leaf(lp.clone(), 6);
        float value;
        try (Tape tape = Tape.record()) {
            Var loss = Objective.surrogateLoss(x, old, adv, eps);
            value = loss.item();
            tape.backward(loss);
        }
        assertThat((double) value).isCloseTo(surrogate(lpd, old, adv, eps), within(1e-5));
        float[] g = x.gradArray();
        // by hand: the unclipped term's gradient -r A / B where it is the minimum, 0 where the clipped one is
        double[] byHand = {-1.1 / 6, 0, 1.5 / 6, 0, -0.5 / 6, 1.8 / 6};
        for (int i = 0; i < 6; i++) {
            double h = 1e-4, up, down;
            double[] p = lpd.clone();
            p[i] += h;
            up = surrogate(p, old, adv, eps);
            p[i] -= 2 * h;
            down = surrogate(p, old, adv, eps);
            assertThat((double) g[i]).as("gradient %d", i).isCloseTo(byHand[i], within(1e-5)).isCloseTo((up - down) / (2 * h), within(1e-4));
        }
    }

    @Test
    void valueLossAndItsClippedVariant() {
        Var v = Var.leaf(new float[] {1f, 3f}, 2);
        float[] old = {0.5f, 1f}, ret = {2f, 0f};
        float plain, clipped;
        try (Tape tape = Tape.record()) {
            Var l = Objective.valueLoss(v, old, ret, 0f);
            plain = l.item();
        }
        try (Tape tape = Tape.record()) {
            Var l = Objective.valueLoss(v, old, ret, 0.2f);
            clipped = l.item();
            tape.backward(l);
        }
        assertThat((double) plain).isCloseTo(0.5 * (1 + 9) / 2, within(1e-6));
        // row 0: max((1-2)^2, (0.7-2)^2 = 1.69) = 1.69 (clipped, gradient 0); row 1: max(9, 1.2^2) = 9
        assertThat((double) clipped).isCloseTo(0.5 * (1.69 + 9) / 2, within(1e-5));
        assertThat(v.gradArray()[0]).isZero();
        assertThat((double) v.gradArray()[1]).isCloseTo(0.5 * 2 * 3 / 2, within(1e-6));
    }

    @Test
    void advantagesAreNormalisedPerMinibatch() {
        float[] n = Objective.normalise(new float[] {1, 2, 3, 6});
        double m = 0, s = 0;
        for (float x : n) m += x;
        for (float x : n) s += x * x;
        assertThat(m / 4).isCloseTo(0, within(1e-6));
        assertThat(s / 4).isCloseTo(1, within(1e-5));
    }

    @Test
    void categoricalLogProbAndEntropyMatchClosedForms() {
        Policy p = new Policy(new Policy.Size(3, 3, true), PpoConfig.debug().network(), new Rng(4));
        Policy.Dist d;
        float[] lp, ent, logits;
        try (Tape.Scope ignored = Tape.noGrad()) {
            d = p.apply(Var.of(new float[] {0.3f, -1f, 2f}, 1, 3)).dist();
            lp = d.logProb(new float[] {2}).toArray();
            ent = d.entropy().toArray();
            logits = ((Policy.Dist.Discrete) d).c().logits().toArray();
        }
        double z = 0;
        for (float l : logits) z += Math.exp(l);
        double h = 0;
        for (float l : logits) h -= Math.exp(l) / z * (l - Math.log(z));
        assertThat((double) lp[0]).isCloseTo(logits[2] - Math.log(z), within(1e-5));
        assertThat((double) ent[0]).isCloseTo(h, within(1e-5));
    }

    @Test
    void gaussianLogProbAndEntropyMatchClosedFormsWithAStateIndependentStd() {
        PpoConfig.Network net = new PpoConfig.Network(8, 1, -0.5);
        Policy p = new Policy(new Policy.Size(3, 2, false), net, new Rng(4));
        float[] a = {0.4f, -0.9f, 1.5f, 0.2f};
        float[] lp, ent, mu;
        try (Tape.Scope ignored = Tape.noGrad()) {
            Policy.Dist d = p.apply(Var.of(new float[] {0.3f, -1f, 2f, 1f, 0f, -0.5f}, 2, 3)).dist();
            lp = d.logProb(a).toArray();
            ent = d.entropy().toArray();
            mu = d.mode();
        }
        double s = Math.exp(-0.5);
        for (int row = 0; row < 2; row++) {
            double expected = 0;
            for (int k = 0; k < 2; k++) {
                double z = (a[row * 2 + k] - mu[row * 2 + k]) / s;
                expected += -0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
            }
            assertThat((double) lp[row]).isCloseTo(expected, within(1e-5));
            assertThat((double) ent[row]).isCloseTo(2 * (0.5 + 0.5 * Math.log(2 * Math.PI) - 0.5), within(1e-5));
        }
    }

    @Test
    void gradientNormIsClippedGloballyAndOnlyAboveTheLimit() {
        Policy p = new Policy(new Policy.Size(2, 2, true), new PpoConfig.Network(4, 1, 0), new Rng(1));
        float[] g = p.store().grads();
        int n = p.store().size();
        for (int i = 0; i < n; i++) g[i] = (i % 3) - 1;
        float[] before = g.clone();
        double norm = GradClip.globalNorm(p.store(), 0.5);
        assertThat(norm).isGreaterThan(0.5);
        assertThat(p.store().gradNorm()).isCloseTo(0.5, within(1e-4));
        float[] after = p.store().grads();
        for (int i = 0; i < n; i++) assertThat((double) after[i]).isCloseTo(before[i] * 0.5 / norm, within(1e-6));
        double again = GradClip.globalNorm(p.store(), 10);
        assertThat(again).isCloseTo(0.5, within(1e-4));
        assertThat(p.store().gradNorm()).isCloseTo(0.5, within(1e-4));
    }

    private static PpoLearner learner(long seed) {
        return new PpoLearner(PpoConfig.debug(), TaskSpec.of("CartPole-v1", ObsSpec.Kind.VECTOR), seed);
    }

    @Test
    void aSeedGivesTheSameParametersAfterKUpdates() {
        PpoLearner a = learner(3), b = learner(3), c = learner(4);
        for (long u = 0; u < 3; u++)
            for (PpoLearner l : new PpoLearner[] {a, b, c}) l.update(u, new Rng(10 + u), new Rng(20 + u), ep -> {});
        assertThat(a.policy().store().values()).isEqualTo(b.policy().store().values());
        assertThat(a.policy().store().values()).isNotEqualTo(c.policy().store().values());
    }

    @Test
    void aResumedRunEqualsTheUninterruptedOne(@TempDir Path dir) {
        PpoConfig cfg = ConfigCodec.with(PpoConfig.debug(), "evaluation.episodes", 2, "evaluation.every", 2);
        TaskSpec task = TaskSpec.of("CartPole-v1", ObsSpec.Kind.VECTOR);
        PpoLearner whole = new PpoLearner(cfg, task, 5);
        Trainer.create(new RunDir(dir.resolve("whole")), whole, "CartPole-v1", 5).run(new Trainer.Budget(0, 40), p -> {});
        PpoLearner first = new PpoLearner(cfg, task, 5);
        RunDir split = new RunDir(dir.resolve("split"));
        Trainer.create(split, first, "CartPole-v1", 5).run(new Trainer.Budget(0, 15), p -> {});
        PpoLearner second = new PpoLearner(cfg, task, 5);
        Trainer.resume(split, second).run(new Trainer.Budget(0, 40), p -> {});
        assertThat(second.policy().store().values()).isEqualTo(whole.policy().store().values());
        assertThat(new RunDir(dir.resolve("whole")).readMetrics().stream().filter(m -> "train".equals(m.get("type"))).count()).isGreaterThan(1);
        float[] act = Agents.load(dir.resolve("whole")).act(new latte.envs.Observation.State(new float[] {0, 0, 0.01f, 0}));
        assertThat(act).hasSize(2).containsAnyOf(1f);
    }

    @Test
    void configErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> ConfigCodec.with(PpoConfig.debug(), "optimisation.minibatches", 3))
                .hasMessageContaining("minibatches 3 must divide rollout.envs x rollout.steps = 8 x 32 = 256");
        assertThatThrownBy(() -> ConfigCodec.apply(PpoConfig.debug(), java.util.List.of("optimisation.epsilon=0.1")))
                .hasMessageContaining("unknown setting 'optimisation.epsilon'");
        assertThatThrownBy(() -> ConfigCodec.with(PpoConfig.debug(), "optimisation.lambda", 1.5))
                .hasMessageContaining("lambda 1.5 (in [0, 1])");
        assertThatThrownBy(() -> PpoConfig.preset("atari")).hasMessageContaining("valid presets: paper, cpu, debug");
        assertThat(Families.get("ppo")).isSameAs(PpoFamily.INSTANCE);
        for (String p : PpoConfig.PRESETS) assertThat(ConfigCodec.decode(PpoConfig.class, ConfigCodec.encode(PpoConfig.preset(p)))).isEqualTo(PpoConfig.preset(p));
        assertThat(PpoFamily.INSTANCE.observation("MinAtar/breakout")).isEqualTo(ObsSpec.Kind.GRID);
    }
}
