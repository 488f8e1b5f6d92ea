package latte.cli;

import static latte.cli.TrainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latte openloop} on short debug runs of PlaNet's two objectives: the tour's comparison, in small. */
class OpenLoopCommandTest {
    @Test
    void tabulatesAndPlotsTheErrorOfEachObjectiveAgainstTheHorizon(@TempDir Path dir) throws Exception {
        for (String objective : new String[] {"deterministic", "variational"})
            for (int seed = 0; seed < 2; seed++)
                assertThat(run("train", "--preset", "debug", "--episodes", "2", "--seed", Integer.toString(seed), "--objective", objective,
                        "--out", dir.resolve("runs/" + objective + "-" + seed).toString()).code()).isZero();

        TrainCommandTest.Result r = run("openloop", dir.resolve("runs").toString(), "--horizons", "1,3,10", "--episodes", "1",
                "--out", dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("| runs | seeds | final return | k = 1 | k = 3 | k = 10 |");
        assertThat(lines[2]).startsWith("| planet Pendulum-v1 debug, objective=deterministic | 2 | ");
        assertThat(lines[3]).startsWith("| planet Pendulum-v1 debug, objective=variational | 2 | ");
        assertThat(lines[4]).startsWith("| holding the last seen frame | | | ");
        // every error is a mean squared pixel error: in (0, 1]
        for (int row = 2; row <= 4; row++) {
            String[] cells = lines[row].split("\\|");
            for (int c = 4; c <= 6; c++) {
                double mse = Double.parseDouble(cells[c].trim().split(" ")[0]);
                assertThat(mse).as("row %d, column %d", row, c).isGreaterThan(0).isLessThanOrEqualTo(1);
            }
        }
        assertThat(Files.readString(dir.resolve("out/openloop.md"))).startsWith(lines[0]);
        assertThat(javax.imageio.ImageIO.read(dir.resolve("out/openloop.png").toFile()).getWidth()).isEqualTo(1200);
    }

    @Test
    void aFamilyWithoutALatentWorldModelIsAnErrorThatSaysSo(@TempDir Path dir) {
        assertThat(run("train", "--agent", "worldmodels", "--preset", "debug", "--episodes", "2", "--out", dir.resolve("wm").toString()).code())
                .isZero();
        TrainCommandTest.Result r = run("openloop", dir.resolve("wm").toString(), "--episodes", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("agent 'worldmodels' has no latent world model");
    }
}
