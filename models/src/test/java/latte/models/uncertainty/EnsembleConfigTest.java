package latte.models.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import latte.autodiff.io.Json;
import latte.models.config.ConfigCodec;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerFamily;
import org.junit.jupiter.api.Test;

/** exploration.* in Dreamer's configuration: off everywhere by default, settable, checked, and absent from older files. */
class EnsembleConfigTest {
    @Test
    void everyPresetHasExplorationOff() {
        for (String p : DreamerConfig.PRESETS) {
            assertThat(DreamerConfig.preset(p).exploration()).isEqualTo(ExplorationConfig.OFF);
            assertThat(DreamerConfig.preset(p).exploration().on()).isFalse();
        }
        assertThat(ConfigCodec.keys(DreamerConfig.class)).contains("exploration.members", "exploration.units", "exploration.layers",
                "exploration.lr", "exploration.reward", "exploration.intrinsicWeight");
    }

    @Test
    void theCommandLineSwitchesItOn() {
        DreamerConfig c = ConfigCodec.apply(DreamerConfig.cpu(), List.of("exploration.members=5", "exploration.reward=disagreement"));
        assertThat(c.exploration()).isEqualTo(new ExplorationConfig(5, 128, 2, 3e-4, "disagreement", 1.0));
        c = ConfigCodec.apply(c, List.of("exploration.reward=mix", "exploration.intrinsicWeight=0.1"));
        assertThat(c.exploration().reward()).isEqualTo("mix");
        assertThat(c.exploration().intrinsicWeight()).isEqualTo(0.1);
    }

    @Test
    void badSettingsAreRejectedNamingTheValidValues() {
        DreamerConfig c = DreamerConfig.debug();
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("exploration.members=1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config 'exploration'")
                .hasMessageContaining("1 members, expected 0 (off) or >= 2");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("exploration.members=-3"))).hasMessageContaining("-3 members");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("exploration.members=5", "exploration.reward=curiosity")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown reward 'curiosity'; valid rewards: extrinsic, disagreement, mix");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("exploration.reward=disagreement")))
                .hasMessageContaining("reward 'disagreement' needs an ensemble; set exploration.members >= 2");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("exploration.members=3", "exploration.intrinsicWeight=-1")))
                .hasMessageContaining("intrinsicWeight -1.0");
        assertThatThrownBy(() -> ConfigCodec.apply(c, List.of("exploration.member=3")))
                .hasMessageContaining("unknown setting 'exploration.member'").hasMessageContaining("exploration.members");
    }

    @Test
    @SuppressWarnings("unchecked")
    void runsWrittenBeforeTheOptionReadWithItOff() {
        for (String p : DreamerConfig.PRESETS) {
            Map<String, Object> tree = (Map<String, Object>) Json.parse(Json.write(ConfigCodec.encode(DreamerConfig.preset(p))));
            tree.remove("exploration");                                                   // config.json of version 2 before exploration
            assertThatThrownBy(() -> ConfigCodec.decode(DreamerConfig.class, tree)).hasMessageContaining("missing key 'exploration'");
            assertThat(ConfigCodec.decode(DreamerConfig.class, DreamerFamily.INSTANCE.migrate(tree, "2"))).isEqualTo(DreamerConfig.preset(p));
        }
        // a file that has it keeps it
        DreamerConfig on = ConfigCodec.with(DreamerConfig.debug(), "exploration.members", 3);
        Map<String, Object> tree = (Map<String, Object>) Json.parse(Json.write(ConfigCodec.encode(on)));
        assertThat(ConfigCodec.decode(DreamerConfig.class, DreamerFamily.INSTANCE.migrate(tree, "2"))).isEqualTo(on);
        assertThatThrownBy(() -> DreamerFamily.INSTANCE.migrate(tree, "0")).hasMessageContaining("version 0");
    }
}
