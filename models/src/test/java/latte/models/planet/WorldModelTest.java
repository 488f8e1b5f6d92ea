package latte.models.planet;

import latte.models.config.ConfigCodec;
import latte.models.world.Belief;
import latte.models.world.Objective;
import latte.models.world.RssmWorldModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import latte.core.Rng;
import latte.models.replay.Batch;
import latte.models.replay.Replay;
import org.junit.jupiter.api.Test;

class WorldModelTest {
    /** A replay of one synthetic episode whose frames and rewards depend on the actions. */
    static Replay syntheticReplay(int steps, long seed) {
        Rng rng = new Rng(seed);
        Replay r = new Replay(latte.models.replay.ObsSpec.frame(64, 64, 3), 1, 10_000);
        byte[] f = new byte[64 * 64 * 3];
        r.begin(f.clone());
        float x = 0;
        for (int t = 0; t < steps; t++) {
            float a = rng.uniform(-1, 1);
            x = Math.max(-1, Math.min(1, x + 0.3f * a));
            int col = (int) ((x + 1) * 31.5f);
            byte[] g = new byte[64 * 64 * 3];
            for (int y = 20; y < 44; y++)
                for (int c = Math.max(0, col - 3); c < Math.min(64, col + 3); c++) g[(y * 64 + c) * 3] = (byte) 255;
            r.append(new float[] {a}, -x * x, g, false);
        }
        r.end();
        return r;
    }

    @Test
    void lossFallsOnAFixedBatch() {
        for (Objective o : Objective.values()) {
            PlanetLearner l = new PlanetLearner(ConfigCodec.with(PlanetConfig.debug(), "model.loss.objective", o), 1, 0);
            Batch b = syntheticReplay(30, 1).sample(2, 4, new Rng(2));
            Map<String, Double> first = l.trainStep(b, new Rng(3));
            Map<String, Double> last = first;
            for (int i = 0; i < 40; i++) last = l.trainStep(b, new Rng(3));
            assertThat(last.get("reconstruction")).as(o + " reconstruction").isLessThan(0.75 * first.get("reconstruction"));
            assertThat(last.get("reward")).as(o + " reward").isLessThan(first.get("reward"));
        }
    }

    @Test
    void overshootingAddsAFiniteTermThatTrains() {
        PlanetLearner l = new PlanetLearner(ConfigCodec.with(PlanetConfig.debug(), "model.loss.overshooting", 3, "model.loss.overshootingScale", 1), 1, 0);
        Batch b = syntheticReplay(30, 1).sample(2, 4, new Rng(2));
        Map<String, Double> m = l.trainStep(b, new Rng(3));
        assertThat(m).containsKey("overshooting");
        assertThat(m.get("overshooting")).isFinite().isGreaterThanOrEqualTo(PlanetConfig.debug().model().loss().freeNats() - 1e-4);
    }

    @Test
    void rejectsBatchesOfTheWrongShape() {
        PlanetLearner l = new PlanetLearner(PlanetConfig.debug(), 2, 0);
        Batch b = syntheticReplay(10, 1).sample(2, 4, new Rng(2)); // 1 action dim
        assertThatThrownBy(() -> l.trainStep(b, new Rng(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model expects 2");
    }

    @Test
    void presetsByNameAndUnknownNamesListTheValidOnes() {
        assertThat(PlanetConfig.preset("paper").planner().candidates()).isEqualTo(1000);
        assertThat(ConfigCodec.decode(PlanetConfig.class, ConfigCodec.encode(PlanetConfig.cpu()))).isEqualTo(PlanetConfig.cpu());
        assertThat(PlanetConfig.cpu().planner().planMean()).isTrue();
        assertThat(PlanetConfig.cpu().loop().shards()).isEqualTo(2);
        assertThatThrownBy(() -> PlanetConfig.preset("huge")).hasMessageContaining("paper, cpu, debug");
        assertThatThrownBy(() -> ConfigCodec.with(PlanetConfig.debug(), "model.loss.overshooting", 9))
                .hasMessageContaining("overshooting distance 9 exceeds the chunk length 4");
        assertThatThrownBy(() -> ConfigCodec.with(PlanetConfig.debug(), "loop.actionRepeat", 0)).hasMessageContaining("actionRepeat 0");
    }

    @Test
    void planMeanFiltersOnThePosteriorMeanSoTheNoiseStreamDoesNotMatter() {
        byte[] px = new byte[64 * 64 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 7);
        var frame = new latte.envs.Frame(64, 64, 3, px);
        for (boolean mean : new boolean[]{true, false}) {
            RssmWorldModel m = new RssmWorldModel(PlanetConfig.debug().model(), 1, new Rng(3));
            Belief a = new Belief(m, mean, new Rng(1)), b = new Belief(m, mean, new Rng(2));
            float[] sa = null, sb = null;
            for (int t = 0; t < 3; t++) {
                try (var ignored = latte.autodiff.Tape.noGrad()) {
                    sa = a.update(frame, "test").s().toArray();
                    sb = b.update(frame, "test").s().toArray();
                }
                a.executed(new float[]{0.5f});
                b.executed(new float[]{0.5f});
            }
            if (mean) assertThat(sa).containsExactly(sb);
            else assertThat(sa).isNotEqualTo(sb);
        }
    }

    @Test
    void paperPresetHasAboutFiveMillionParameters() {
        // PlaNet reports about 5.3M parameters (our reward MLP and layer layout follow the paper's appendix and google-research/planet)
        RssmWorldModel m = new RssmWorldModel(PlanetConfig.paper().model(), 6, new Rng(0));
        assertThat(m.store().size()).isBetween(4_000_000, 6_000_000);
    }
}
