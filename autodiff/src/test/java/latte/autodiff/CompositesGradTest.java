package latte.autodiff;

import static latte.autodiff.Composites.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import latte.core.Rng;
import org.junit.jupiter.api.Test;

/** Gradient checks of the composites and the convolutions, plus their values against direct formulas. */
class CompositesGradTest {
    private final Rng rnd = new Rng(11);

    Var randn(int... shape) {
        float[] d = new float[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = rnd.normal();
        return Var.leaf(d, shape);
    }

    @Test
    void linearGrad() {
        GradCheck.elementwise("linear", v -> linear(v[0], v[1], v[2]), randn(3, 4), randn(4, 5), randn(5));
        GradCheck.elementwise("linear 3d", v -> linear(v[0], v[1], v[2]), randn(2, 3, 2), randn(2, 3), randn(3));
        GradCheck.elementwise("linear no bias", v -> linear(v[0], v[1], null), randn(1, 3), randn(3, 1));
    }

    @Test
    void selectAndStack() {
        GradCheck.elementwise("select", v -> select(v[0], 0, 2), randn(3, 2, 4));
        GradCheck.elementwise("select mid", v -> select(v[0], 1, 0), randn(2, 3, 1));
        GradCheck.elementwise("stack 0", v -> stack(0, v[0], v[1], v[2]), randn(2, 3), randn(2, 3), randn(2, 3));
        GradCheck.elementwise("stack -1", v -> stack(-1, v[0], v[1]), randn(3), randn(3));
        Var a = Var.of(new float[] {1, 2, 3, 4}, 2, 2), b = Var.of(new float[] {5, 6, 7, 8}, 2, 2);
        Var s = stack(1, a, b);
        assertThat(s.shape()).containsExactly(2, 2, 2);
        assertThat(s.toArray()).containsExactly(1, 2, 5, 6, 3, 4, 7, 8);
        assertThat(select(s, 1, 1).toArray()).containsExactly(5, 6, 7, 8);
        assertThat(select(s, 2, 0).toArray()).containsExactly(1, 5, 3, 7);
    }

    @Test
    void mseGradAndValue() {
        GradCheck.elementwise("mse", v -> mse(v[0], v[1]), randn(3, 4), randn(3, 4));
        GradCheck.elementwise("mse broadcast", v -> mse(v[0], v[1]), randn(5, 3), randn(3));
        assertThat(mse(Var.of(new float[] {1, 2}, 2), Var.of(new float[] {0, 4}, 2)).item()).isEqualTo(2.5f);
    }

    @Test
    void softmaxGradAndValue() {
        GradCheck.elementwise("softmax", v -> softmax(v[0], -1), randn(3, 5));
        GradCheck.elementwise("softmax axis 0", v -> softmax(v[0], 0), randn(4, 2, 3));
        GradCheck.elementwise("logSoftmax", v -> logSoftmax(v[0], -1), randn(2, 7));
        GradCheck.elementwise("logSoftmax 1d", v -> logSoftmax(v[0], 0), randn(5));
        float[] p = softmax(Var.of(new float[] {1, 2, 3}, 3), 0).toArray();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        for (int i = 0; i < 3; i++) assertThat((double) p[i]).isCloseTo(Math.exp(i + 1) / z, within(1e-6));
    }

    @Test
    void layerNormGradAndValue() {
        GradCheck.Options o = GradCheck.Options.defaults().withEps(3e-3).withTolerance(2e-2, 2e-3);
        GradCheck.elementwise("layerNorm", o, v -> layerNorm(v[0], v[1], v[2], 1e-5f), randn(3, 6), randn(6), randn(6));
        GradCheck.elementwise("layerNorm 3d", o, v -> layerNorm(v[0], v[1], v[2], 1e-3f), randn(2, 2, 5), randn(5), randn(5));
        GradCheck.elementwise("layerNorm plain", o, v -> layerNorm(v[0], null, null, 1e-5f), randn(4, 3));
        float[] y = layerNorm(Var.of(new float[] {1, 2, 3, 4}, 1, 4), null, null, 0f).toArray();
        double sd = Math.sqrt(1.25);
        assertThat((double) y[0]).isCloseTo(-1.5 / sd, within(1e-5));
        assertThat((double) y[3]).isCloseTo(1.5 / sd, within(1e-5));
    }

    @Test
    void gruCellGradAndValue() {
        GradCheck.elementwise("gruCell", v -> gruCell(v[0], v[1], v[2], v[3], v[4], v[5]),
                randn(2, 3), randn(2, 4), randn(12, 3), randn(12, 4), randn(12), randn(12));
        GradCheck.elementwise("gruCell odd", v -> gruCell(v[0], v[1], v[2], v[3], null, null),
                randn(3, 1), randn(3, 3), randn(9, 1), randn(9, 3));
        // value against the equations written out by hand, B = 1, In = 1, H = 1
        float x = 0.5f, h = -0.3f;
        float[] wx = {0.1f, 0.2f, 0.3f}, wh = {-0.4f, 0.5f, 0.6f}, bx = {0.01f, 0.02f, 0.03f}, bh = {0.04f, 0.05f, 0.06f};
        double r = 1 / (1 + Math.exp(-(x * wx[0] + bx[0] + h * wh[0] + bh[0])));
        double z = 1 / (1 + Math.exp(-(x * wx[1] + bx[1] + h * wh[1] + bh[1])));
        double n = Math.tanh(x * wx[2] + bx[2] + r * (h * wh[2] + bh[2]));
        double expected = (1 - z) * n + z * h;
        float got = gruCell(Var.of(new float[] {x}, 1, 1), Var.of(new float[] {h}, 1, 1), Var.of(wx, 3, 1), Var.of(wh, 3, 1),
                Var.of(bx, 3), Var.of(bh, 3)).item();
        assertThat((double) got).isCloseTo(expected, within(1e-6));
    }

    @Test
    void fusedGruCellMatchesComposedAndGradChecks() {
        for (int[] s : new int[][] {{2, 3, 4}, {1, 1, 1}, {5, 7, 19}, {3, 2, 33}}) { // B, In, H: odd sizes, SIMD tails
            int b = s[0], in = s[1], h = s[2];
            Var x = randn(b, in), hv = randn(b, h), wi = randn(3 * h, in), wh = randn(3 * h, h), bi = randn(3 * h), bh = randn(3 * h);
            float[] fused = LayerOps.gruCell(x, hv, wi, wh, bi, bh).toArray(), composed = gruCell(x, hv, wi, wh, bi, bh).toArray();
            for (int i = 0; i < fused.length; i++) assertThat((double) fused[i]).isCloseTo(composed[i], within(2e-5));
            if (b * h <= 40)
                GradCheck.elementwise("fused gruCell " + java.util.Arrays.toString(s), v -> LayerOps.gruCell(v[0], v[1], v[2], v[3], v[4], v[5]), x, hv, wi, wh, bi, bh);
            else
                GradCheck.projected("fused gruCell " + java.util.Arrays.toString(s), 4, v -> LayerOps.gruCell(v[0], v[1], v[2], v[3], v[4], v[5]), x, hv, wi, wh, bi, bh);
        }
        GradCheck.elementwise("fused gruCell no bias", v -> LayerOps.gruCell(v[0], v[1], v[2], v[3], null, null), randn(2, 2), randn(2, 3), randn(9, 2), randn(9, 3));
        // only some inputs need a gradient (h is a constant): the others still get theirs
        Var x = randn(2, 2), h0 = Var.of(randn(2, 3).toArray(), 2, 3);
        GradCheck.elementwise("fused gruCell const h", v -> LayerOps.gruCell(v[0], h0, v[1], v[2], v[3], null), x, randn(9, 2), randn(9, 3), randn(9));
    }

    @Test
    void conv2dGrad() {
        GradCheck.elementwise("conv2d 3x3 s1 p1", v -> LayerOps.conv2d(v[0], v[1], v[2], 1, 1), randn(2, 5, 4, 3), randn(3, 3, 3, 2), randn(2));
        GradCheck.elementwise("conv2d 4x4 s2", v -> LayerOps.conv2d(v[0], v[1], v[2], 2, 0), randn(1, 7, 6, 2), randn(4, 4, 2, 3), randn(3));
        GradCheck.elementwise("conv2d 2x3 no bias", v -> LayerOps.conv2d(v[0], v[1], null, 1, 2, 0, 1), randn(2, 4, 5, 1), randn(2, 3, 1, 2));
    }

    @Test
    void convTranspose2dGrad() {
        GradCheck.elementwise("convT 4x4 s2", v -> LayerOps.convTranspose2d(v[0], v[1], v[2], 2), randn(1, 3, 2, 3), randn(4, 4, 2, 3), randn(2));
        GradCheck.elementwise("convT 3x3 s1 p1", v -> LayerOps.convTranspose2d(v[0], v[1], null, 1, 1, 1, 1, 0, 0), randn(2, 3, 3, 2), randn(3, 3, 1, 2));
        GradCheck.elementwise("convT 3x2 s2 outpad", v -> LayerOps.convTranspose2d(v[0], v[1], v[2], 2, 2, 1, 0, 1, 1), randn(1, 2, 3, 1), randn(3, 2, 2, 1), randn(2));
    }

    @Test
    void conv2dValueByHand() {
        // 1x3x3x1 image, 2x2 kernel of ones, stride 1: each output is the sum of a 2x2 window
        Var x = Var.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        Var w = Var.of(new float[] {1, 1, 1, 1}, 2, 2, 1, 1);
        assertThat(LayerOps.conv2d(x, w, Var.of(new float[] {10}, 1), 1, 0).toArray()).containsExactly(22, 26, 34, 38);
        // transposed: a single pixel of 1 stamps the kernel
        Var one = Var.of(new float[] {1}, 1, 1, 1, 1);
        Var k = Var.of(new float[] {1, 2, 3, 4}, 2, 2, 1, 1);
        assertThat(LayerOps.convTranspose2d(one, k, null, 2).toArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void projectedConvOnLargerShapes() {
        GradCheck.projected("conv2d large", 3, v -> LayerOps.conv2d(v[0], v[1], v[2], 2, 0), randn(2, 16, 16, 3), randn(4, 4, 3, 8), randn(8));
        GradCheck.projected("convT large", 3, v -> LayerOps.convTranspose2d(v[0], v[1], v[2], 2), randn(2, 5, 5, 8), randn(5, 5, 4, 8), randn(4));
    }
}
