package latte.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import latte.autodiff.Composites;
import latte.autodiff.GradCheck;
import latte.autodiff.Ops;
import latte.autodiff.ParamStore;
import latte.autodiff.Var;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

class LayersTest {
    final Rng rng = new Rng(3);

    Var randn(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        rng.fillNormal(v, 0, n, 0f, 1f);
        return Var.leaf(v, shape);
    }

    /** All values in (-b, b) and variance close to b^2 / 3 (uniform). */
    static void assertUniform(Var v, double b) {
        float[] w = v.toArray();
        double s = 0;
        for (float x : w) {
            assertThat(Math.abs((double) x)).isLessThanOrEqualTo(b);
            s += (double) x * x;
        }
        assertThat(s / w.length).isCloseTo(b * b / 3, within(b * b / 3 * 0.1));
    }

    @Test
    void torchDefaultInitBounds() {
        ParamStore s = new ParamStore();
        Linear l = new Linear(s.scope("fc"), 64, 50, rng);
        assertUniform(l.weight(), 1 / Math.sqrt(64));
        Conv2d c = new Conv2d(s.scope("conv"), 3, 32, 4, 2, 0, rng);
        assertUniform(c.weight(), 1 / Math.sqrt(3 * 16));
        assertThat(c.weight().shape()).containsExactly(4, 4, 3, 32);
        ConvTranspose2d t = new ConvTranspose2d(s.scope("deconv"), 128, 64, 5, 2, rng);
        assertUniform(t.weight(), 1 / Math.sqrt(64 * 25));
        assertThat(t.weight().shape()).containsExactly(5, 5, 64, 128);
        GruCell g = new GruCell(s.scope("gru"), 30, 200, rng);
        assertUniform(g.weightHh(), 1 / Math.sqrt(200));
        assertThat(g.weightIh().shape()).containsExactly(600, 30);
        for (float b : l.bias().toArray()) assertThat(Math.abs((double) b)).isLessThanOrEqualTo(1 / Math.sqrt(64));
    }

    @Test
    void sameSeedSameParameters() {
        ParamStore a = new ParamStore(), b = new ParamStore();
        new Mlp(a.scope("mlp"), 5, new int[] {7, 7}, 2, Activation.ELU, new Rng(9));
        new Mlp(b.scope("mlp"), 5, new int[] {7, 7}, 2, Activation.ELU, new Rng(9));
        assertThat(java.util.Arrays.copyOf(a.values(), a.size())).isEqualTo(java.util.Arrays.copyOf(b.values(), b.size()));
        assertThat(a.params()).extracting(ParamStore.Param::name)
                .containsExactly("mlp.0.weight", "mlp.0.bias", "mlp.1.weight", "mlp.1.bias", "mlp.2.weight", "mlp.2.bias");
    }

    @Test
    void mlpForwardIsTheComposition() {
        ParamStore s = new ParamStore();
        Mlp m = new Mlp(s.root(), 3, new int[] {4}, 2, Activation.TANH, rng);
        Var x = Var.of(new float[] {0.1f, -0.2f, 0.3f}, 1, 3);
        Linear l0 = m.layers().get(0), l1 = m.layers().get(1);
        float[] expected = Composites.linear(Ops.tanh(Composites.linear(x, l0.weight(), l0.bias())), l1.weight(), l1.bias()).toArray();
        // and by hand for the first output
        double h[] = new double[4];
        for (int j = 0; j < 4; j++) {
            double a = l0.bias().at(j);
            for (int i = 0; i < 3; i++) a += x.at(i) * l0.weight().at(i * 4 + j);
            h[j] = Math.tanh(a);
        }
        double y0 = l1.bias().at(0);
        for (int j = 0; j < 4; j++) y0 += h[j] * l1.weight().at(j * 2);
        float[] got = m.apply(x).toArray();
        assertThat(got).containsExactly(expected);
        assertThat((double) got[0]).isCloseTo(y0, within(1e-5));
    }

    @Test
    void layerGradientsThroughTheStore() {
        ParamStore s = new ParamStore();
        Mlp mlp = new Mlp(s.scope("mlp"), 3, new int[] {5}, 2, Activation.ELU, rng);
        Var x = randn(4, 3);
        Var[] all = new Var[s.params().size() + 1];
        all[0] = x;
        for (int i = 0; i < s.params().size(); i++) all[i + 1] = s.params().get(i).var();
        GradCheck.elementwise("mlp", v -> mlp.apply(v[0]), all);

        ParamStore s2 = new ParamStore();
        LayerNorm ln = new LayerNorm(s2.scope("ln"), 5);
        GradCheck.elementwise("layerNorm layer", GradCheck.Options.defaults().withEps(3e-3).withTolerance(2e-2, 2e-3),
                v -> ln.apply(v[0]), randn(3, 5), ln.gamma(), ln.beta());

        ParamStore s3 = new ParamStore();
        GruCell gru = new GruCell(s3.scope("gru"), 3, 4, rng);
        Var gx = randn(2, 3), gh = randn(2, 4);
        GradCheck.elementwise("gru layer (fused)", v -> gru.apply(v[0], v[1]), gx, gh, gru.weightIh(), gru.weightHh(), gru.biasIh(), gru.biasHh());
        GradCheck.elementwise("gru layer (composed)", v -> gru.applyComposed(v[0], v[1]), gx, gh, gru.weightIh(), gru.weightHh(), gru.biasIh(), gru.biasHh());

        ParamStore s4 = new ParamStore();
        Conv2d conv = new Conv2d(s4.scope("c"), 2, 3, 3, 2, 1, rng);
        ConvTranspose2d deconv = new ConvTranspose2d(s4.scope("d"), 3, 2, 4, 2, 1, 0, rng);
        GradCheck.elementwise("conv -> deconv", v -> deconv.apply(Ops.tanh(conv.apply(v[0]))), randn(1, 5, 5, 2),
                conv.weight(), conv.bias(), deconv.weight(), deconv.bias());
        // accumulated into the store's flat gradient array at each parameter's offset
        assertThat(s4.gradNorm()).isGreaterThan(0);
    }
}
