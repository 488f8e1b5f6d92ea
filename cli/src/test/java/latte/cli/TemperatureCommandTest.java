package latte.cli;

import static latte.cli.TrainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemperatureCommandTest {
    @Test
    void evolvesInTheDreamPerTauAndScoresInBothWorlds(@TempDir Path dir) throws Exception {
        Path wm = dir.resolve("wm");
        TrainCommandTest.Result t = run("train", "--agent", "worldmodels", "--preset", "debug", "--episodes", "100", "--out", wm.toString());
        assertThat(t.code()).as(t.err()).isZero();
        TrainCommandTest.Result r = run("temperature", "--run", wm.toString(), "--taus", "0.5,1.3", "--generations", "2", "--episodes", "2");
        assertThat(r.code()).as(r.err()).isZero();
        String table = Files.readString(wm.resolve("temperature.md"));
        assertThat(table).contains("| tau | dream score | real score |").contains("| 0.5 |").contains("| 1.3 |");
        assertThat(wm.resolve("dream-tau-0.5.gif")).exists();
        assertThat(wm.resolve("dream-tau-1.3.gif")).exists();

        assertThat(run("temperature", "--run", wm.toString(), "--taus", "0").err()).contains("--taus: 0.0 is not a temperature > 0");
        Path planet = dir.resolve("planet");
        assertThat(run("train", "--preset", "debug", "--episodes", "2", "--out", planet.toString()).code()).isZero();
        assertThat(run("temperature", "--run", planet.toString()).err()).contains("needs a worldmodels run");
    }
}
