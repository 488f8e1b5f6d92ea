package latte.models.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import latte.core.Rng;
import org.junit.jupiter.api.Test;

class CemTest {
    /** R(a) = -sum_t sum_d (a_td - target_td)^2: the optimum is the target sequence. */
    private static Cem.Objective quadratic(float[][] target) {
        return (actions, j, returns) -> {
            int h = target.length, a = target[0].length;
            for (int c = 0; c < j; c++) {
                double s = 0;
                for (int t = 0; t < h; t++)
                    for (int d = 0; d < a; d++) {
                        double e = actions[(t * j + c) * a + d] - target[t][d];
                        s -= e * e;
                    }
                returns[c] = (float) s;
            }
        };
    }

    @Test
    void findsTheOptimumOfAQuadraticReward() {
        float[][] target = {{0.3f, -0.6f}, {0.8f, 0.1f}, {-0.2f, 0.5f}};
        Cem cem = new Cem(new Cem.Config(3, 400, 40, 8), new float[] {-1, -1}, new float[] {1, 1});
        float[] first = cem.plan(quadratic(target), new Rng(7));
        assertThat(first[0]).isCloseTo(0.3f, org.assertj.core.data.Offset.offset(0.03f));
        assertThat(first[1]).isCloseTo(-0.6f, org.assertj.core.data.Offset.offset(0.03f));
    }

    @Test
    void clipsToTheActionBoxWhenTheOptimumIsOutside() {
        float[][] target = {{3f}, {3f}};
        Cem cem = new Cem(new Cem.Config(2, 200, 20, 6), new float[] {-0.5f}, new float[] {0.5f});
        float[] first = cem.plan(quadratic(target), new Rng(1));
        assertThat(first[0]).isLessThanOrEqualTo(0.5f).isGreaterThan(0.45f);
    }

    @Test
    void sameSeedSamePlan() {
        float[][] target = {{0.1f}, {0.2f}};
        Cem cem = new Cem(new Cem.Config(2, 100, 10, 3), new float[] {-1}, new float[] {1});
        float[] a = cem.plan(quadratic(target), new Rng(3));
        float[] b = cem.plan(quadratic(target), new Rng(3));
        assertThat(a).containsExactly(b);
    }

    @Test
    void rejectsBadConfigAndNaNScores() {
        assertThatThrownBy(() -> new Cem.Config(12, 10, 20, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topK");
        assertThatThrownBy(() -> new Cem(Cem.Config.paper(), new float[] {1}, new float[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty action range");
        Cem cem = new Cem(new Cem.Config(1, 4, 2, 1), new float[] {-1}, new float[] {1});
        assertThatThrownBy(() -> cem.plan((x, j, r) -> java.util.Arrays.fill(r, Float.NaN), new Rng(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NaN");
    }
}
