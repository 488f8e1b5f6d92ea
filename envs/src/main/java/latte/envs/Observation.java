package latte.envs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What an environment returns: a state vector, pixels ({@link Frame}), or a boolean grid of
 * object channels ({@link Grid}, MinAtar).
 */
public sealed interface Observation permits Observation.State, Observation.Grid, Frame {

    /** A vector of floats (positions, velocities, sines and cosines of angles, ...). */
    record State(float[] values) implements Observation {
        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(values, s.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "State" + Arrays.toString(values);
        }
    }

    /**
     * A boolean grid {@code [height, width, channels]} in row-major HWC order: channel {@code c}
     * of cell (row {@code y}, column {@code x}) is on when {@code cells[(y * width + x) * channels + c] == 1}.
     * Every entry is 0 or 1.
     */
    record Grid(int height, int width, int channels, byte[] cells) implements Observation {
        public Grid {
            if (height <= 0 || width <= 0 || channels <= 0 || cells.length != height * width * channels)
                throw new IllegalArgumentException("Grid: [" + height + ", " + width + ", " + channels + "] needs "
                        + ((long) height * width * channels) + " cells, got " + cells.length);
            if (!zeroOrOne(cells)) {
                for (int i = 0; i < cells.length; i++)
                    if (cells[i] != 0 && cells[i] != 1)
                        throw new IllegalArgumentException("Grid: cell " + i + " is " + cells[i] + ", expected 0 or 1");
            }
        }

        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

        /** Whether every byte is 0 or 1: no bit but the lowest set anywhere, checked 8 bytes at a time (MinAtar steps make one grid each). */
        private static boolean zeroOrOne(byte[] cells) {
            long or = 0;
            int i = 0;
            for (; i + 8 <= cells.length; i += 8) or |= (long) LONGS.get(cells, i);
            for (; i < cells.length; i++) or |= cells[i];
            return (or & 0xFEFEFEFEFEFEFEFEL) == 0;
        }

        /** Whether channel {@code c} of cell (y, x) is on. */
        public boolean at(int y, int x, int c) {
            return cells[(y * width + x) * channels + c] == 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Grid g && g.height == height && g.width == width && g.channels == channels
                    && Arrays.equals(cells, g.cells);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(cells);
        }

        @Override
        public String toString() {
            return "Grid[" + height + ", " + width + ", " + channels + "]";
        }
    }

    /** The grid; throws if this is not a grid. */
    default Grid grid() {
        if (this instanceof Grid g) return g;
        throw new IllegalStateException("observation is a " + this + ", not a grid");
    }

    /** The state vector; throws if this is a frame. */
    default float[] state() {
        if (this instanceof State s) return s.values();
        throw new IllegalStateException("observation is a " + this + ", not a state vector");
    }

    /** The frame; throws if this is a state vector. */
    default Frame frame() {
        if (this instanceof Frame f) return f;
        throw new IllegalStateException("observation is a " + this + ", not a frame");
    }
}
