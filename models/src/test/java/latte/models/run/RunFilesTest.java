package latte.models.run;

import latte.autodiff.io.AtomicFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {
    @Test
    void aTornLastMetricsLineIsSkippedAndTruncationKeepsCheckpointedRecords(@TempDir Path dir) throws Exception {
        RunDir run = new RunDir(dir);
        run.appendMetric(RunDir.record("type", "train", "trainStep", 10, "episode", 5));
        run.appendMetric(RunDir.record("type", "episode", "trainStep", 10, "episode", 6));
        run.appendMetric(RunDir.record("type", "train", "trainStep", 20, "episode", 6));
        Files.writeString(run.metrics(), "{\"type\":\"tr", StandardOpenOption.APPEND); // crash mid-write
        assertThat(run.readMetrics()).hasSize(3);
        run.truncateMetrics(10, 6);
        assertThat(run.readMetrics()).extracting(m -> m.get("type")).containsExactly("train", "episode");
    }

    @Test
    void episodeFilesRoundTripAndCorruptionIsNamed(@TempDir Path dir) throws Exception {
        byte[][] frames = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}, {13, 14, 15, 16, 17, 18}};
        EpisodeFile.Episode e = new EpisodeFile.Episode(1, 2, 3, 2, frames, new float[][] {{0.5f, -1}, {1, 0}},
                new float[] {-3.5f, 2f}, true);
        Path p = dir.resolve("e.ep");
        EpisodeFile.write(p, e);
        EpisodeFile.Episode r = EpisodeFile.read(p);
        assertThat(r.frames()).isDeepEqualTo(frames);
        assertThat(r.actions()).isDeepEqualTo(e.actions());
        assertThat(r.rewards()).containsExactly(-3.5f, 2f);
        assertThat(r.terminal()).isTrue();

        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> EpisodeFile.read(p)).hasMessageContaining("e.ep").hasMessageContaining("truncated or corrupt");
        bytes[40] ^= 1;
        Files.write(p, bytes);
        assertThatThrownBy(() -> EpisodeFile.read(p)).hasMessageContaining("checksum");
        Files.writeString(p, "hello world, this is not an episode file");
        assertThatThrownBy(() -> EpisodeFile.read(p)).hasMessageContaining("not a Latte episode");
    }

    @Test
    void atomicWritesLeaveNoTemporaryFiles(@TempDir Path dir) throws Exception {
        AtomicFile.write(dir.resolve("a.json"), "{}");
        AtomicFile.write(dir.resolve("a.json"), "{\"x\":1}");
        assertThat(Files.readString(dir.resolve("a.json"))).isEqualTo("{\"x\":1}");
        try (var s = Files.list(dir)) {
            assertThat(s).hasSize(1);
        }
    }
}
