package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's results table is the output of the command it shows, never a hand edit. */
class ReadmeResultsTest {
    @Test
    void theReadmeTableIsTheOutputOfTheRecordedCommand() throws Exception {
        Path readme = Path.of(System.getProperty("latte.root", "..")).resolve("README.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(ResultsCommand.BEGIN), end = text.indexOf(ResultsCommand.END);
        assertThat(begin).as("the README's results region").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        List<Path> dirs = ResultsCommand.recordedDirs(text, readme);
        assertThat(dirs).isNotEmpty();
        String region = text.substring(begin, end);
        assertThat(region).contains("```bash\n" + ResultsCommand.COMMAND + " ").contains(ResultsCommand.HEADER + "\n");
        // where the recorded run directories are at hand (not in a fresh clone: runs are not committed),
        // regenerating changes nothing
        if (dirs.stream().allMatch(d -> Files.isDirectory(d) || Files.isDirectory(readme.getParent().resolve(d)))) {
            List<Path> resolved = dirs.stream().map(d -> Files.isDirectory(d) ? d : readme.getParent().resolve(d)).toList();
            String command = ResultsCommand.COMMAND + " " + String.join(" ", dirs.stream().map(Path::toString).toList());
            String table = ResultsCommand.table(ResultsCommand.collect(resolved));
            assertThat(ResultsCommand.replaceRegion(text, command, table, readme)).isEqualTo(text);
        }
    }
}
