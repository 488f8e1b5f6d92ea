package latte.models.dreamer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.models.config.ConfigCodec;
import latte.models.replay.ObsSpec;
import latte.models.world.WorldModelUpdate;
import latte.models.replay.Batch;
import latte.models.replay.Replay;
import latte.models.rssm.Rssm;
import org.junit.jupiter.api.Test;

/** Where the behaviour losses send their gradients, and what each optimiser step moves. */
class DreamerLearnerTest {
    /** One synthetic episode whose frames and rewards depend on the actions. */
    static Batch batch(long seed) {
        Rng rng = new Rng(seed);
        Replay r = new Replay(ObsSpec.frame(64, 64, 3), 1, 10_000);
        r.begin(new byte[64 * 64 * 3]);
        float x = 0;
        for (int t = 0; t < 20; t++) {
            float a = rng.uniform(-1, 1);
            x = Math.max(-1, Math.min(1, x + 0.3f * a));
            byte[] g = new byte[64 * 64 * 3];
            int col = (int) ((x + 1) * 31.5f);
            for (int y = 20; y < 44; y++) g[(y * 64 + col) * 3] = (byte) 255;
            r.append(new float[] {a}, -x * x, g, false);
        }
        r.end();
        return r.sample(2, 4, new Rng(seed + 1));
    }

    static DreamerConfig with(DreamerConfig c, Object... pathValues) {
        return ConfigCodec.with(c, pathValues);
    }

    private static float[] gaussian(int n) {
        float[] x = new float[n];
        new Rng(4).fillNormal(x, 0, n, 0f, 1f);
        return x;
    }

    private static double norm(ParamStore s) {
        return s.gradNorm();
    }

    private static float[] values(ParamStore s) {
        return Arrays.copyOf(s.values(), s.size());
    }

    @Test
    void returnScaleIsARunningPercentileRangeNeverBelowOne() {
        // returns 0..99 in two time steps of 50: numpy.percentile gives 94.05 - 4.95 = 89.1
        java.util.function.IntFunction<java.util.List<Var>> returns = k -> {
            float[] a = new float[50], b = new float[50];
            for (int i = 0; i < 50; i++) { a[i] = k * i; b[i] = k * (50 + i); }
            return java.util.List.of(Var.of(a, 50), Var.of(b, 50));
        };
        DreamerLearner on = new DreamerLearner(with(DreamerConfig.debug(), "imagination.returnNorm", true), 1, false, 0);
        assertThat((double) on.actorCritic().returnScale(returns.apply(1))).isCloseTo(89.1, within(1e-3));
        assertThat((double) on.actorCritic().returnScale(returns.apply(2))).isCloseTo(0.99 * 89.1 + 0.01 * 178.2, within(1e-3));
        DreamerLearner small = new DreamerLearner(with(DreamerConfig.debug(), "imagination.returnNorm", true), 1, false, 0);
        float[] tiny = new float[50];
        for (int i = 0; i < 50; i++) tiny[i] = i * 1e-3f;
        assertThat(small.actorCritic().returnScale(java.util.List.of(Var.of(tiny, 50)))).isEqualTo(1f);
        DreamerLearner off = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        assertThat(off.actorCritic().returnScale(returns.apply(1))).isEqualTo(1f);
    }

    @Test
    void returnScaleSurvivesACheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        float[] a = new float[100];
        for (int i = 0; i < 100; i++) a[i] = 3 * i;
        java.util.List<Var> returns = java.util.List.of(Var.of(a, 100));
        DreamerLearner saved = new DreamerLearner(with(DreamerConfig.debug(), "imagination.returnNorm", true), 1, false, 0);
        saved.actorCritic().returnScale(returns);                                                       // S = 267.3
        latte.models.run.RunDir run = new latte.models.run.RunDir(dir);
        saved.save(run, java.util.Map.of("trainSteps", "1"));
        DreamerLearner loaded = new DreamerLearner(with(DreamerConfig.debug(), "imagination.returnNorm", true), 1, false, 0);
        loaded.load(run);
        a = new float[100];                                                               // a narrower batch: the EMA moves from S
        java.util.List<Var> narrow = java.util.List.of(Var.of(a, 100));
        assertThat(loaded.actorCritic().returnScale(narrow)).isEqualTo(saved.actorCritic().returnScale(narrow)).isGreaterThan(200f);
    }

    @Test
    void boundedImaginationKeepsReturnsInsideTheReplayedRewardRange(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        DreamerConfig c = with(DreamerConfig.debug(), "value.symlog", true);
        DreamerLearner free = new DreamerLearner(c, 1, false, 0), bounded = new DreamerLearner(with(c, "imagination.bounded", true), 1, false, 0);
        Batch b = batch(1);
        Rssm.State start = free.modelStep(b, new Rng(2)).starts();
        bounded.modelStep(b, new Rng(2));                                               // the same world model
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float r : b.reward()) { lo = Math.min(lo, r); hi = Math.max(hi, r); }
        assertThat(bounded.actorCritic().rewardRange()).containsExactly(lo, hi);
        assertThat(hi).isLessThan(0f);                                                  // rewards -x^2: every return is <= 0
        // rewards clamp to [min(0, lo), max(0, hi)] = [lo, 0]: better than any seen, up to 0, still counts
        float[] raw = {lo - 1, (lo + hi) / 2, hi / 2, 0.7f};
        assertThat(bounded.actorCritic().boundReward(Var.of(raw, 4)).toArray()).containsExactly(lo, (lo + hi) / 2, hi / 2, 0f);
        assertThat(free.actorCritic().boundReward(Var.of(raw, 4)).toArray()).containsExactly(raw);
        for (DreamerLearner l : java.util.List.of(free, bounded)) {                      // a value model far outside that range
            float[] v = l.actorCritic().valueStore().values();
            for (int i = 0; i < v.length; i++) v[i] *= 40f;
        }
        float vlo = lo / (1 - c.imagination().gamma());
        try (Tape.Scope ignored = Tape.noGrad()) {
            float[] rf = concatenated(free.actorCritic().behaviour(start, new Rng(5)).returns()), rb = concatenated(bounded.actorCritic().behaviour(start, new Rng(5)).returns());
            assertThat(greatest(rf)).as("unbounded returns leave the range").isGreaterThan(1f);
            for (float r : rb) assertThat(r).isBetween(vlo * (1 + 1e-5f), 1e-5f * -vlo);
        }
        // the range is part of the checkpoint
        latte.models.run.RunDir run = new latte.models.run.RunDir(dir);
        bounded.save(run, java.util.Map.of("trainSteps", "1"));
        DreamerLearner loaded = new DreamerLearner(with(c, "imagination.bounded", true), 1, false, 0);
        assertThat(loaded.actorCritic().rewardRange()).isNull();
        loaded.load(run);
        assertThat(loaded.actorCritic().rewardRange()).containsExactly(lo, hi);
    }

    private static float[] concatenated(java.util.List<Var> xs) {
        float[] all = new float[0];
        for (Var r : xs) {
            float[] x = r.toArray(), y = Arrays.copyOf(all, all.length + x.length);
            System.arraycopy(x, 0, y, all.length, x.length);
            all = y;
        }
        return all;
    }

    private static float greatest(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) m = Math.max(m, v);
        return m;
    }

    @Test
    void normalisedReturnsShrinkTheActorLossByTheScale() {
        DreamerLearner plain = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        DreamerLearner norm = new DreamerLearner(with(DreamerConfig.debug(), "imagination.returnNorm", true), 1, false, 0);
        Rssm.State start = plain.modelStep(batch(1), new Rng(2)).starts();
        norm.modelStep(batch(1), new Rng(2));                                           // the same world model
        for (DreamerLearner l : java.util.List.of(plain, norm)) {                        // returns that spread over more than 1
            float[] v = l.actorCritic().valueStore().values();
            for (int i = 0; i < v.length; i++) v[i] *= 30f;
        }
        float a, b;
        try (Tape.Scope ignored = Tape.noGrad()) {
            a = plain.actorCritic().behaviour(start, new Rng(5)).actorLoss().item();
            var beh = norm.actorCritic().behaviour(start, new Rng(5));
            b = beh.actorLoss().item();
            // the scale this call used: the first batch's range of the same returns
            float[] all = new float[0];
            for (Var r : beh.returns()) {
                float[] x = r.toArray(), y = Arrays.copyOf(all, all.length + x.length);
                System.arraycopy(x, 0, y, all.length, x.length);
                all = y;
            }
            Arrays.sort(all);
            double s = Math.max(1, ReturnNorm.percentile(all, 0.95) - ReturnNorm.percentile(all, 0.05));
            assertThat(s).isGreaterThan(2);
            assertThat((double) b).isCloseTo(a / s, within(1e-4 * (1 + Math.abs(a))));
        }
    }

    @Test
    void actorLossReachesTheActorThroughTheDynamics() {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        Rssm.State start = l.modelStep(batch(1), new Rng(2)).starts();
        try (Tape tape = Tape.record()) {
            tape.backward(l.actorCritic().behaviour(start, new Rng(3)).actorLoss());
        }
        assertThat(norm(l.actorCritic().actorStore())).isPositive();
        // the graph runs through the dynamics and reward head (which is why the learner discards these)
        assertThat(norm(l.model().store())).isPositive();
    }

    @Test
    void actorGradientMatchesFiniteDifferences() {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        Rssm.State start = l.modelStep(batch(1), new Rng(2)).starts();
        try (Tape tape = Tape.record()) {
            tape.backward(l.actorCritic().behaviour(start, new Rng(3)).actorLoss());
        }
        int i = 0;                                                                     // the largest gradient entry
        float[] g = l.actorCritic().actorStore().grads();
        for (int k = 1; k < l.actorCritic().actorStore().size(); k++) if (Math.abs(g[k]) > Math.abs(g[i])) i = k;
        double analytic = l.actorCritic().actorStore().grads()[i];
        l.actorCritic().actorStore().zeroGrad();
        float[] v = l.actorCritic().actorStore().values();
        float orig = v[i], eps = 1e-2f;
        v[i] = orig + eps;
        double up = loss(l, start);
        v[i] = orig - eps;
        double down = loss(l, start);
        v[i] = orig;
        double numeric = (up - down) / (2 * eps);
        assertThat(Math.abs(analytic)).isGreaterThan(1e-4);
        assertThat(analytic).isCloseTo(numeric, within(0.05 * Math.abs(numeric) + 1e-3));
    }

    private static double loss(DreamerLearner l, Rssm.State start) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            return l.actorCritic().behaviour(start, new Rng(3)).actorLoss().item();
        }
    }

    /**
     * Freezing the world model and the value model (as behaviourStep does) leaves the actor's
     * gradient bitwise unchanged: only the frozen stores' own weight gradients are skipped.
     */
    @Test
    void frozenModelGivesTheSameActorGradient() {
        float[][] grads = new float[2][];
        for (int frozen = 0; frozen < 2; frozen++) {
            DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
            Rssm.State start = l.modelStep(batch(1), new Rng(2)).starts();
            l.model().store().trainable(frozen == 0);
            l.actorCritic().valueStore().trainable(frozen == 0);
            try (Tape tape = Tape.record()) {
                tape.backward(l.actorCritic().behaviour(start, new Rng(3)).actorLoss());
            } finally {
                l.model().store().trainable(true);
                l.actorCritic().valueStore().trainable(true);
            }
            grads[frozen] = Arrays.copyOf(l.actorCritic().actorStore().grads(), l.actorCritic().actorStore().size());
            if (frozen == 1) {
                // the GEMM-backed layers (linear, GRU) skip their weight gradients entirely
                var w = l.model().store().param("rssm.gru.weight_hh");
                float[] g = Arrays.copyOfRange(l.model().store().grads(), w.offset(), w.offset() + w.size());
                assertThat(g).containsOnly(0f);
            }
        }
        assertThat(grads[1]).isEqualTo(grads[0]);
        double n = 0;
        for (float g : grads[0]) n += g * g;
        assertThat(n).isPositive();
    }

    @Test
    void behaviourUpdateMovesActorAndValueButNotTheWorldModel() {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        Rssm.State start = l.modelStep(batch(1), new Rng(2)).starts();
        float[] model = values(l.model().store()), actor = values(l.actorCritic().actorStore()), value = values(l.actorCritic().valueStore());
        l.actorCritic().update(start, new Rng(3));
        assertThat(values(l.model().store())).isEqualTo(model);
        assertThat(norm(l.model().store())).isZero();
        assertThat(values(l.actorCritic().actorStore())).isNotEqualTo(actor);
        assertThat(values(l.actorCritic().valueStore())).isNotEqualTo(value);
    }

    @Test
    void valueLossReachesOnlyTheValueModel() {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        Rssm.State start = l.modelStep(batch(1), new Rng(2)).starts();
        ActorCritic.Behaviour b;
        try (Tape.Scope ignored = Tape.noGrad()) {
            b = l.actorCritic().behaviour(start, new Rng(3));
        }
        try (Tape tape = Tape.record()) {
            tape.backward(l.actorCritic().valueLoss(b.features(), b.returns(), b.weights()));
        }
        assertThat(norm(l.actorCritic().valueStore())).isPositive();
        assertThat(norm(l.actorCritic().actorStore())).isZero();
        assertThat(norm(l.model().store())).isZero();
    }

    @Test
    void discreteActorSamplesOneHotsWithStraightThroughGradients() {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 3, true, 0);
        Var f = Var.of(gaussian(5 * 12), 5, 12);
        Actor.Sample s = l.actorCritic().actor().sample(f, new Rng(5));
        float[] a = s.action().toArray();
        for (int r = 0; r < 5; r++) {
            float sum = 0;
            for (int k = 0; k < 3; k++) {
                assertThat(a[r * 3 + k]).isIn(0f, 1f);
                sum += a[r * 3 + k];
            }
            assertThat(sum).isEqualTo(1f);
        }
    }

    @Test
    void slowTargetFollowsTheValueModelEveryKSteps() {
        DreamerLearner l = new DreamerLearner(with(DreamerConfig.debug(), "value.targetEvery", 2), 1, false, 0);
        Batch b = batch(1);
        l.trainStep(b, new Rng(2));
        assertThat(values(l.actorCritic().targetStore())).isNotEqualTo(values(l.actorCritic().valueStore()));
        l.trainStep(b, new Rng(3));
        assertThat(values(l.actorCritic().targetStore())).isEqualTo(values(l.actorCritic().valueStore()));
    }

    @Test
    void optionsTrainTheContinuationHeadWithKlBalancing() {
        DreamerConfig c = with(DreamerConfig.debug(), "model.loss.klBalance", 0.8, "model.loss.continuation", true);
        DreamerLearner l = new DreamerLearner(c, 1, false, 0);
        var m = l.trainStep(batch(1), new Rng(2));
        assertThat(m).containsKeys("continuation", "actor", "value", "kl");
        // all steps are nonterminal: -ln sigmoid(logit) falls as the head learns
        double first = m.get("continuation");
        for (int i = 0; i < 20; i++) m = l.trainStep(batch(1), new Rng(3 + i));
        assertThat(m.get("continuation")).isLessThan(first);
        assertThat(ConfigCodec.decode(DreamerConfig.class, ConfigCodec.encode(c))).isEqualTo(c);
    }

    @Test
    void symlogValuePredictsSymexpAndRegressesSymlogReturns() {
        // one seed builds the same value network with and without the option: x is shared
        DreamerLearner plain = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        DreamerLearner sym = new DreamerLearner(with(DreamerConfig.debug(), "value.symlog", true), 1, false, 0);
        int n = 4;
        Var f0 = Var.of(gaussian(n * 12), n, 12), f1 = Var.of(Arrays.copyOfRange(gaussian(2 * n * 12), n * 12, 2 * n * 12), n, 12);
        float[] x0 = plain.actorCritic().value(f0).toArray(), x1 = plain.actorCritic().value(f1).toArray(), v0 = sym.actorCritic().value(f0).toArray();
        for (int i = 0; i < n; i++)
            assertThat(v0[i]).isCloseTo((float) (Math.signum(x0[i]) * Math.expm1(Math.abs(x0[i]))), within(1e-6f));
        float[] r0 = {-1500, -3, 0.5f, 40}, r1 = {-800, -0.2f, 7, 1200}, w0 = {1, 1, 1, 1}, w1 = {0.9f, 0.5f, 0.99f, 0.2f};
        java.util.List<Var> feats = java.util.List.of(f0, f1, f1), ret = java.util.List.of(Var.of(r0, n), Var.of(r1, n)),
                w = java.util.List.of(Var.of(w0, n), Var.of(w1, n));
        double expected = 0, raw = 0;
        for (int i = 0; i < n; i++) {
            expected += w0[i] * sq(x0[i] - symlog(r0[i])) + w1[i] * sq(x1[i] - symlog(r1[i]));
            raw += w0[i] * sq(x0[i] - r0[i]) + w1[i] * sq(x1[i] - r1[i]);
        }
        assertThat((double) sym.actorCritic().valueLoss(feats, ret, w).item()).isCloseTo(0.5 * expected / (2 * n), within(1e-5 * expected));
        assertThat((double) plain.actorCritic().valueLoss(feats, ret, w).item()).isCloseTo(0.5 * raw / (2 * n), within(1e-5 * raw));
    }

    private static double sq(double x) {
        return x * x;
    }

    private static double symlog(double x) {
        return Math.signum(x) * Math.log1p(Math.abs(x));
    }

    @Test
    void behaviourUpdatesRepeatActorAndValueStepsOnTheSameStarts() {
        DreamerLearner twice = new DreamerLearner(with(DreamerConfig.debug(), "imagination.updates", 2), 1, false, 0);
        DreamerLearner byHand = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        DreamerLearner once = new DreamerLearner(DreamerConfig.debug(), 1, false, 0);
        Rng a = new Rng(2), b = new Rng(2);
        var m = twice.trainStep(batch(1), a);
        Rssm.State start = byHand.modelStep(batch(1), b).starts();
        var first = byHand.actorCritic().update(start, b);
        var second = byHand.actorCritic().update(start, b);
        once.trainStep(batch(1), new Rng(2));
        assertThat(values(twice.actorCritic().actorStore())).usingComparatorWithPrecision(1e-6f).containsExactly(values(byHand.actorCritic().actorStore()));
        assertThat(values(twice.actorCritic().valueStore())).usingComparatorWithPrecision(1e-6f).containsExactly(values(byHand.actorCritic().valueStore()));
        assertThat(values(twice.model().store())).isEqualTo(values(byHand.model().store()));
        assertThat(values(twice.actorCritic().actorStore())).isNotEqualTo(values(once.actorCritic().actorStore()));
        // the metrics are the mean of the two updates
        assertThat(m.get("actor")).isCloseTo((first.actorLoss() + second.actorLoss()) / 2.0, within(1e-5));
        assertThat(m.get("value")).isCloseTo((first.valueLoss() + second.valueLoss()) / 2.0, within(1e-4 * Math.abs(m.get("value"))));
    }

    @Test
    void valueLossReusesTheActorPassForwardWithTheSameValueAndGradient() {
        for (DreamerConfig c : java.util.List.of(DreamerConfig.debug(), with(DreamerConfig.debug(), "value.symlog", true))) {
            DreamerLearner l = new DreamerLearner(c, 1, false, 0);
            Rssm.State start = l.modelStep(batch(1), new Rng(2)).starts();
            ActorCritic.Behaviour b;
            try (Tape.Scope ignored = Tape.noGrad()) {
                b = l.actorCritic().behaviour(start, new Rng(3));
            }
            assertThat(b.valueForward()).isNotNull();
            float[][] reused = valueLossAndGradient(l, () -> l.actorCritic().valueLoss(b));
            float[][] fresh = valueLossAndGradient(l, () -> l.actorCritic().valueLoss(b.features(), b.returns(), b.weights()));
            assertThat(reused[0][0]).isCloseTo(fresh[0][0], within(1e-6f * Math.abs(fresh[0][0])));
            assertThat(reused[1]).usingComparatorWithPrecision(1e-6f * max(fresh[1])).containsExactly(fresh[1]);
        }
        DreamerLearner slow = new DreamerLearner(with(DreamerConfig.debug(), "value.targetEvery", 3), 1, false, 0);
        Rssm.State start = slow.modelStep(batch(1), new Rng(2)).starts();
        try (Tape.Scope ignored = Tape.noGrad()) {
            assertThat(slow.actorCritic().behaviour(start, new Rng(3)).valueForward()).as("a slow target bootstraps: nothing to reuse").isNull();
        }
    }

    private static float[][] valueLossAndGradient(DreamerLearner l, java.util.function.Supplier<Var> loss) {
        float v;
        try (Tape tape = Tape.record()) {
            Var x = loss.get();
            v = x.item();
            tape.backward(x);
        }
        float[] g = Arrays.copyOf(l.actorCritic().valueStore().grads(), l.actorCritic().valueStore().size());
        l.actorCritic().valueStore().zeroGrad();
        return new float[][] {{v}, g};
    }

    private static float max(float[] a) {
        float m = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Test
    void actorMeanScaleBoundsThePreTanhMean() {
        var act = latte.autodiff.nn.Activation.ELU;
        for (float m : new float[] {5f, 2f, 0.5f}) {
            latte.autodiff.ParamStore p = new latte.autodiff.ParamStore();
            Actor a = new Actor(p.scope("actor"), 12, 8, 1, 2, false, 1f, m, Actor.V1_MIN_STD, act, new Rng(1));
            Var f = Var.full(1f, 3, 12);
            java.util.Arrays.fill(p.values(), 0, p.size(), 0.7f);                      // pre-mean outputs near 50: the mean at its bound
            float[] mean = a.gaussian(f).base().mean().toArray(), mode = a.mode(f).toArray();
            for (int i = 0; i < mean.length; i++) {
                assertThat(Math.abs(mean[i])).isLessThanOrEqualTo(m).isGreaterThan(0.9f * m);
                assertThat(mode[i]).isCloseTo((float) Math.tanh(mean[i]), within(1e-6f));
            }
        }
        assertThatThrownBy(() -> new Actor(new latte.autodiff.ParamStore().scope("a"), 4, 4, 1, 1, false, 1f, 0f, Actor.V1_MIN_STD, act, new Rng(1)))
                .hasMessageContaining("mean scale 0.0");
    }

    @Test
    void actorMinStdFloorsThePreTanhStd() {
        var act = latte.autodiff.nn.Activation.ELU;
        for (float floor : new float[] {Actor.V1_MIN_STD, 0.1f}) {
            latte.autodiff.ParamStore p = new latte.autodiff.ParamStore();
            Actor a = new Actor(p.scope("actor"), 12, 8, 1, 1, false, 1f, 5f, floor, act, new Rng(1));
            Var f = Var.full(1f, 3, 12);
            java.util.Arrays.fill(p.values(), 0, p.size(), 0f);                        // zero output: the initial std plus the floor
            for (float s : a.gaussian(f).base().std().toArray()) assertThat(s).isCloseTo(1f + floor, within(1e-5f));
            p.values()[p.size() - 1] = -60f;                                            // the std output's bias (last): softplus ~ 0
            for (float s : a.gaussian(f).base().std().toArray()) assertThat(s).isGreaterThanOrEqualTo(floor).isCloseTo(floor, within(1e-6f));
            for (float m : a.gaussian(f).base().mean().toArray()) assertThat(m).isZero();
        }
        assertThatThrownBy(() -> new Actor(new latte.autodiff.ParamStore().scope("a"), 4, 4, 1, 1, false, 1f, 5f, 0f, act, new Rng(1)))
                .hasMessageContaining("min std 0.0");
        assertThatThrownBy(() -> with(DreamerConfig.debug(), "actor.minStd", -1f)).hasMessageContaining("minStd -1.0");
        DreamerLearner learner = new DreamerLearner(with(DreamerConfig.debug(), "actor.minStd", 0.1f), 1, false, 0);  // the learner's actor gets the floor
        latte.autodiff.ParamStore ps = learner.actorCritic().actorStore();
        java.util.Arrays.fill(ps.values(), 0, ps.size(), 0f);
        ps.values()[ps.size() - 1] = -60f;
        Var feats = Var.full(1f, 2, learner.model().rssm().featureSize());
        for (float s : learner.actorCritic().actor().gaussian(feats).base().std().toArray()) assertThat(s).isCloseTo(0.1f, within(1e-6f));
    }

    // ------------------------------------------------------------------------- data-parallel shards

    private static float[] rows(Var v) {
        return v.toArray();
    }

    /** The world-model step's start states are each shard's posteriors, shard after shard. */
    @Test
    void shardedModelStepStartsFromEachShardsOwnPosteriors() {
        DreamerConfig c = with(DreamerConfig.debug(), "loop.shards", 2);
        Batch b = batch(1);                                                             // B = 2 sequences: one per shard
        Rssm.State start = new DreamerLearner(c, 1, false, 0).modelStep(b, new Rng(2)).starts();
        DreamerLearner fresh = new DreamerLearner(c, 1, false, 0);                      // the parameters before the step
        Rng rng = new Rng(2);
        Rng r0 = rng.split(), r1 = rng.split();
        Rssm.State s0, s1;
        try (Tape.Scope ignored = Tape.noGrad()) {
            s0 = WorldModelUpdate.starts(fresh.model().observe(b.sequences(0, 1), r0));
            s1 = WorldModelUpdate.starts(fresh.model().observe(b.sequences(1, 2), r1));
        }
        int n = b.steps();                                                              // T start states per shard
        assertThat(start.batch()).isEqualTo(2 * n);
        assertThat(rows(start.h().constantRows(0, n))).containsExactly(rows(s0.h()));
        assertThat(rows(start.h().constantRows(n, 2 * n))).containsExactly(rows(s1.h()));
        assertThat(rows(start.s().constantRows(0, n))).containsExactly(rows(s0.s()));
        assertThat(rows(start.s().constantRows(n, 2 * n))).containsExactly(rows(s1.s()));
    }

    /**
     * A sharded behaviour update's actor gradient is the sum over the shards (contiguous rows of
     * the start states, each imagining with its own split generator) of each loss's gradient
     * weighted by its share of the rows: the gradient of the mean loss over all starts.
     */
    @Test
    void shardedBehaviourGradientIsTheShareWeightedSumOfTheShards() {
        DreamerConfig c = with(DreamerConfig.debug(), "loop.shards", 3);
        DreamerLearner sharded = new DreamerLearner(c, 1, false, 0), byHand = new DreamerLearner(c, 1, false, 0);
        Rssm.State start = sharded.modelStep(batch(1), new Rng(2)).starts();            // 8 states: shards of 2, 3, 3
        byHand.modelStep(batch(1), new Rng(2));
        double norm = sharded.actorCritic().update(start, new Rng(3)).actorGradNorm();

        Rng rng = new Rng(3);
        Rng[] rngs = {rng.split(), rng.split(), rng.split()};
        int n = start.batch();
        int[] cut = {0, 2, 5, 8};
        for (int i = 0; i < 3; i++) {
            Rssm.State part = new Rssm.State(start.h().constantRows(cut[i], cut[i + 1]), start.s().constantRows(cut[i], cut[i + 1]));
            try (Tape tape = Tape.record()) {
                tape.backward(byHand.actorCritic().behaviour(part, rngs[i]).actorLoss(), new float[] {(cut[i + 1] - cut[i]) / (float) n});
            }
        }
        assertThat(norm(byHand.actorCritic().actorStore())).isPositive();
        assertThat(norm).isCloseTo(norm(byHand.actorCritic().actorStore()), within(1e-5 * norm));
    }

    @Test
    void shardedTrainingIsDeterministicAndTheShardCountIsSaved() {
        DreamerConfig c = with(DreamerConfig.debug(), "loop.shards", 2);
        float[][] actor = new float[2][], model = new float[2][];
        for (int run = 0; run < 2; run++) {
            DreamerLearner l = new DreamerLearner(c, 1, false, 0);
            Rng rng = new Rng(2);
            for (int i = 0; i < 3; i++) l.trainStep(batch(1), rng);
            actor[run] = values(l.actorCritic().actorStore());
            model[run] = values(l.model().store());
        }
        assertThat(actor[1]).containsExactly(actor[0]);
        assertThat(model[1]).containsExactly(model[0]);
        assertThatThrownBy(() -> with(c, "loop.shards", 0)).hasMessageContaining("shards 0");
        assertThat(DreamerConfig.cpu().loop().shards()).isEqualTo(2);
    }
}
