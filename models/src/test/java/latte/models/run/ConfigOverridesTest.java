package latte.models.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import latte.models.dreamer.DreamerConfig;
import latte.models.planet.PlanetConfig;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {
    @Test
    void setsFlatAndNestedFieldsWithTheirTypes() {
        DreamerConfig base = DreamerConfig.cpu();
        Map<String, Object> m = ConfigOverrides.apply(base.toMap(),
                List.of("actorLr=3e-4", "world.batch=32", "symlogValue=false", "world.activation=RELU", "horizon = 10"));
        DreamerConfig c = DreamerConfig.fromMap(m);
        assertThat(c.actorLr()).isEqualTo(3e-4);
        assertThat(c.world().batch()).isEqualTo(32);
        assertThat(c.symlogValue()).isFalse();
        assertThat(c.world().rssm().act().name()).isEqualTo("RELU");
        assertThat(c.horizon()).isEqualTo(10);
        // everything else is the preset's, and the input map is not changed
        Map<String, Object> rest = c.toMap(), expected = base.toMap();
        for (String k : List.of("actorLr", "symlogValue", "horizon")) { rest.remove(k); expected.remove(k); }
        for (String k : List.of("batch", "activation")) { ((Map<?, ?>) rest.get("world")).remove(k); ((Map<?, ?>) expected.get("world")).remove(k); }
        assertThat(rest).isEqualTo(expected);
        assertThat(DreamerConfig.fromMap(base.toMap())).isEqualTo(base);
        assertThat(ConfigOverrides.apply(base.toMap(), List.of())).isEqualTo(base.toMap());
        PlanetConfig p = PlanetConfig.fromMap(ConfigOverrides.apply(PlanetConfig.cpu().toMap(), List.of("cemCandidates=300")));
        assertThat(p.cem().candidates()).isEqualTo(300);
        Map<String, Object> back = p.toMap();
        back.put("cemCandidates", PlanetConfig.cpu().cem().candidates());
        assertThat(back).isEqualTo(PlanetConfig.cpu().toMap());
    }

    @Test
    void laterSettingsWin() {
        var m = ConfigOverrides.apply(DreamerConfig.cpu().toMap(), List.of("horizon=10", "horizon=12"));
        assertThat(DreamerConfig.fromMap(m).horizon()).isEqualTo(12);
    }

    @Test
    void badSettingsSayWhatWasExpected() {
        Map<String, Object> base = DreamerConfig.cpu().toMap();
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("actorLR=1e-4"))).hasMessageContaining("unknown setting 'actorLR'")
                .hasMessageContaining("actorLr").hasMessageContaining("world.batch").hasMessageNotContaining("preset");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("world=3"))).hasMessageContaining("unknown setting 'world'");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("world.nope=3"))).hasMessageContaining("unknown setting 'world.nope'");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("horizon.x=3"))).hasMessageContaining("unknown setting 'horizon.x'");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("preset=paper"))).hasMessageContaining("unknown setting 'preset'");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("horizon"))).hasMessageContaining("expected KEY=VALUE");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("horizon="))).hasMessageContaining("expected KEY=VALUE");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("world.batch=1.5"))).hasMessageContaining("whole number, not '1.5'");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("actorLr=fast"))).hasMessageContaining("finite number, not 'fast'");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("actorLr=NaN"))).hasMessageContaining("finite number");
        assertThatThrownBy(() -> ConfigOverrides.apply(base, List.of("symlogValue=yes"))).hasMessageContaining("true or false, not 'yes'");
        // ranges are the configuration's own checks
        var m = ConfigOverrides.apply(base, List.of("horizon=1"));
        assertThatThrownBy(() -> DreamerConfig.fromMap(m)).hasMessageContaining("horizon 1").hasMessageContaining("horizon >= 2");
    }
}
