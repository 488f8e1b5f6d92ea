package latte.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import latte.autodiff.ParamStore;
import org.junit.jupiter.api.Test;

class GradClipTest {
    @Test
    void byValueClampsEachGradientAndCountsThem() {
        ParamStore s = new ParamStore();
        s.root().zeros("a", 3);
        s.root().zeros("b", 2);
        float[] g = {3f, -0.5f, -2f, 1f, Float.NaN};
        System.arraycopy(g, 0, s.grads(), 0, 5);
        assertThat(GradClip.byValue(s, 1.0)).isEqualTo(2);
        assertThat(java.util.Arrays.copyOf(s.grads(), 5)).containsExactly(1f, -0.5f, -1f, 1f, Float.NaN);
        assertThatThrownBy(() -> GradClip.byValue(s, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clip 0.0 must be > 0");
    }
}
