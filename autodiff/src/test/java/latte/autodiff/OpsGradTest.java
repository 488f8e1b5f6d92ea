package latte.autodiff;

import static latte.autodiff.Ops.*;
import static latte.autodiff.LayerOps.*;
import static latte.autodiff.ReduceOps.*;
import static latte.autodiff.ShapeOps.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import latte.core.Rng;
import java.util.List;
import latte.autodiff.nn.Activation;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of every primitive, at several shapes (broadcasting, odd sizes). */
class OpsGradTest {
    private final Rng rnd = new Rng(7);

    /** A leaf with N(0,1) values. */
    Var randn(int... shape) {
        float[] d = new float[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = rnd.normal();
        return Var.leaf(d, shape);
    }

    /** A leaf with values in [lo, hi). */
    Var uniform(double lo, double hi, int... shape) {
        float[] d = new float[Shapes.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = rnd.uniform((float) lo, (float) hi);
        return Var.leaf(d, shape);
    }

    /** A leaf whose values keep at least {@code gap} away from 0 (kinks of relu/abs). */
    Var awayFromZero(double gap, int... shape) {
        Var v = randn(shape);
        for (int i = 0; i < v.size; i++) {
            float x = v.data[i];
            if (Math.abs(x) < gap) v.data[i] = (float) (x < 0 ? -gap - 0.1 : gap + 0.1);
        }
        return v;
    }

    static final int[][][] BINARY_SHAPES = {
            {{3}, {3}}, {{2, 3}, {2, 3}}, {{5, 7}, {5, 7}}, {{2, 3}, {3}}, {{4, 1}, {1, 5}}, {{2, 1, 3}, {7, 1}}, {{}, {3, 2}}, {{5, 3}, {1}},
    };

    @Test
    void addSubMulDiv() {
        for (int[][] s : BINARY_SHAPES) {
            GradCheck.elementwise("add" + java.util.Arrays.deepToString(s), x -> add(x[0], x[1]), randn(s[0]), randn(s[1]));
            GradCheck.elementwise("sub", x -> sub(x[0], x[1]), randn(s[0]), randn(s[1]));
            GradCheck.elementwise("mul", x -> mul(x[0], x[1]), randn(s[0]), randn(s[1]));
            GradCheck.elementwise("div", x -> div(x[0], x[1]), randn(s[0]), uniform(0.5, 2, s[1]));
        }
    }

    @Test
    void sumSquaredErrorIsTheFusedSumOfSquaredDifferences() {
        for (int[] s : new int[][] {{1}, {3, 5}, {4, 9, 3}}) {
            GradCheck.elementwise("sumSquaredError", x -> sumSquaredError(x[0], x[1]), randn(s), randn(s));
            Var a = randn(s), b = randn(s);
            try (Tape.Scope _ = Tape.noGrad()) {
                assertThat(sumSquaredError(a, b).item()).isCloseTo(sum(square(sub(a, b))).item(),
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        assertThatThrownBy(() -> sumSquaredError(randn(2, 3), randn(3))).hasMessageContaining("shapes [2, 3] and [3] differ");
    }

    @Test
    void maximumMinimum() {
        for (int[][] s : BINARY_SHAPES) {
            Var a = randn(s[0]), b = randn(s[1]);
            // keep |a - b| > eps so no pair sits on the kink
            try (Tape.Scope _ = Tape.noGrad()) {
                Var d = sub(a, b);
                for (int i = 0; i < d.size; i++) assertThat(Math.abs(d.data[i])).isGreaterThan(0f);
            }
            GradCheck.Options o = GradCheck.Options.defaults().withEps(1e-4).withTolerance(2e-2, 5e-3);
            GradCheck.elementwise("maximum", o, x -> maximum(x[0], x[1]), a, b);
            GradCheck.elementwise("minimum", o, x -> minimum(x[0], x[1]), a, b);
        }
    }

    @Test
    void maximumRoutesGradientToTheLarger() {
        Var a = Var.leaf(new float[] {1, 5}, 2), b = Var.leaf(new float[] {3, 2}, 2);
        try (Tape t = Tape.record()) {
            Var y = maximum(a, b);
            assertThat(y.toArray()).containsExactly(3, 5);
            t.backward(sum(y));
        }
        assertThat(a.gradArray()).containsExactly(0, 1);
        assertThat(b.gradArray()).containsExactly(1, 0);
    }

    static final int[][] UNARY_SHAPES = {{1}, {7}, {3, 5}, {2, 3, 4}};

    @Test
    void smoothUnary() {
        for (int[] s : UNARY_SHAPES) {
            GradCheck.elementwise("neg", x -> neg(x[0]), randn(s));
            GradCheck.elementwise("scale", x -> scale(x[0], -2.5f), randn(s));
            GradCheck.elementwise("addScalar", x -> addScalar(x[0], 3f), randn(s));
            GradCheck.elementwise("exp", x -> exp(x[0]), randn(s));
            GradCheck.elementwise("log", x -> log(x[0]), uniform(0.3, 3, s));
            GradCheck.elementwise("tanh", x -> tanh(x[0]), randn(s));
            GradCheck.elementwise("sigmoid", x -> sigmoid(x[0]), uniform(-6, 6, s));
            GradCheck.elementwise("softplus", x -> softplus(x[0]), uniform(-6, 6, s));
            GradCheck.elementwise("square", x -> square(x[0]), randn(s));
            GradCheck.elementwise("sqrt", x -> sqrt(x[0]), uniform(0.3, 3, s));
            GradCheck.elementwise("pow 3", x -> pow(x[0], 3f), randn(s));
            GradCheck.elementwise("pow -0.5", x -> pow(x[0], -0.5f), uniform(0.3, 3, s));
            GradCheck.elementwise("pow 1.7", x -> pow(x[0], 1.7f), uniform(0.3, 3, s));
            GradCheck.elementwise("symlog", x -> symlog(x[0]), awayFromZero(0.05, s));
            GradCheck.elementwise("symexp", x -> symexp(x[0]), awayFromZero(0.05, s));
        }
    }

    @Test
    void kinkedUnary() {
        for (int[] s : UNARY_SHAPES) {
            GradCheck.elementwise("relu", x -> relu(x[0]), awayFromZero(0.05, s));
            GradCheck.elementwise("abs", x -> abs(x[0]), awayFromZero(0.05, s));
            GradCheck.elementwise("elu", x -> elu(x[0], 1f), awayFromZero(0.05, s));
            GradCheck.elementwise("elu 0.5", x -> elu(x[0], 0.5f), awayFromZero(0.05, s));
            Var c = randn(s);
            for (int i = 0; i < c.size; i++) // keep away from the clamp bounds +-0.5
                if (Math.abs(Math.abs(c.data[i]) - 0.5f) < 0.05f) c.data[i] *= 1.3f;
            GradCheck.elementwise("clamp", x -> clamp(x[0], -0.5f, 0.5f), c);
        }
    }

    /**
     * A conv-sized map (more than four 16K-float blocks, an odd tail) runs ELU's forward and
     * backward on the pool: every element must still get x > 0 ? x : alpha expm1(x) and
     * dx += dy (x > 0 ? 1 : y + alpha), accumulated over both uses of x.
     */
    @Test
    void eluOnALargeMapMatchesTheFormulaInEveryBlock() {
        java.util.Random r = new java.util.Random(11);
        int n = 5 * (1 << 14) + 7;
        float alpha = 0.7f;
        Var x = Var.leaf(gauss(r, n), n);
        float[] w = gauss(r, n);
        Var y;
        try (Tape t = Tape.record()) {
            y = elu(x, alpha);
            t.backward(add(sum(mul(y, Var.of(w, n))), sum(elu(x, alpha))));
        }
        float[] ys = y.toArray(), g = x.gradArray();
        for (int i = 0; i < n; i++) {
            float xi = x.data[i];
            float ref = xi > 0 ? xi : alpha * (float) Math.expm1(xi);
            assertThat(ys[i]).as("y[%d]", i).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-6f));
            float slope = xi > 0 ? 1f : ref + alpha;
            assertThat(g[i]).as("dx[%d]", i).isCloseTo((w[i] + 1f) * slope, org.assertj.core.data.Offset.offset(1e-5f * (1 + Math.abs(w[i]))));
        }
    }

    @Test
    void unaryValuesMatchMath() {
        Var x = Var.of(new float[] {-30, -1, 0, 2, 30}, 5);
        assertThat(softplus(x).toArray()).usingComparatorWithPrecision(1e-6f).containsExactly((float) Math.log1p(Math.exp(-30)), (float) Math.log1p(Math.exp(-1)), (float) Math.log(2), (float) Math.log1p(Math.exp(2)), 30f);
        assertThat((double) sigmoid(x).toArray()[0]).isCloseTo(1 / (1 + Math.exp(30)), org.assertj.core.data.Percentage.withPercentage(1e-3));
        assertThat(elu(x, 1f).toArray()).usingComparatorWithPrecision(1e-6f).containsExactly((float) Math.expm1(-30), (float) Math.expm1(-1), 0f, 2f, 30f);
        assertThat(clamp(x, -1, 1).toArray()).containsExactly(-1, -1, 0, 1, 1);
        assertThat(symlog(x).toArray()).usingComparatorWithPrecision(1e-6f)
                .containsExactly((float) -Math.log(31), (float) -Math.log(2), 0f, (float) Math.log(3), (float) Math.log(31));
        Var big = Var.of(new float[] {-2000, -0.25f, 0, 1e-3f, 350}, 5);                // symexp inverts symlog
        assertThat(symexp(symlog(big)).toArray()).usingComparatorWithPrecision(1e-6f * 2000).containsExactly(big.toArray());
        assertThat(symexp(x).toArray()[3]).isCloseTo((float) Math.expm1(2), org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void reductions() {
        Var x = randn(2, 3, 4);
        GradCheck.elementwise("sum all", v -> sum(v[0]), x);
        GradCheck.elementwise("sum axis 1", v -> sum(v[0], 1), x);
        GradCheck.elementwise("sum axes 0,2 keep", v -> sum(v[0], true, 0, -1), x);
        GradCheck.elementwise("mean all", v -> mean(v[0]), x);
        GradCheck.elementwise("mean -1", v -> mean(v[0], -1), randn(5, 3));
        GradCheck.elementwise("mean 0 keep", v -> mean(v[0], true, 0), randn(5, 3));
        GradCheck.elementwise("sum axes 0,2 of 4d (mapped)", v -> sum(v[0], 0, 2), randn(2, 3, 2, 3));
        GradCheck.elementwise("sum axes 1,2 of 4d (block)", v -> sum(v[0], 1, 2), randn(2, 3, 2, 3));
        GradCheck.elementwise("mean with size-1 dims", v -> mean(v[0], 1), randn(3, 1, 4));
        GradCheck.elementwise("logsumexp -1", v -> logsumexp(v[0], -1, false), randn(3, 5));
        GradCheck.elementwise("logsumexp 0 keep", v -> logsumexp(v[0], 0, true), randn(4, 3, 2));
        GradCheck.elementwise("logsumexp 1d", v -> logsumexp(v[0], 0, false), randn(7));
    }

    @Test
    void reductionValuesAndShapes() {
        Var x = Var.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(sum(x, 1).toArray()).containsExactly(6, 15);
        assertThat(sum(x, 1).shape()).containsExactly(2);
        assertThat(sum(x, true, 0).shape()).containsExactly(1, 3);
        assertThat(mean(x, 0).toArray()).containsExactly(2.5f, 3.5f, 4.5f);
        assertThat(mean(x).item()).isEqualTo(3.5f);
        assertThat(mean(x).rank()).isZero();
        Var c = Var.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        assertThat(sum(c, 0, 2).toArray()).containsExactly(0 + 1 + 6 + 7, 2 + 3 + 8 + 9, 4 + 5 + 10 + 11);
        assertThat(sum(c, 1).toArray()).containsExactly(0 + 2 + 4, 1 + 3 + 5, 6 + 8 + 10, 7 + 9 + 11);
        assertThat(sum(c, 1, 2).toArray()).containsExactly(15, 51);
        assertThat(sum(Var.of(new float[] {1, 2, 3}, 1, 3, 1), 0).shape()).containsExactly(3, 1);
        Var big = Var.of(new float[] {1000, 1000}, 2);
        assertThat(logsumexp(big, 0, false).item()).isCloseTo(1000 + (float) Math.log(2), org.assertj.core.data.Offset.offset(1e-3f));
    }

    @Test
    void shapeOps() {
        GradCheck.elementwise("reshape", v -> reshape(v[0], 3, -1), randn(2, 3, 2));
        GradCheck.elementwise("reshape to scalar", v -> mul(reshape(v[0]), v[1]), randn(1, 1), randn(3));
        GradCheck.elementwise("permute", v -> permute(v[0], 2, 0, 1), randn(2, 3, 4));
        GradCheck.elementwise("permute 2d", v -> permute(v[0], 1, 0), randn(3, 5));
        GradCheck.elementwise("slice mid", v -> slice(v[0], 1, 1, 3), randn(2, 4, 3));
        GradCheck.elementwise("slice last", v -> slice(v[0], -1, 2, 5), randn(3, 5));
        GradCheck.elementwise("concat", v -> concat(1, v[0], v[1], v[2]), randn(2, 1, 3), randn(2, 2, 3), randn(2, 3, 3));
        GradCheck.elementwise("concat 0", v -> concat(0, v[0], v[1]), randn(1, 3), randn(2, 3));
        GradCheck.elementwise("expand", v -> expand(v[0], 2, 3, 4), randn(3, 1));
        GradCheck.elementwise("expand scalar", v -> expand(v[0], 5), randn());
        GradCheck.elementwise("take", v -> take(v[0], 1, 2, 0, 2), randn(2, 3, 2));
        GradCheck.elementwise("take rows", v -> take(v[0], 0, 4, 1), randn(5, 3));
        GradCheck.elementwise("gather", v -> gather(v[0], 1, new int[] {2, 0, 1, 1}), randn(4, 3));
        GradCheck.elementwise("gather k=2", v -> gather(v[0], 0, new int[] {0, 1, 1, 1, 0, 0}), randn(2, 3));
    }

    @Test
    void shapeOpValues() {
        Var x = Var.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertThat(permute(x, 1, 0).toArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(slice(x, 1, 1, 3).toArray()).containsExactly(1, 2, 4, 5);
        assertThat(concat(0, x, x).shape()).containsExactly(4, 3);
        assertThat(concat(1, x, x).toArray()).containsExactly(0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5);
        assertThat(expand(Var.of(new float[] {7, 8}, 2, 1), 2, 2).toArray()).containsExactly(7, 7, 8, 8);
        assertThat(take(x, 1, 2, 2).toArray()).containsExactly(2, 2, 5, 5);
        assertThat(gather(x, 1, new int[] {2, 0}).toArray()).containsExactly(2, 3);
        assertThat(reshape(x, -1).shape()).containsExactly(6);
    }

    @Test
    void matmulShapes() {
        GradCheck.elementwise("matmul 2d", v -> matmul(v[0], v[1]), randn(3, 4), randn(4, 5));
        GradCheck.elementwise("matmul odd", v -> matmul(v[0], v[1]), randn(1, 7), randn(7, 1));
        GradCheck.elementwise("matmul folded", v -> matmul(v[0], v[1]), randn(2, 3, 4), randn(4, 2));
        GradCheck.elementwise("matmul vector", v -> matmul(v[0], v[1]), randn(4), randn(4, 3));
        GradCheck.elementwise("matmul batched", v -> matmul(v[0], v[1]), randn(2, 3, 4), randn(2, 4, 5));
        GradCheck.elementwise("matmul batch broadcast", v -> matmul(v[0], v[1]), randn(3, 1, 2, 3), randn(2, 3, 2));
    }

    @Test
    void linearWithEachFusedActivation() {
        for (Activation act : Activation.values()) {
            GradCheck.elementwise("linear " + act, v -> linear(v[0], v[1], v[2], act), randn(2, 3, 4), randn(4, 5), randn(5));
            GradCheck.elementwise("linear no bias " + act, v -> linear(v[0], v[1], null, act), randn(3, 4), randn(4, 2));
        }
        // many row blocks (the bias and activation run block by block, on the pool)
        GradCheck.projected("linear large", 3, v -> linear(v[0], v[1], v[2], Activation.TANH), randn(700, 40), randn(40, 33), randn(33));
    }

    /** The fused layer is the unfused composition act(matmul(x, W) + b), value and gradients bit for bit. */
    @Test
    void linearEqualsMatmulAddActivation() {
        for (Activation act : List.of(Activation.ELU, Activation.RELU, Activation.TANH, Activation.SIGMOID)) {
            float[][] fused = linearGrads(v -> linear(v[0], v[1], v[2], act)), plain = linearGrads(v -> act.apply(add(matmul(v[0], v[1]), v[2])));
            for (int i = 0; i < fused.length; i++) assertThat(fused[i]).as("%s part %d", act, i).containsExactly(plain[i]);
        }
    }

    @Test
    void linearFromAnEarlierForwardHasTheLayersValuesAndGradients() {
        for (Activation act : List.of(Activation.ELU, Activation.TANH, Activation.NONE)) {
            // the earlier forward ran on 320 rows (the 300 of x first) under other gradients' tape
            java.util.Random r = new java.util.Random(9);
            float[] extra = gauss(r, 20 * 24);
            float[][] replayed = linearGrads(v -> {
                float[] wide = java.util.Arrays.copyOf(v[0].toArray(), 320 * 24);
                System.arraycopy(extra, 0, wide, 300 * 24, extra.length);
                Var given;
                try (Tape.Scope ignored = Tape.noGrad()) {
                    given = linear(Var.of(wide, 320, 24), v[1], v[2], act);
                }
                return linearFrom(v[0], v[1], v[2], act, given);
            }), plain = linearGrads(v -> linear(v[0], v[1], v[2], act));
            for (int i = 0; i < plain.length; i++) assertThat(replayed[i]).as("%s part %d", act, i).containsExactly(plain[i]);
        }
        Var x = randn(5, 4), w = randn(4, 3), b = randn(3);
        assertThatThrownBy(() -> linearFrom(x, w, b, Activation.NONE, randn(4, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer than 5 rows of 3");
        assertThatThrownBy(() -> linearFrom(x, w, b, Activation.NONE, randn(5, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThat(x.constantRows(1, 3).toArray()).containsExactly(java.util.Arrays.copyOfRange(x.toArray(), 4, 12));
        assertThat(x.constantRows(1, 3).requiresGrad()).isFalse();
        assertThatThrownBy(() -> x.constantRows(2, 6)).hasMessageContaining("rows [2, 6) of [5, 4]");
    }

    private static float[][] linearGrads(java.util.function.Function<Var[], Var> layer) {
        java.util.Random r = new java.util.Random(5);
        Var[] v = {Var.leaf(gauss(r, 300 * 24), 300, 24), Var.leaf(gauss(r, 24 * 40), 24, 40), Var.leaf(gauss(r, 40), 40)};
        float[] w = gauss(r, 300 * 40);
        Var y;
        try (Tape t = Tape.record()) {
            y = layer.apply(v);
            t.backward(sum(mul(y, Var.of(w, 300, 40))));
        }
        return new float[][] {y.toArray(), v[0].gradArray(), v[1].gradArray(), v[2].gradArray()};
    }

    private static float[] gauss(java.util.Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void linearRejectsMismatchedShapes() {
        assertThatThrownBy(() -> linear(randn(3, 4), randn(5, 2), null, FusedActivation.IDENTITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4]").hasMessageContaining("w [In, Out]");
        assertThatThrownBy(() -> linear(randn(3, 4), randn(4, 2), randn(3), FusedActivation.IDENTITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b [3]");
    }

    @Test
    void matmulValues() {
        Var a = Var.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), b = Var.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertThat(matmul(a, b).toArray()).containsExactly(4, 5, 10, 11);
    }

    @Test
    void projectedCheckOnLargeInputs() {
        GradCheck.projected("matmul large", 4, v -> tanh(matmul(v[0], v[1])), randn(33, 40), randn(40, 17));
        GradCheck.projected("broadcast large", 4, v -> mul(v[0], sigmoid(v[1])), randn(20, 31), randn(31));
    }

    @Test
    void stopGradientBlocks() {
        Var a = randn(3);
        try (Tape t = Tape.record()) {
            Var y = add(mul(a, stopGradient(a)), a); // d/da = stop(a) + 1
            t.backward(sum(y));
        }
        float[] g = a.gradArray();
        for (int i = 0; i < 3; i++) assertThat(g[i]).isEqualTo(a.data[i] + 1f);
    }

    @Test
    void gradientsAccumulateAcrossUses() {
        Var a = Var.leaf(new float[] {2}, 1);
        try (Tape t = Tape.record()) {
            t.backward(sum(add(mul(a, a), a))); // d(a^2 + a) = 2a + 1
        }
        assertThat(a.gradArray()).containsExactly(5f);
    }
}
