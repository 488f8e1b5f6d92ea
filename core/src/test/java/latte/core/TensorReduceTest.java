package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every reduction against a naive loop over index tuples, for many axis sets and both keepDims. */
class TensorReduceTest {
    private final Rng rng = new Rng(99);

    /** The reduced values grouped per output element (output row-major with keepDims shape). */
    private static double[][] groups(Tensor x, boolean[] red) {
        int[] dims = x.shape().dims(), kd = dims.clone();
        for (int i = 0; i < dims.length; i++) if (red[i]) kd[i] = 1;
        int outN = Shape.of(kd).numel(), per = x.numel() / Math.max(outN, 1);
        double[][] g = new double[outN][per];
        int[] fill = new int[outN];
        Naive.forEach(dims, idx -> {
            int[] o = idx.clone();
            for (int i = 0; i < o.length; i++) if (red[i]) o[i] = 0;
            int f = Naive.flat(kd, o);
            g[f][fill[f]++] = x.get(idx.clone());
        });
        return g;
    }

    private static Shape keptShape(Shape s, boolean[] red, boolean keep) {
        int[] d = s.dims();
        return Shape.of(Arrays.stream(range(d.length)).filter(i -> keep || !red[i]).map(i -> red[i] ? 1 : d[i]).toArray());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    @Test
    void reductionsMatchNaiveLoops() {
        Tensor base = Tensor.randn(rng, 3, 4, 5).mul(2f);
        Tensor[] inputs = {base, base.permute(2, 0, 1), base.slice(1, 0, 4, 2)};
        int[][] axesSets = {{0}, {1}, {2}, {-1}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}, {2, 0}};
        for (Tensor x : inputs) {
            for (int[] axes : axesSets) {
                boolean[] red = new boolean[3];
                for (int a : axes) red[a < 0 ? a + 3 : a] = true;
                double[][] g = groups(x, red);
                for (boolean keep : new boolean[] {false, true}) {
                    String what = x.shape() + " axes " + Arrays.toString(axes) + " keep " + keep;
                    Shape expect = keptShape(x.shape(), red, keep);
                    Tensor sum = x.sum(axes, keep), mean = x.mean(axes, keep), max = x.max(axes, keep), min = x.min(axes, keep),
                            var = x.variance(axes, keep), lse = x.logsumexp(axes, keep);
                    for (Tensor t : new Tensor[] {sum, mean, max, min, var, lse}) assertThat(t.shape()).as(what).isEqualTo(expect);
                    float[] s = sum.toArray(), m = mean.toArray(), mx = max.toArray(), mn = min.toArray(), v = var.toArray(), l = lse.toArray();
                    for (int i = 0; i < g.length; i++) {
                        double[] row = g[i];
                        double rs = Arrays.stream(row).sum(), rm = rs / row.length;
                        double rv = Arrays.stream(row).map(z -> (z - rm) * (z - rm)).sum() / row.length;
                        double rmax = Arrays.stream(row).max().orElseThrow();
                        double rl = rmax + Math.log(Arrays.stream(row).map(z -> Math.exp(z - rmax)).sum());
                        assertThat((double) s[i]).as(what).isCloseTo(rs, within(1e-5 * row.length * 4));
                        assertThat((double) m[i]).as(what).isCloseTo(rm, within(1e-5));
                        assertThat((double) mx[i]).as(what).isEqualTo(rmax);
                        assertThat((double) mn[i]).as(what).isEqualTo(Arrays.stream(row).min().orElseThrow());
                        assertThat((double) v[i]).as(what).isCloseTo(rv, within(1e-5 * Math.max(1, rv)));
                        assertThat((double) l[i]).as(what).isCloseTo(rl, within(1e-5 * Math.max(1, Math.abs(rl))));
                    }
                }
            }
        }
    }

    @Test
    void fullReductionsAndLargeRows() {
        Tensor x = Tensor.randn(rng, 1000, 37);
        float[] v = x.toArray();
        double s = 0;
        for (float f : v) s += f;
        assertThat((double) x.sum().item()).isCloseTo(s, within(1e-3));
        assertThat(x.sum().rank()).isZero();
        assertThat(x.variance(1).toArray()).isEqualTo(x.variance(new int[] {1}, false).toArray());
        assertThat((double) x.mean().item()).isCloseTo(s / v.length, within(1e-6));
        // Bias-gradient layout: reduce the leading axis of a contiguous [B, N].
        Tensor col = x.sum(0);
        for (int j = 0; j < 37; j++) {
            double c = 0;
            for (int i = 0; i < 1000; i++) c += v[i * 37 + j];
            assertThat((double) col.get(j)).isCloseTo(c, within(1e-3));
        }
    }

    @Test
    void logsumexpIsStable() {
        Tensor x = Tensor.of(new float[] {1000f, 1000f, -1000f, -1000f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 3, 2);
        float[] l = x.logsumexp(1).toArray();
        assertThat(l[0]).isCloseTo(1000f + (float) Math.log(2), within(1e-3f));
        assertThat(l[1]).isCloseTo(-1000f + (float) Math.log(2), within(1e-3f));
        assertThat(l[2]).isEqualTo(Float.NEGATIVE_INFINITY);
        Tensor sm = Tensor.of(new float[] {1, 2, 3, 1000, 1000, 1000}, 2, 3).softmax(1);
        assertThat(sm.sum(1).toArray()).containsExactly(new float[] {1f, 1f}, within(1e-6f));
        assertThat(sm.get(1, 0)).isCloseTo(1f / 3, within(1e-6f));
        Tensor ls = Tensor.of(new float[] {1, 2, 3}, 3).logSoftmax(0);
        double z = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertThat(ls.toArray()).containsExactly(new float[] {(float) (1 - z), (float) (2 - z), (float) (3 - z)}, within(1e-6f));
    }

    @Test
    void argmaxAndArgmin() {
        Tensor x = Tensor.of(new float[] {3, 9, 9, 1, 4, 0, 0, 7}, 2, 4);
        assertThat(x.argmax(1).toArray()).containsExactly(1f, 3f); // first on ties
        assertThat(x.argmin(1).toArray()).containsExactly(3f, 1f);
        assertThat(x.argmax(0).toArray()).containsExactly(1f, 0f, 0f, 1f);
        assertThat(x.argmax(1, true).shape()).isEqualTo(Shape.of(2, 1));
        Tensor r = Tensor.randn(rng, 5, 6, 7).permute(1, 2, 0);
        Tensor am = r.argmax(2);
        Naive.forEach(new int[] {6, 7}, idx -> {
            int best = 0;
            for (int k = 1; k < 5; k++) if (r.get(idx[0], idx[1], k) > r.get(idx[0], idx[1], best)) best = k;
            assertThat(am.get(idx)).isEqualTo((float) best);
        });
    }

    @Test
    void sumToShapeUndoesBroadcasting() {
        Tensor g = Tensor.randn(rng, 4, 3, 5);
        Tensor r = g.sumToShape(Shape.of(3, 1));
        assertThat(r.shape()).isEqualTo(Shape.of(3, 1));
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int i = 0; i < 4; i++) for (int k = 0; k < 5; k++) s += g.get(i, j, k);
            assertThat((double) r.get(j, 0)).isCloseTo(s, within(1e-4));
        }
        assertThat(g.sumToShape(Shape.scalar()).item()).isCloseTo(g.sum().item(), within(1e-5f));
        assertThat(g.sumToShape(g.shape())).isSameAs(g);
        assertThat(g.sumToShape(Shape.of(1, 5)).shape()).isEqualTo(Shape.of(1, 5));
        assertThatThrownBy(() -> g.sumToShape(Shape.of(2, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.sumToShape").hasMessageContaining("[4, 3, 5]").hasMessageContaining("[2, 5]");
    }

    @Test
    void badAxesAreClearErrors() {
        Tensor x = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> x.sum(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.sum").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> x.mean(new int[] {0, -2}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repeated");
        assertThatThrownBy(() -> x.argmax(-3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tensor.argmax");
    }
}
