package latte.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpaceTest {
    @Test
    void boxChecksItsShapeAndBounds() {
        Space.Box b = Space.Box.of(new float[] {-1, 0}, new float[] {1, 2});
        assertThat(b.size()).isEqualTo(2);
        assertThat(b.contains(new float[] {0.5f, 2f})).isTrue();
        assertThat(b.contains(new float[] {0.5f, 2.1f})).isFalse();
        assertThat(b.contains(new float[] {Float.NaN, 1f})).isFalse();
        assertThat(b.contains(new float[] {0})).isFalse();
        assertThat(b.toString()).isEqualTo("Box[2] low=[-1, 0] high=[1, 2]");
        assertThat(Space.Box.uniform(0, 255, 64, 64, 3).toString()).isEqualTo("Box[64, 64, 3] [0, 255]");
        assertThatThrownBy(() -> new Space.Box(new float[3], new float[3], new int[] {2, 2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 4 bounds");
        assertThatThrownBy(() -> Space.Box.of(new float[] {1}, new float[] {0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low[0] = 1.0 > high[0] = 0.0");
        assertThatThrownBy(() -> new Space.Discrete(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n = 0");
        assertThat(new Space.Discrete(3).size()).isEqualTo(1);
    }

    @Test
    void frameChecksItsSizeAndIndexesHwc() {
        byte[] d = new byte[2 * 3 * 3];
        d[(1 * 3 + 2) * 3 + 1] = (byte) 200; // row 1, column 2, green
        Frame f = new Frame(2, 3, 3, d);
        assertThat(f.at(1, 2, 1)).isEqualTo(200);
        assertThatThrownBy(() -> new Frame(2, 3, 3, new byte[17])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 18 bytes");
        assertThatThrownBy(() -> new Observation.State(new float[1]).frame()).isInstanceOf(IllegalStateException.class);
    }
}
