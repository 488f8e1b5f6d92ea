package latte.models.dreamer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import latte.autodiff.Var;
import org.junit.jupiter.api.Test;

class ReturnsTest {

    private static List<Var> of(float... x) {
        Var[] v = new Var[x.length];
        for (int i = 0; i < x.length; i++) v[i] = Var.of(new float[] {x[i]}, 1);
        return List.of(v);
    }

    @Test
    void lambdaReturnMatchesAHandComputedCase() {
        // H = 4: r = (1, 2, 3, 4), v = (10, 20, 30, 40), gamma 0.5, lambda 0.5
        // R_3 = v_3 = 40
        // R_2 = 3 + 0.5 (0.5 * 40 + 0.5 * 40)   = 23
        // R_1 = 2 + 0.5 (0.5 * 30 + 0.5 * 23)   = 15.25
        // R_0 = 1 + 0.5 (0.5 * 20 + 0.5 * 15.25) = 9.8125
        List<Var> r = Returns.lambda(of(1, 2, 3, 4), of(10, 20, 30, 40), of(0.5f, 0.5f, 0.5f, 0.5f), 0.5f);
        assertThat(r).hasSize(3);
        assertThat(r.get(0).item()).isCloseTo(9.8125f, within(1e-5f));
        assertThat(r.get(1).item()).isCloseTo(15.25f, within(1e-5f));
        assertThat(r.get(2).item()).isCloseTo(23f, within(1e-5f));
    }

    @Test
    void lambdaOneIsTheDiscountedSumAndLambdaZeroIsOneStepTD() {
        // lambda 1: R_0 = r_0 + g r_1 + g^2 v_2;  lambda 0: R_0 = r_0 + g v_1
        List<Var> mc = Returns.lambda(of(1, 2, 3), of(5, 6, 7), of(0.9f, 0.9f, 0.9f), 1f);
        assertThat(mc.getFirst().item()).isCloseTo(1 + 0.9f * 2 + 0.81f * 7, within(1e-5f));
        List<Var> td = Returns.lambda(of(1, 2, 3), of(5, 6, 7), of(0.9f, 0.9f, 0.9f), 0f);
        assertThat(td.getFirst().item()).isCloseTo(1 + 0.9f * 6, within(1e-5f));
    }

    @Test
    void weightsAreTheCumulativeDiscounts() {
        List<Var> w = Returns.weights(of(0.5f, 0.25f, 0.1f, 0.7f));
        assertThat(w).hasSize(3);
        assertThat(w.get(0).item()).isEqualTo(1f);
        assertThat(w.get(1).item()).isCloseTo(0.5f, within(1e-6f));
        assertThat(w.get(2).item()).isCloseTo(0.125f, within(1e-6f));
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> Returns.lambda(of(1, 2), of(1, 2, 3), of(1, 1), 0.95f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 values");
    }
}
