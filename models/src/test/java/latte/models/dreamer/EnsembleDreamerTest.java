package latte.models.dreamer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.core.Rng;
import latte.models.config.ConfigCodec;
import latte.models.replay.Batch;
import latte.models.rssm.Rssm;
import latte.models.uncertainty.Disagreement;
import latte.models.uncertainty.Ensemble;
import org.junit.jupiter.api.Test;

/** Exploration by disagreement inside Dreamer: off changes nothing, on trains the heads beside the model and pays their disagreement. */
class EnsembleDreamerTest {
    private static float[] values(ParamStore s) {
        return Arrays.copyOf(s.values(), s.size());
    }

    private record Run(float[] model, float[] actor, float[] value, float[] ensemble, Map<String, Double> metrics) {}

    private static Run train(DreamerConfig c, int steps) {
        DreamerLearner l = new DreamerLearner(c, 1, false, 0);
        Rng rng = new Rng(2);
        Map<String, Double> m = null;
        for (int i = 0; i < steps; i++) m = l.trainStep(DreamerLearnerTest.batch(1 + i), rng);
        return new Run(values(l.model().store()), values(l.actorCritic().actorStore()), values(l.actorCritic().valueStore()),
                l.ensemble() == null ? null : values(l.ensemble().store()), m);
    }

    @Test
    void withTheExtrinsicRewardTheHeadsChangeNothingElseBitForBit() {
        for (int shards : new int[] {1, 2}) {
            DreamerConfig off = ConfigCodec.with(DreamerConfig.debug(), "loop.shards", shards);
            DreamerConfig on = ConfigCodec.with(off, "exploration.members", 3);              // trained, but imagination keeps the reward head
            Run a = train(off, 3), b = train(on, 3);
            assertThat(b.model()).containsExactly(a.model());
            assertThat(b.actor()).containsExactly(a.actor());
            assertThat(b.value()).containsExactly(a.value());
            Map<String, Double> without = new LinkedHashMap<>(b.metrics());
            assertThat(without.remove("ensemble")).isFinite().isPositive();
            assertThat(without).isEqualTo(a.metrics());
            assertThat(a.ensemble()).isNull();
            DreamerLearner fresh = new DreamerLearner(on, 1, false, 0);
            assertThat(b.ensemble()).isNotEqualTo(values(fresh.ensemble().store()));    // the heads did train
        }
    }

    @Test
    void theDisagreementRewardDrivesTheActorButNeverTheWorldModel() {
        DreamerConfig off = DreamerConfig.debug();
        DreamerConfig explore = ConfigCodec.with(off, "exploration.members", 3, "exploration.reward", "disagreement",
                "exploration.intrinsicWeight", 10.0);
        Run a = train(off, 1), b = train(explore, 1);
        assertThat(b.model()).containsExactly(a.model());                                 // the model step comes first and is the same
        assertThat(b.actor()).isNotEqualTo(a.actor());                                    // another reward, another actor step
        assertThat(b.metrics()).containsKey("ensemble");
    }

    @Test
    void theMixIsTheRewardHeadPlusTheWeightedDisagreement() {
        DreamerConfig c = ConfigCodec.with(DreamerConfig.debug(), "exploration.members", 3, "exploration.reward", "mix",
                "exploration.intrinsicWeight", 0.25);
        DreamerLearner l = new DreamerLearner(c, 1, false, 0);
        int n = 4, f = l.model().featureSize();
        float[] x = new float[n * f], y = new float[n * f], a = new float[n];
        Rng r = new Rng(5);
        r.fillNormal(x, 0, x.length, 0, 1);
        r.fillNormal(y, 0, y.length, 0, 1);
        r.fillNormal(a, 0, a.length, 0, 1);
        latte.autodiff.Var from = latte.autodiff.Var.of(x, n, f), to = latte.autodiff.Var.of(y, n, f), act = latte.autodiff.Var.of(a, n, 1);
        try (Tape.Scope ignored = Tape.noGrad()) {
            float[] mix = Disagreement.of(c.exploration(), l.model(), l.ensemble())
                    .reward(new latte.models.world.RewardSource.Transitions(to, () -> from, () -> act)).toArray();
            float[] head = l.model().reward(to).toArray(), dis = l.ensemble().disagreement(from, act).toArray();
            for (int i = 0; i < n; i++) assertThat(mix[i]).isCloseTo(head[i] + 0.25f * dis[i], org.assertj.core.api.Assertions.within(1e-6f));
            assertThat(dis).doesNotContain(0f);
        }
    }

    @Test
    void theHeadsLearnTheNextPosteriorMeanFromEachStateAndTheActionThatLeftIt() {
        DreamerConfig c = ConfigCodec.with(DreamerConfig.debug(), "exploration.members", 3, "exploration.lr", 3e-3);
        DreamerLearner l = new DreamerLearner(c, 1, false, 0);
        Batch batch = DreamerLearnerTest.batch(1);
        List<Rssm.Step> steps;
        try (Tape.Scope ignored = Tape.noGrad()) {
            steps = l.model().observe(batch, new Rng(3));
        }
        Ensemble.Data d = Ensemble.transitions(steps, batch);
        int bs = batch.batch(), t = batch.steps(), f = l.model().featureSize(), s = c.model().rssm().stateSize(), in = f + 1;
        assertThat(d.n()).isEqualTo((t - 1) * bs);
        for (int i = 0; i + 1 < t; i++)
            for (int b = 0; b < bs; b++) {
                int row = i * bs + b;
                float[] feat = Rssm.features(steps.get(i).state()).toArray(), next = steps.get(i + 1).posterior().mean().toArray();
                assertThat(Arrays.copyOfRange(d.inputs(), row * in, row * in + f)).containsExactly(Arrays.copyOfRange(feat, b * f, (b + 1) * f));
                assertThat(d.inputs()[row * in + f]).isEqualTo(batch.action()[(i + 1) * bs + b]);   // a_{t+1} led from t to t+1
                assertThat(Arrays.copyOfRange(d.targets(), row * s, (row + 1) * s)).containsExactly(Arrays.copyOfRange(next, b * s, (b + 1) * s));
            }
        float first = l.ensemble().update(d), last = first;
        for (int i = 0; i < 100; i++) last = l.ensemble().update(d);
        assertThat(last).isLessThan(first / 2);
    }

    @Test
    void aCheckpointKeepsTheHeads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        DreamerConfig c = ConfigCodec.with(DreamerConfig.debug(), "exploration.members", 2, "exploration.reward", "mix");
        DreamerLearner saved = new DreamerLearner(c, 1, false, 0);
        saved.trainStep(DreamerLearnerTest.batch(1), new Rng(2));
        latte.models.run.RunDir run = new latte.models.run.RunDir(dir);
        saved.save(run, Map.of("trainSteps", "1"));
        DreamerLearner loaded = new DreamerLearner(c, 1, false, 1);
        assertThat(values(loaded.ensemble().store())).isNotEqualTo(values(saved.ensemble().store()));
        loaded.load(run);
        assertThat(values(loaded.ensemble().store())).containsExactly(values(saved.ensemble().store()));
        assertThat(loaded.ensemble().adam().steps()).isEqualTo(1);
    }
}
