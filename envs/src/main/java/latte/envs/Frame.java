package latte.envs;

import java.util.Arrays;

/**
 * An image: {@code data} holds uint8 pixels in HWC order, {@code [height, width, channels]}.
 * Rendered frames have 3 channels (RGB); {@link FrameStack} concatenates k frames along the
 * channel axis (3k channels, oldest first).
 */
public record Frame(int height, int width, int channels, byte[] data) implements Observation {
    public Frame {
        if (height <= 0 || width <= 0 || channels <= 0 || data.length != height * width * channels) {
            throw new IllegalArgumentException("Frame: [" + height + ", " + width + ", " + channels
                    + "] needs " + ((long) height * width * channels) + " bytes, got " + data.length);
        }
    }

    /** Value in 0..255 of channel {@code c} at row {@code y}, column {@code x}. */
    public int at(int y, int x, int c) {
        return data[(y * width + x) * channels + c] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.height == height && f.width == width && f.channels == channels && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Frame[" + height + ", " + width + ", " + channels + "]";
    }
}
