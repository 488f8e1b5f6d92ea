package latte.models.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import latte.autodiff.io.Json;
import latte.models.dreamer.DreamerConfig;
import latte.models.planet.PlanetConfig;
import latte.models.rssm.Rssm;
import latte.models.world.Objective;
import org.junit.jupiter.api.Test;

class ConfigCodecTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Record r) {
        return (Map<String, Object>) Json.parse(Json.write(ConfigCodec.encode(r)));   // as config.json stores it
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> tree, String... path) {
        Map<String, Object> m = tree;
        for (String p : path) m = (Map<String, Object>) m.get(p);
        return m;
    }

    @Test
    void everyPresetRoundTripsThroughJsonExactly() {
        for (String p : PlanetConfig.PRESETS) assertThat(ConfigCodec.decode(PlanetConfig.class, json(PlanetConfig.preset(p)))).isEqualTo(PlanetConfig.preset(p));
        for (String p : DreamerConfig.PRESETS)
            assertThat(ConfigCodec.decode(DreamerConfig.class, json(DreamerConfig.preset(p)))).isEqualTo(DreamerConfig.preset(p));
        DreamerConfig cat = DreamerConfig.cpu().withLatent("categorical");
        assertThat(ConfigCodec.decode(DreamerConfig.class, json(cat))).isEqualTo(cat);
    }

    @Test
    void encodingNestsRecordsInDeclarationOrderWithEnumNames() {
        Map<String, Object> t = ConfigCodec.encode(PlanetConfig.paper());
        assertThat(t.keySet()).containsExactly("preset", "model", "optim", "loop", "planner");
        assertThat(at(t, "model", "rssm")).containsEntry("act", "RELU").containsEntry("deter", 200);
        assertThat(at(t, "model", "loss")).containsEntry("objective", "VARIATIONAL");
        assertThat(ConfigCodec.keys(PlanetConfig.class)).contains("model.rssm.deter", "loop.batch", "planner.planMean")
                .doesNotContain("preset", "model", "model.rssm");
    }

    @Test
    void unknownAndMissingKeysAndWrongTypesAreNamedWithTheirPath() {
        Map<String, Object> t = json(PlanetConfig.debug());
        at(t, "loop").put("batchSize", 4);
        assertThatThrownBy(() -> ConfigCodec.decode(PlanetConfig.class, t))
                .hasMessageContaining("unknown key 'loop.batchSize'").hasMessageContaining("valid keys of 'loop': batch, chunk");
        at(t, "loop").remove("batchSize");
        at(t, "loop").remove("chunk");
        assertThatThrownBy(() -> ConfigCodec.decode(PlanetConfig.class, t)).hasMessageContaining("missing key 'loop.chunk'");
        at(t, "loop").put("chunk", 2.5);
        assertThatThrownBy(() -> ConfigCodec.decode(PlanetConfig.class, t)).hasMessageContaining("'loop.chunk' must be a whole number, got 2.5");
        at(t, "loop").put("chunk", 4);
        at(t, "model", "rssm").put("act", "SWISH");
        assertThatThrownBy(() -> ConfigCodec.decode(PlanetConfig.class, t))
                .hasMessageContaining("'model.rssm.act' is 'SWISH', expected one of").hasMessageContaining("elu");
        at(t, "model", "rssm").put("act", "elu");                                      // enum names in any case
        assertThat(ConfigCodec.decode(PlanetConfig.class, t).model().rssm().act().name()).isEqualTo("ELU");
        at(t, "model").put("rssm", 7);
        assertThatThrownBy(() -> ConfigCodec.decode(PlanetConfig.class, t)).hasMessageContaining("'model.rssm' must be an object");
        t.put("optimiser", Map.of());
        assertThatThrownBy(() -> ConfigCodec.decode(PlanetConfig.class, t))
                .hasMessageContaining("unknown key 'optimiser'; valid keys: preset, model, optim, loop, planner");
    }

    @Test
    void theRecordsOwnChecksReportTheirPath() {
        Map<String, Object> t = json(PlanetConfig.debug());
        at(t, "loop").put("batch", 0);
        assertThatThrownBy(() -> ConfigCodec.decode(PlanetConfig.class, t)).hasMessageContaining("config 'loop'").hasMessageContaining("batch 0 (> 0)");
        assertThatThrownBy(() -> ConfigCodec.with(PlanetConfig.debug(), "model.rssm.latent", "CATEGORICAL"))
                .hasMessageContaining("classes >= 2 for CATEGORICAL");
        // changes that belong together go in one call
        PlanetConfig cat = ConfigCodec.with(PlanetConfig.debug(), "model.rssm.latent", Rssm.Kind.CATEGORICAL, "model.rssm.classes", 3);
        assertThat(cat.model().rssm().stateSize()).isEqualTo(4 * 3);
    }

    @Test
    void settingsParseToTheLeafTypeAndUnknownOnesListEverySettableKey() {
        PlanetConfig c = ConfigCodec.apply(PlanetConfig.debug(), List.of("loop.batch=7", "optim.lr=3e-4", "planner.planMean=true",
                "model.loss.objective=deterministic", "loop.replayCapacity=123456789012"));
        assertThat(c.loop().batch()).isEqualTo(7);
        assertThat(c.optim().lr()).isEqualTo(3e-4);
        assertThat(c.planner().planMean()).isTrue();
        assertThat(c.model().loss().objective()).isEqualTo(Objective.DETERMINISTIC);
        assertThat(c.loop().replayCapacity()).isEqualTo(123456789012L);
        assertThat(c.preset()).isEqualTo("debug");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("loop.batch=1.5"))).hasMessageContaining("takes a whole number, not '1.5'");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("optim.lr=NaN"))).hasMessageContaining("takes a finite number");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("planner.planMean=yes"))).hasMessageContaining("takes true or false");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("model.loss.objective=elbo"))).hasMessageContaining("variational, deterministic");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("batch=3"))).hasMessageContaining("unknown setting 'batch'")
                .hasMessageContaining("loop.batch").hasMessageContaining("planner.topK");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("loop=3"))).hasMessageContaining("unknown setting 'loop'");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("preset=cpu"))).hasMessageContaining("unknown setting 'preset'");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("loop.batch"))).hasMessageContaining("expected KEY=VALUE");
    }

    @Test
    void presetsDifferFromPaperOnlyWhereTheySaySo() {
        PlanetConfig paper = PlanetConfig.paper(), cpu = PlanetConfig.cpu();
        assertThat(cpu.model().loss()).isEqualTo(paper.model().loss());
        assertThat(cpu.optim()).isEqualTo(paper.optim());
        assertThat(cpu.loop().batch()).isEqualTo(16);
        assertThat(cpu.preset()).isEqualTo("cpu");
        assertThat(DreamerConfig.cpu().value().optim()).isEqualTo(DreamerConfig.cpu().actor().optim());
        assertThat(DreamerConfig.paper().actor().optim().eps()).isEqualTo(1e-7);
        assertThat(DreamerConfig.paper().optim().eps()).isEqualTo(1e-4);
    }
}
