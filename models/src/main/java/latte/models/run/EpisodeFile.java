package latte.models.run;

import latte.autodiff.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import latte.models.replay.Replay;

/**
 * One collected episode on disk, so a resumed run gets its replay buffer back. Little-endian:
 * <pre>
 *   "LTEP" | version 1 | H W C A steps (int32) | terminal (byte)
 *   | first frame (H*W*C bytes) | per step: A float32 action, float32 reward, H*W*C bytes frame
 *   | CRC32 of everything before (int32)
 * </pre>
 */
public final class EpisodeFile {
    private static final int MAGIC = 0x5045544C; // "LTEP" read little-endian
    private static final int VERSION = 1;

    /** An episode in memory: {@code frames[0]} is the first frame; step i has action i, reward i, frame i+1. */
    public record Episode(int height, int width, int channels, int actionSize, byte[][] frames, float[][] actions,
                          float[] rewards, boolean terminal) {
        public int steps() {
            return rewards.length;
        }

        /** Adds this episode to {@code replay}. */
        public void addTo(Replay replay) {
            replay.begin(frames[0]);
            for (int i = 0; i < steps(); i++) replay.append(actions[i], rewards[i], frames[i + 1], terminal && i == steps() - 1);
            replay.end();
        }
    }

    private EpisodeFile() {}

    public static void write(Path path, Episode e) {
        int frame = e.height() * e.width() * e.channels();
        int n = 4 * 7 + 1 + frame + e.steps() * (4 * e.actionSize() + 4 + frame) + 4;
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(e.height()).putInt(e.width()).putInt(e.channels())
                .putInt(e.actionSize()).putInt(e.steps()).put((byte) (e.terminal() ? 1 : 0)).put(e.frames()[0]);
        for (int i = 0; i < e.steps(); i++) {
            for (float a : e.actions()[i]) b.putFloat(a);
            b.putFloat(e.rewards()[i]).put(e.frames()[i + 1]);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, n - 4);
        b.putInt((int) crc.getValue());
        AtomicFile.write(path, b.array());
    }

    public static Episode read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("episode file " + path + " is missing (the run's state counts it; "
                    + "was the episodes/ folder moved or pruned?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("episode file " + path + ": " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 29 || b.getInt() != MAGIC)
            throw new IllegalArgumentException("episode file " + path + ": not a Latte episode (bad magic or too short)");
        int version = b.getInt();
        if (version != VERSION)
            throw new IllegalArgumentException("episode file " + path + ": version " + version + ", expected " + VERSION);
        int h = b.getInt(), w = b.getInt(), c = b.getInt(), a = b.getInt(), steps = b.getInt();
        boolean terminal = b.get() != 0;
        long frame = (long) h * w * c;
        long expected = 29 + frame + (long) steps * (4L * a + 4 + frame) + 4;
        if (h <= 0 || w <= 0 || c <= 0 || a <= 0 || steps < 0 || expected != bytes.length)
            throw new IllegalArgumentException("episode file " + path + ": truncated or corrupt (header says [" + h + ", "
                    + w + ", " + c + "], " + a + " actions, " + steps + " steps = " + expected + " bytes; file has " + bytes.length + ")");
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt())
            throw new IllegalArgumentException("episode file " + path + ": checksum mismatch (corrupt file)");
        byte[][] frames = new byte[steps + 1][(int) frame];
        float[][] actions = new float[steps][a];
        float[] rewards = new float[steps];
        b.get(frames[0]);
        for (int i = 0; i < steps; i++) {
            for (int d = 0; d < a; d++) actions[i][d] = b.getFloat();
            rewards[i] = b.getFloat();
            b.get(frames[i + 1]);
        }
        return new Episode(h, w, c, a, frames, actions, rewards, terminal);
    }
}
