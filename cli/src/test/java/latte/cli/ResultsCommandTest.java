package latte.cli;

import static latte.cli.TrainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import latte.cli.TrainCommandTest.Result;
import latte.models.run.RunDir;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code latte results}: the table is computed from the run directories, and regenerated in place. */
class ResultsCommandTest {
    @TempDir
    static Path runs;

    @BeforeAll
    static void smallRuns() throws Exception {
        for (String[] a : new String[][] {{"planet", "1"}, {"planet", "2"}, {"dreamer", "1"}})
            assertThat(run("train", "--agent", a[0], "--preset", "debug", "--episodes", "2", "--seed", a[1],
                    "--out", runs.resolve(a[0] + "-" + a[1]).toString()).code()).isZero();
        // the same preset with another setting: a row of its own
        assertThat(run("train", "--preset", "debug", "--episodes", "2", "--seed", "3", "--set", "loop.batch=3",
                "--out", runs.resolve("planet-batch3").toString()).code()).isZero();
        // a run stopped before its final evaluation
        assertThat(run("train", "--preset", "debug", "--episodes", "3", "--seed", "5", "--out", runs.resolve("stopped").toString()).code()).isZero();
        Files.delete(runs.resolve("stopped/summary.json"));
    }

    private static Map<String, Object> summary(String run) {
        return RunDir.readJson(runs.resolve(run).resolve("summary.json"));
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    @Test
    void aFolderOfRunsGivesARowPerAgentEnvPresetAndSettings() {
        Result r = run("results", runs.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("| agent | env | preset | seeds | evaluation episodes | final evaluation per seed | across seeds");
        String planet = lines.stream().filter(l -> l.startsWith("| planet | Pendulum-v1 | debug |")).findFirst().orElseThrow();
        Map<String, Object> s1 = summary("planet-1"), s2 = summary("planet-2");
        double m1 = num(s1, "evalReturnMean"), m2 = num(s2, "evalReturnMean");
        assertThat(planet).contains("| 2 | 1 | 1: " + ResultsCommand.meanStd(m1, num(s1, "evalReturnStd"))
                + ", 2: " + ResultsCommand.meanStd(m2, num(s2, "evalReturnStd")) + " |");
        assertThat(planet).contains("**" + ResultsCommand.meanStd((m1 + m2) / 2, Math.abs(m1 - m2) / 2) + "**");
        assertThat(planet).contains("| " + ResultsCommand.fmt((num(s1, "randomReturnMean") + num(s2, "randomReturnMean")) / 2) + " |");
        assertThat(planet).contains("| 2 / " + String.format(Locale.ROOT, "%,.0f", num(s1, "envSteps")) + " / ").contains(" ms |");
        assertThat(ResultsCommand.meanStd(-1093.4, 0)).isEqualTo("-1093 +- 0");
        assertThat(ResultsCommand.meanStd(10, 0.25)).isEqualTo("10.0 +- 0.3");
        assertThat(lines).anyMatch(l -> l.startsWith("| dreamer | Pendulum-v1 | debug | 1 | 1 | 1: "));
        assertThat(lines).anyMatch(l -> l.startsWith("| planet | Pendulum-v1 | debug with loop.batch=3 | 1 | 1 | 3: "));
        assertThat(r.out()).contains("Unfinished runs (no summary.json)")
                .contains("| " + runs.resolve("stopped") + " | planet | Pendulum-v1 | debug | 5 | 3 |");
    }

    @Test
    void runDirectoriesCanBeNamedOneByOneAndTheTableWrittenToAFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("table.md");
        Result r = run("results", runs.resolve("planet-1").toString(), runs.resolve("dreamer-1").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String table = Files.readString(out);
        assertThat(table).contains("| planet | Pendulum-v1 | debug | 1 | 1 | 1: ").contains("| dreamer |").doesNotContain("Unfinished");
        assertThat(run("results", dir.toString()).err()).contains("is neither a run directory (no config.json) nor a folder of run directories");
        assertThat(run("results").err()).contains("give at least one run directory");
    }

    @Test
    void theReadmeRegionIsRewrittenInPlaceFromTheCommandItRecords(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        String before = "# Title\n\nText.\n\n<!-- results: regenerate with ./latte results --readme README.md -->\nold table\n<!-- /results -->\n\nAfter.\n";
        Files.writeString(readme, before);
        Result first = run("results", "--readme", readme.toString(), runs.resolve("planet-1").toString());
        assertThat(first.code()).as(first.err()).isZero();
        String text = Files.readString(readme);
        String table = run("results", runs.resolve("planet-1").toString()).out();
        assertThat(text).startsWith("# Title\n\nText.\n\n<!-- results: regenerate with ./latte results --readme README.md -->\n")
                .contains("```bash\n./latte results " + runs.resolve("planet-1") + "\n```\n\n" + table + "<!-- /results -->\n\nAfter.\n")
                .doesNotContain("old table");
        // again without DIR: the directories come from the recorded command, and the text is the same
        Result again = run("results", "--readme", readme.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Files.readString(readme)).isEqualTo(text);
        Files.writeString(readme, "no region\n");
        assertThat(run("results", "--readme", readme.toString(), runs.toString()).err()).contains("has no region");
    }
}
