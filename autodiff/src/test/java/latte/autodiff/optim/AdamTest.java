package latte.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import latte.autodiff.ParamStore;
import latte.autodiff.Var;
import org.junit.jupiter.api.Test;

class AdamTest {
    @Test
    void firstTwoStepsMatchHandComputation() {
        ParamStore s = new ParamStore();
        Var p = s.root().param("p", new float[] {1f, -2f}, 2);
        Adam adam = new Adam(s, new Adam.Config(0.1, 0.9, 0.999, 1e-8, 0));
        s.grads()[0] = 0.5f;
        s.grads()[1] = -4f;
        adam.step();
        // t=1: m = 0.1 g, v = 0.001 g^2; mhat = g, vhat = g^2 -> p -= lr * sign(g) (up to eps)
        assertThat((double) p.at(0)).isCloseTo(1 - 0.1, within(1e-5));
        assertThat((double) p.at(1)).isCloseTo(-2 + 0.1, within(1e-5));
        s.grads()[0] = 1f;
        s.grads()[1] = 0f;
        adam.step();
        // t=2, element 0: m = 0.9*0.05 + 0.1*1 = 0.145; v = 0.999*0.00025 + 0.001*1 = 0.00124975
        double m = 0.145 / (1 - 0.81), v = 0.00124975 / (1 - 0.998001);
        assertThat((double) p.at(0)).isCloseTo(0.9 - 0.1 * m / (Math.sqrt(v) + 1e-8), within(1e-5));
        // element 1: m = 0.9*(-0.4) = -0.36, v = 0.999 * 0.016
        double m1 = -0.36 / (1 - 0.81), v1 = 0.999 * 0.016 / (1 - 0.998001);
        assertThat((double) p.at(1)).isCloseTo(-1.9 - 0.1 * m1 / (Math.sqrt(v1) + 1e-8), within(1e-5));
        assertThat(adam.steps()).isEqualTo(2);
    }

    @Test
    void decoupledWeightDecayShrinksBeforeTheUpdate() {
        ParamStore s = new ParamStore();
        Var p = s.root().param("p", new float[] {2f}, 1);
        Adam adam = new Adam(s, Adam.Config.of(0.01).withWeightDecay(0.5));
        s.grads()[0] = 3f;
        adam.step();
        assertThat((double) p.at(0)).isCloseTo(2 * (1 - 0.01 * 0.5) - 0.01, within(1e-5));
    }

    @Test
    void scheduleSetsTheRate() {
        ParamStore s = new ParamStore();
        Var p = s.root().param("p", new float[] {0f}, 1);
        Adam adam = new Adam(s, Adam.Config.of(1.0), LrSchedule.linearWarmup(4));
        s.grads()[0] = 1f;
        adam.step();
        assertThat(adam.lastLr()).isEqualTo(0.25);
        assertThat((double) p.at(0)).isCloseTo(-0.25, within(1e-5));
        assertThat(LrSchedule.cosine(10, 0.1).lr(11, 2.0)).isCloseTo(0.2, within(1e-12));
        assertThat(LrSchedule.cosine(10, 0.1).lr(1, 2.0)).isEqualTo(2.0);
    }

    @Test
    void minimisesAQuadratic() {
        ParamStore s = new ParamStore();
        Var p = s.root().param("p", new float[] {5f, -3f}, 2);
        Adam adam = new Adam(s, Adam.Config.of(0.1));
        for (int i = 0; i < 500; i++) {
            s.zeroGrad();
            try (latte.autodiff.Tape t = latte.autodiff.Tape.record()) {
                t.backward(latte.autodiff.ReduceOps.sum(latte.autodiff.Ops.square(latte.autodiff.Ops.addScalar(p, -1f))));
            }
            adam.step();
        }
        assertThat((double) p.at(0)).isCloseTo(1, within(1e-2));
        assertThat((double) p.at(1)).isCloseTo(1, within(1e-2));
    }

    @Test
    void globalNormClipping() {
        ParamStore s = new ParamStore();
        s.root().zeros("a", 2);
        s.root().zeros("b", 1);
        s.grads()[0] = 3f;
        s.grads()[1] = 0f;
        s.grads()[2] = 4f;
        assertThat(GradClip.globalNorm(s, 10)).isCloseTo(5, within(1e-9));
        assertThat(s.grads()[0]).isEqualTo(3f); // under the limit: untouched
        assertThat(GradClip.globalNorm(s, 1)).isCloseTo(5, within(1e-9));
        assertThat((double) s.grads()[0]).isCloseTo(0.6, within(1e-5));
        assertThat((double) s.grads()[2]).isCloseTo(0.8, within(1e-5));
        assertThat(s.gradNorm()).isCloseTo(1, within(1e-5));
    }

    @Test
    void restoredStateContinuesExactly() {
        ParamStore a = new ParamStore(), b = new ParamStore();
        Var pa = a.root().param("p", new float[] {1f, -1f, 0.5f}, 3);
        Var pb = b.root().param("p", new float[] {0f, 0f, 0f}, 3);
        Adam oa = new Adam(a, Adam.Config.of(0.05)), ob = new Adam(b, Adam.Config.of(0.05));
        float[][] grads = {{0.3f, -1f, 2f}, {0.1f, 0.4f, -0.2f}, {-0.5f, 0.2f, 0.9f}};
        for (int k = 0; k < 2; k++) {
            System.arraycopy(grads[k], 0, a.grads(), 0, 3);
            oa.step();
        }
        System.arraycopy(a.values(), 0, b.values(), 0, 3); // as a checkpoint would restore the values
        ob.restore(oa.state());
        System.arraycopy(grads[2], 0, a.grads(), 0, 3);
        System.arraycopy(grads[2], 0, b.grads(), 0, 3);
        oa.step();
        ob.step();
        assertThat(pb.toArray()).containsExactly(pa.toArray());
        assertThat(ob.steps()).isEqualTo(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ob.restore(new Adam.State(new float[2], new float[2], 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Adam.restore");
    }
}
