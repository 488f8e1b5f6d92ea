package latte.models.run;

import latte.autodiff.io.AtomicFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.models.replay.ObsSpec;
import latte.models.replay.Replay;
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
        EpisodeFile.Episode e = new EpisodeFile.Episode(ObsSpec.frame(1, 2, 3), 2, frames, new float[][] {{0.5f, -1}, {1, 0}},
                new float[] {-3.5f, 2f}, true);
        Path p = dir.resolve("e.ep");
        EpisodeFile.write(p, e);
        EpisodeFile.Episode r = EpisodeFile.read(p);
        assertThat(r.obs()).isDeepEqualTo(frames);
        assertThat(r.layout()).isEqualTo(ObsSpec.frame(1, 2, 3));
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
    void everyObservationKindRoundTripsThroughEpisodeFilesAndTheReplay(@TempDir Path dir) {
        Observation[] kinds = {
                new Frame(2, 2, 3, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255}),
                new Observation.Grid(2, 3, 2, new byte[] {1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1}),
                new Observation.State(new float[] {-1.5f, Float.MIN_VALUE, 3e8f})};
        for (Observation o : kinds) {
            ObsSpec layout = ObsSpec.of(o);
            byte[] bytes = layout.encode(o);
            assertThat(bytes).hasSize(layout.bytes());
            assertThat(layout.decode(bytes, 0)).isEqualTo(o);
            EpisodeFile.Episode e = new EpisodeFile.Episode(layout, 1, new byte[][] {bytes, bytes}, new float[][] {{0.25f}},
                    new float[] {1f}, false);
            Path p = dir.resolve(layout.kind() + ".ep");
            EpisodeFile.write(p, e);
            EpisodeFile.Episode r = EpisodeFile.read(p);
            assertThat(r.layout()).isEqualTo(layout);
            assertThat(layout.decode(r.obs()[1], 0)).isEqualTo(o);
            Replay replay = new Replay(layout, 1, 100);
            r.addTo(replay);
            assertThat(layout.decode(replay.sample(1, 1, new latte.core.Rng(0)).obs(), 0)).isEqualTo(o);
        }
        ObsSpec frame = ObsSpec.frame(2, 2, 3);
        assertThatThrownBy(() -> frame.encode(kinds[1])).hasMessageContaining("expected frame [2, 2, 3]");
        assertThatThrownBy(() -> frame.encode(null)).hasMessageContaining("observation null");
    }

    /** A version-1 file (frames only, no kind field) as the code before grids wrote it, byte by byte. */
    @Test
    void versionOneEpisodeFilesStillReadAsFrames(@TempDir Path dir) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(29 + 3 + (4 + 4 + 3) + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x5045544C).putInt(1).putInt(1).putInt(1).putInt(3).putInt(1).putInt(1).put((byte) 1);
        b.put(new byte[] {10, 20, 30}).putFloat(-0.5f).putFloat(2.5f).put(new byte[] {40, 50, 60});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        Path p = dir.resolve("v1.ep");
        Files.write(p, b.array());
        EpisodeFile.Episode e = EpisodeFile.read(p);
        assertThat(e.layout()).isEqualTo(ObsSpec.frame(1, 1, 3));
        assertThat(e.obs()).isDeepEqualTo(new byte[][] {{10, 20, 30}, {40, 50, 60}});
        assertThat(e.actions()[0]).containsExactly(-0.5f);
        assertThat(e.rewards()).containsExactly(2.5f);
        assertThat(e.terminal()).isTrue();
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
