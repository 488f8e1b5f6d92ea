package latte.models.dreamer;

import latte.models.config.ConfigCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import latte.models.Agents;
import latte.models.rssm.Rssm;
import latte.models.run.RunDir;
import latte.models.loop.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dreamer with DreamerV2's categorical state: configuration, end-to-end run, determinism per seed. */
class DreamerCategoricalTest {
    private static final DreamerConfig CAT = DreamerConfig.debug().withLatent("categorical");

    @Test
    void latentOptionSetsV2SizesAndKlBalancing() {
        assertThat(DreamerConfig.paper().model().rssm().latent()).isEqualTo(Rssm.Kind.GAUSSIAN);
        Rssm.Config r = DreamerConfig.paper().withLatent("categorical").model().rssm();
        assertThat(r.latent()).isEqualTo(Rssm.Kind.CATEGORICAL);
        assertThat(r.stoch()).isEqualTo(32);
        assertThat(r.classes()).isEqualTo(32);
        assertThat(r.stateSize()).isEqualTo(1024);
        assertThat(DreamerConfig.paper().withLatent("categorical").model().loss().klBalance()).isEqualTo(0.8f);
        assertThat(CAT.model().rssm().stateSize()).isEqualTo(16);
        assertThat(DreamerConfig.debug().withLatent("gaussian")).isEqualTo(DreamerConfig.debug());
        assertThatThrownBy(() -> DreamerConfig.debug().withLatent("gumbel"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown latent 'gumbel'")
                .hasMessageContaining("gaussian, categorical");
    }

    @Test
    void configRoundTripsAndUnknownLatentsAreNamed() {
        assertThat(ConfigCodec.decode(DreamerConfig.class, ConfigCodec.encode(CAT))).isEqualTo(CAT);
        assertThatThrownBy(() -> ConfigCodec.with(CAT, "model.rssm.latent", "DIRICHLET")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DIRICHLET").hasMessageContaining("categorical");
    }

    private static List<List<Double>> losses(Path dir) {
        return new RunDir(dir).readMetrics().stream().filter(m -> "train".equals(m.get("type")))
                .map(m -> List.of(num(m.get("reconstruction")), num(m.get("kl")), num(m.get("actor")), num(m.get("value")))).toList();
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static void train(Path dir, long seed) {
        DreamerLearner l = new DreamerLearner(CAT, 1, false, seed);
        Trainer.create(new RunDir(dir), l, "Pendulum-v1", seed).run(new Trainer.Budget(0, 3), p -> {});
    }

    @Test
    void debugRunWithCategoricalLatentsIsDeterministicPerSeed(@TempDir Path a, @TempDir Path b) {
        train(a, 7);
        train(b, 7);
        List<List<Double>> la = losses(a), lb = losses(b);
        assertThat(la).hasSize(2);
        for (int i = 0; i < la.size(); i++)
            for (int k = 0; k < 4; k++) {
                double x = la.get(i).get(k), y = lb.get(i).get(k);
                assertThat(Double.isFinite(x)).isTrue();
                assertThat(x).as("record %d, loss %d", i, k).isEqualTo(y);
            }
        // the KL of categoricals is a sum over 4 variables of KLs of 4 classes: in [0, 4 ln 4]
        for (List<Double> l : la) assertThat(l.get(1)).isBetween(0.0, 4 * Math.log(4) + 1e-4);
        Agents.Opened o = Agents.open(a, false);
        assertThat(((DreamerLearner) o.learner()).config()).isEqualTo(CAT);
    }
}
