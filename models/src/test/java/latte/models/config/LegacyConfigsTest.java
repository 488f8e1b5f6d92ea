package latte.models.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import latte.autodiff.io.Json;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerFamily;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetFamily;
import latte.models.rssm.Rssm;
import latte.models.world.Objective;
import org.junit.jupiter.api.Test;

/**
 * config.json files of file version 1, written by {@code ./latte train} before the nested
 * configurations (test resources legacy-configs/, see the README there), read into today's records.
 */
class LegacyConfigsTest {
    @SuppressWarnings("unchecked")
    static Map<String, Object> file(String name) {
        try (InputStream in = LegacyConfigsTest.class.getResourceAsStream("/legacy-configs/" + name + ".json")) {
            Map<String, Object> f = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(f.get("version")).isEqualTo("1");
            return (Map<String, Object>) f.get("config");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static PlanetConfig planet(Map<String, Object> old) {
        return ConfigCodec.decode(PlanetConfig.class, PlanetFamily.INSTANCE.migrate(old, "1"));
    }

    private static DreamerConfig dreamer(Map<String, Object> old) {
        return ConfigCodec.decode(DreamerConfig.class, DreamerFamily.INSTANCE.migrate(old, "1"));
    }

    @Test
    void todaysPresetsReadBackAsTheSameSettings() {
        // PlaNet's cpu preset before shards: today's preset minus the two shards
        assertThat(planet(file("planet-cpu"))).isEqualTo(ConfigCodec.with(PlanetConfig.cpu(), "loop.shards", 1));
        assertThat(dreamer(file("dreamer-cpu"))).isEqualTo(DreamerConfig.cpu());
        assertThat(dreamer(file("dreamer-cat"))).isEqualTo(DreamerConfig.debug().withLatent("categorical"));
        PlanetConfig det = planet(file("planet-det"));
        assertThat(det.model().loss().objective()).isEqualTo(Objective.DETERMINISTIC);
        assertThat(det).isEqualTo(ConfigCodec.with(PlanetConfig.debug(), "model.loss.objective", "DETERMINISTIC"));
        // a discrete task's run: continuation head on
        assertThat(dreamer(file("dreamer-cartpole"))).isEqualTo(ConfigCodec.with(DreamerConfig.debug(), "model.loss.continuation", true));
    }

    @Test
    void paperPresetsOfTheOldLayoutReadAsTodaysPaperPresets() {
        assertThat(planet(file("planet-paper"))).isEqualTo(PlanetConfig.paper());
        assertThat(dreamer(file("dreamer-paper"))).isEqualTo(DreamerConfig.paper());
    }

    @Test
    @SuppressWarnings("unchecked")
    void fieldsAbsentFromOlderFilesGetTheBehaviourOfTheCodeThatWroteThem() {
        Map<String, Object> p = file("planet-cpu");
        p.remove("planMean");                                                          // before planMean: PlaNet's sampling
        p.remove("latent");                                                            // before categorical latents: Gaussian
        p.remove("classes");
        PlanetConfig c = planet(p);
        assertThat(c.planner().planMean()).isFalse();
        assertThat(c.model().rssm().latent()).isEqualTo(Rssm.Kind.GAUSSIAN);

        Map<String, Object> d = file("dreamer-cpu");
        for (String k : new String[] {"behaviourEps", "returnNorm", "symlogValue", "behaviourUpdates", "actorMeanScale",
                "boundedImagination", "actorMinStd", "shards"})
            d.remove(k);
        DreamerConfig old = dreamer(d);
        assertThat(old.actor().optim().eps()).isEqualTo(old.optim().eps());           // one epsilon for all optimisers
        assertThat(old.value().optim().eps()).isEqualTo(old.optim().eps());
        assertThat(old.imagination().returnNorm()).isFalse();
        assertThat(old.value().symlog()).isFalse();
        assertThat(old.imagination().updates()).isEqualTo(1);
        assertThat(old.actor().meanScale()).isEqualTo(5f);
        assertThat(old.imagination().bounded()).isFalse();
        assertThat(old.actor().minStd()).isEqualTo(1e-4f);
        assertThat(old.loop().shards()).isEqualTo(1);
        // what the file does hold is kept
        assertThat(old.actor().optim().clip()).isEqualTo(5.0);
        assertThat(old.value().targetEvery()).isEqualTo(100);
    }

    @Test
    void brokenOldFilesNameWhatIsMissing() {
        Map<String, Object> p = file("planet-cpu");
        p.remove("chunk");
        assertThatThrownBy(() -> planet(p)).hasMessageContaining("missing field 'chunk'");
        Map<String, Object> d = file("dreamer-cpu");
        d.remove("world");
        assertThatThrownBy(() -> dreamer(d)).hasMessageContaining("missing object 'world'");
        assertThatThrownBy(() -> PlanetFamily.INSTANCE.migrate(file("planet-cpu"), "0"))
                .hasMessageContaining("config.json of version 0 is not readable");
    }
}
