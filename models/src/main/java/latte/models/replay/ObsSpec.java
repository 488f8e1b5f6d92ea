package latte.models.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import latte.envs.Frame;
import latte.envs.Observation;

/**
 * How one observation is laid out in the replay buffer, in batches and in episode files: raw
 * bytes of a fixed length, whatever the kind.
 * <pre>
 *   FRAME   uint8 pixels [H, W, C], one byte each (64x64x3 for the pixel agents)
 *   GRID    0/1 cells [H, W, C], one byte each (MinAtar: 10x10xC)
 *   VECTOR  float32 values [1, 1, n], four little-endian bytes each (a task's state)
 * </pre>
 * Frames and grids stay bytes until a model reads them (a 64x64x3 frame is 12 KB, not 48);
 * vectors keep every bit of their floats.
 */
public record ObsSpec(Kind kind, int height, int width, int channels) {
    /** The observation kinds the replay holds. */
    public enum Kind { FRAME, GRID, VECTOR }

    public ObsSpec {
        if (kind == null || height <= 0 || width <= 0 || channels <= 0 || (kind == Kind.VECTOR && (height != 1 || width != 1)))
            throw new IllegalArgumentException("ObsSpec: " + kind + " [" + height + ", " + width + ", " + channels
                    + "], expected positive sizes (a VECTOR of n values is [1, 1, n])");
    }

    public static ObsSpec frame(int height, int width, int channels) {
        return new ObsSpec(Kind.FRAME, height, width, channels);
    }

    public static ObsSpec grid(int height, int width, int channels) {
        return new ObsSpec(Kind.GRID, height, width, channels);
    }

    public static ObsSpec vector(int n) {
        return new ObsSpec(Kind.VECTOR, 1, 1, n);
    }

    /** The layout of {@code o}. */
    public static ObsSpec of(Observation o) {
        return switch (o) {
            case Frame f -> frame(f.height(), f.width(), f.channels());
            case Observation.Grid g -> grid(g.height(), g.width(), g.channels());
            case Observation.State s -> vector(s.values().length);
        };
    }

    /** Values in one observation: H * W * C. */
    public int values() {
        return height * width * channels;
    }

    /** Bytes of one stored observation. */
    public int bytes() {
        return kind == Kind.VECTOR ? 4 * channels : values();
    }

    /** The stored bytes of {@code o}; it must have this layout. */
    public byte[] encode(Observation o) {
        if (o == null || !of(o).equals(this))
            throw new IllegalArgumentException("observation " + o + ", expected " + this);
        return switch (o) {
            case Frame f -> f.data().clone();
            case Observation.Grid g -> g.cells().clone();
            case Observation.State s -> {
                ByteBuffer b = ByteBuffer.allocate(bytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : s.values()) b.putFloat(v);
                yield b.array();
            }
        };
    }

    /** The observation stored as {@code bytes} at {@code offset}. */
    public Observation decode(byte[] bytes, int offset) {
        return switch (kind) {
            case FRAME -> new Frame(height, width, channels, java.util.Arrays.copyOfRange(bytes, offset, offset + bytes()));
            case GRID -> new Observation.Grid(height, width, channels, java.util.Arrays.copyOfRange(bytes, offset, offset + bytes()));
            case VECTOR -> {
                ByteBuffer b = ByteBuffer.wrap(bytes, offset, bytes()).order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[channels];
                for (int i = 0; i < channels; i++) v[i] = b.getFloat();
                yield new Observation.State(v);
            }
        };
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " [" + height + ", " + width + ", " + channels + "]";
    }
}
