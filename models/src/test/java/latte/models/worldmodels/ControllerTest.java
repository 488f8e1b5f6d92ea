package latte.models.worldmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import latte.core.Rng;
import latte.envs.Space;
import org.junit.jupiter.api.Test;

class ControllerTest {
    static final Space.Box CAR_RACING = Space.Box.of(new float[] {-1, 0, 0}, new float[] {1, 1, 1});

    @Test
    void parameterCountsOfThePaper() {
        assertThat(Controller.Size.paper().parameterCount()).isEqualTo(867);        // (32 + 256) * 3 + 3
        assertThat(new Controller.Size(32, 0, 3).parameterCount()).isEqualTo(99);   // the z-only controller
        assertThat(new Controller.Size(64, 512, 3).parameterCount()).isEqualTo(1731); // Doom: 576 * 3 + 3
    }

    @Test
    void actionsStayInTheBoxAndFollowTheFormula() {
        Rng r = new Rng(1);
        float[] p = new float[867];
        r.fillNormal(p, 0, p.length, 0, 5);                                       // large weights: tanh saturates
        Controller c = new Controller(Controller.Size.paper(), CAR_RACING, p);
        for (int k = 0; k < 200; k++) {
            float[] f = new float[288];
            r.fillNormal(f, 0, f.length, 0, 3);
            float[] a = c.act(f);
            assertThat(CAR_RACING.contains(a)).as("action %s", java.util.Arrays.toString(a)).isTrue();
        }
        // by hand: one input, one output in [-2, 4]: u = w x + b, a = -2 + (tanh u + 1) / 2 * 6
        Controller one = new Controller(new Controller.Size(1, 0, 1), Space.Box.of(new float[] {-2}, new float[] {4}), new float[] {0.5f, -0.25f});
        double u = 0.5 * 1.5 - 0.25;
        assertThat((double) one.act(new float[] {1.5f})[0]).isCloseTo(-2 + (Math.tanh(u) + 1) / 2 * 6, within(1e-6));
        // z and h given apart are [z, h]
        float[] z = new float[32], h = new float[256];
        z[3] = 1;
        h[7] = -2;
        float[] f = new float[288];
        f[3] = 1;
        f[32 + 7] = -2;
        assertThat(c.act(z, h)).containsExactly(c.act(f));
    }

    @Test
    void discreteActionsTakeTheArgmax() {
        // 2 inputs, 3 actions: W rows then b
        float[] p = {1, 0, 0, 1, -1, -1, 0, 0, 0.5f};
        Controller c = new Controller(new Controller.Size(2, 0, 3), new Space.Discrete(3), p);
        assertThat(c.act(new float[] {2, 0})).containsExactly(0f);
        assertThat(c.act(new float[] {0, 2})).containsExactly(1f);
        assertThat(c.act(new float[] {-1, -1})).containsExactly(2f);
        assertThat(c.act(new float[] {0, 0})).containsExactly(2f);
    }

    @Test
    void fromACandidateAndClearErrors() {
        double[] x = new double[99];
        x[98] = 1e-3;
        assertThat(Controller.of(new Controller.Size(32, 0, 3), CAR_RACING, x).params()[98]).isEqualTo(1e-3f);
        assertThatThrownBy(() -> new Controller(Controller.Size.paper(), CAR_RACING, new float[866]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("866 parameters, expected 867");
        assertThatThrownBy(() -> new Controller(Controller.Size.paper(), new Space.Discrete(4), new float[867]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 outputs for actions Discrete(4)");
        assertThatThrownBy(() -> new Controller(new Controller.Size(1, 0, 1), Space.Box.uniform(Float.NEGATIVE_INFINITY, 0, 1), new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a bounded box");
        Controller c = new Controller(Controller.Size.paper(), CAR_RACING, new float[867]);
        assertThatThrownBy(() -> c.act(new float[32])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 features, expected 288 = z 32 + h 256");
    }

    @Test
    void aHiddenLayerOfTanhUnitsSitsBetweenTheFeaturesAndTheSquash() {
        Controller.Size size = new Controller.Size(2, 1, 1, 2);                       // inputs 3, 2 units, 1 output
        assertThat(size.parameterCount()).isEqualTo(3 * 2 + 2 + 2 * 1 + 1);
        // W1 rows (1, 0, 0), (0, 2, -1), b1 (0, 0.5); W2 (1.5, -1), b2 0.25
        float[] p = {1, 0, 0, 0, 2, -1, 0, 0.5f, 1.5f, -1, 0.25f};
        Controller c = new Controller(size, Space.Box.uniform(-2, 2, 1), p);
        float[] f = {0.3f, -0.4f, 0.7f};
        double h0 = Math.tanh(0.3), h1 = Math.tanh(2 * -0.4 - 0.7 + 0.5), u = 1.5 * h0 - h1 + 0.25;
        assertThat((double) c.act(f)[0]).isCloseTo(-2 + (Math.tanh(u) + 1) / 2 * 4, org.assertj.core.api.Assertions.within(1e-6));
        assertThatThrownBy(() -> new Controller.Size(2, 1, 1, -1)).hasMessageContaining("units -1");
    }
}
