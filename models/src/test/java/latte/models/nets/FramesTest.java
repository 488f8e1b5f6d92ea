package latte.models.nets;

import latte.core.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FramesTest {
    @Test
    void eachPixelLandsUniformlyInsideItsFiveBitBin() {
        int n = 40_000;
        byte[] px = new byte[n];
        for (int i = 0; i < n; i++) px[i] = (byte) (i * 37);
        float[] x = new float[n + 3];
        Frames.preprocess(px, 0, n, 5, new Rng(7), x, 3);
        double sumOffset = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            // PlaNet: floor(p / 8) / 32 - 0.5 is the bin's lower edge, the bin is 1/32 wide
            double lower = Math.floor((px[i] & 0xff) / 8.0) / 32.0 - 0.5;
            double off = x[3 + i] - lower;
            assertThat(off).isBetween(0.0, 1.0 / 32);
            sumOffset += off * 32;
            sumSq += off * 32 * off * 32;
        }
        // U(0, 1): mean 1/2, second moment 1/3 (standard errors about 0.0015)
        assertThat(sumOffset / n).isCloseTo(0.5, within(0.01));
        assertThat(sumSq / n).isCloseTo(1.0 / 3, within(0.01));
    }

    @Test
    void actingUsesTheBinCentreAndPostprocessInvertsIt() {
        byte[] px = new byte[256];
        for (int i = 0; i < 256; i++) px[i] = (byte) i;
        float[] x = new float[256];
        Frames.preprocess(px, 0, 256, 8, null, x, 0);
        for (int i = 0; i < 256; i++) assertThat(x[i]).isCloseTo((i + 0.5f) / 256f - 0.5f, within(1e-6f));
        byte[] back = new byte[256];
        Frames.postprocess(x, 0, 256, back, 0);
        for (int i = 0; i < 256; i++) assertThat(Math.abs((back[i] & 0xff) - i)).isLessThanOrEqualTo(1);
    }

    @Test
    void sameRngSameNoiseAndBadBitDepthIsAnError() {
        byte[] px = new byte[13];
        float[] a = new float[13], b = new float[13];
        Frames.preprocess(px, 0, 13, 5, new Rng(1), a, 0);
        Frames.preprocess(px, 0, 13, 5, new Rng(1), b, 0);
        assertThat(a).containsExactly(b);
        assertThatThrownBy(() -> Frames.preprocess(px, 0, 13, 9, null, a, 0)).hasMessageContaining("bit depth 9 not in 1..8");
    }
}
