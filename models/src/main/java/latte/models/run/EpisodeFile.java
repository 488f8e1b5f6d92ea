package latte.models.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import latte.autodiff.io.AtomicFile;
import latte.models.replay.Batch;
import latte.models.replay.ObsSpec;
import latte.models.replay.Replay;

/**
 * One collected episode on disk, so a resumed run gets its replay buffer back. Little-endian:
 * <pre>
 *   "LTEP" | version 2 | kind (int32: 0 frame, 1 grid, 2 vector) | H W C A steps (int32) | terminal (byte)
 *   | first observation (B bytes) | per step: A float32 action, float32 reward, B bytes observation
 *   | CRC32 of everything before (int32)
 * </pre>
 * B is the observation's stored size ({@link ObsSpec#bytes()}). Version 1 files (written before
 * grids and vectors were stored) have no kind field and hold frames; they are read as such.
 */
public final class EpisodeFile {
    private static final int MAGIC = 0x5045544C; // "LTEP" read little-endian
    private static final int VERSION = 2;

    /** An episode in memory: {@code obs[0]} is the first observation; step i has action i, reward i, observation i+1. */
    public record Episode(ObsSpec layout, int actionSize, byte[][] obs, float[][] actions, float[] rewards, boolean terminal) {
        public Episode {
            if (obs.length != rewards.length + 1 || actions.length != rewards.length)
                throw new IllegalArgumentException("Episode: " + obs.length + " observations, " + actions.length + " actions and "
                        + rewards.length + " rewards (expected steps + 1, steps, steps)");
        }

        public int steps() {
            return rewards.length;
        }

        /**
         * {@code steps} consecutive steps from step {@code start} (at least 1) as a batch of one
         * sequence, in {@link Batch}'s convention: {@code obs[t]} is observation {@code start + t},
         * {@code action[t]} the action that led to it and {@code reward[t]} the reward that came with it.
         */
        public Batch chunk(int start, int steps) {
            if (start < 1 || steps < 1 || start + steps - 1 > steps())
                throw new IllegalArgumentException("Episode.chunk: steps [" + start + ", " + (start + steps) + ") are not within the episode's"
                        + " observations 1.." + steps() + " (observation 0 has no action that led to it)");
            int frame = layout.bytes();
            byte[] o = new byte[steps * frame];
            float[] a = new float[steps * actionSize], r = new float[steps], c = new float[steps];
            for (int t = 0; t < steps; t++) {
                System.arraycopy(obs[start + t], 0, o, t * frame, frame);
                System.arraycopy(actions[start + t - 1], 0, a, t * actionSize, actionSize);
                r[t] = rewards[start + t - 1];
                c[t] = terminal && start + t == steps() ? 0f : 1f;
            }
            return new Batch(steps, 1, layout, actionSize, o, a, r, c);
        }

        /** Adds this episode to {@code replay}; returns how many older episodes it evicted. */
        public int addTo(Replay replay) {
            replay.begin(obs[0]);
            for (int i = 0; i < steps(); i++) replay.append(actions[i], rewards[i], obs[i + 1], terminal && i == steps() - 1);
            return replay.end();
        }
    }

    private EpisodeFile() {}

    public static void write(Path path, Episode e) {
        int frame = e.layout().bytes();
        int n = 4 * 8 + 1 + frame + e.steps() * (4 * e.actionSize() + 4 + frame) + 4;
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        ObsSpec l = e.layout();
        b.putInt(MAGIC).putInt(VERSION).putInt(l.kind().ordinal()).putInt(l.height()).putInt(l.width()).putInt(l.channels())
                .putInt(e.actionSize()).putInt(e.steps()).put((byte) (e.terminal() ? 1 : 0)).put(e.obs()[0]);
        for (int i = 0; i < e.steps(); i++) {
            for (float a : e.actions()[i]) b.putFloat(a);
            b.putFloat(e.rewards()[i]).put(e.obs()[i + 1]);
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
        if (version != 1 && version != VERSION)
            throw new IllegalArgumentException("episode file " + path + ": version " + version + ", expected 1 or " + VERSION);
        int kind = version == 1 ? 0 : b.getInt();
        int h = b.getInt(), w = b.getInt(), c = b.getInt(), a = b.getInt(), steps = b.getInt();
        boolean terminal = b.get() != 0;
        if (kind < 0 || kind >= ObsSpec.Kind.values().length || h <= 0 || w <= 0 || c <= 0 || a <= 0 || steps < 0)
            throw new IllegalArgumentException("episode file " + path + ": corrupt header (kind " + kind + ", [" + h + ", " + w + ", "
                    + c + "], " + a + " actions, " + steps + " steps)");
        ObsSpec layout;
        try {
            layout = new ObsSpec(ObsSpec.Kind.values()[kind], h, w, c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("episode file " + path + ": corrupt header (" + e.getMessage() + ")", e);
        }
        long frame = layout.bytes();
        long expected = b.position() + frame + (long) steps * (4L * a + 4 + frame) + 4;
        if (expected != bytes.length)
            throw new IllegalArgumentException("episode file " + path + ": truncated or corrupt (header says " + layout + ", "
                    + a + " actions, " + steps + " steps = " + expected + " bytes; file has " + bytes.length + ")");
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt())
            throw new IllegalArgumentException("episode file " + path + ": checksum mismatch (corrupt file)");
        byte[][] obs = new byte[steps + 1][(int) frame];
        float[][] actions = new float[steps][a];
        float[] rewards = new float[steps];
        b.get(obs[0]);
        for (int i = 0; i < steps; i++) {
            for (int d = 0; d < a; d++) actions[i][d] = b.getFloat();
            rewards[i] = b.getFloat();
            b.get(obs[i + 1]);
        }
        return new Episode(layout, a, obs, actions, rewards, terminal);
    }
}
