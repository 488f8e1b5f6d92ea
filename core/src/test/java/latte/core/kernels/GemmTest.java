package latte.core.kernels;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Gemm#sgemm} against the triple-loop {@link Gemm#scalar}: every transpose, alpha/beta,
 * offsets and padded leading dimensions, every tail around the tile sizes, and bit-identical
 * results for one and two threads. The tolerance per output is relative to
 * {@code |alpha| sum |a||b| + |beta c|}, the scale of the rounding error of any summation order.
 */
class GemmTest {
    private static final boolean[][] TRANSPOSES = {{false, false}, {false, true}, {true, false}, {true, true}};
    private static final float EPS = Math.ulp(1f);

    /** One problem with padded storage: A, B, C live at offsets inside larger arrays. */
    private record Problem(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc) {
        static Problem random(SplittableRandom rnd, boolean ta, boolean tb, int m, int n, int k,
                              float alpha, float beta, int pad) {
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            int lda = aCols + pad, ldb = bCols + pad + 1, ldc = n + pad;
            int aOff = pad, bOff = 2 * pad, cOff = 3 * pad;
            float[] a = fill(rnd, aOff + Math.max(0, aRows * lda) + pad);
            float[] b = fill(rnd, bOff + Math.max(0, bRows * ldb) + pad);
            float[] c = fill(rnd, cOff + Math.max(0, m * ldc) + pad);
            return new Problem(ta, tb, m, n, k, alpha, beta, a, aOff, Math.max(1, lda), b, bOff, Math.max(1, ldb),
                    c, cOff, Math.max(1, ldc));
        }

        float[] fast(int threads) {
            float[] out = c.clone();
            Gemm.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc, threads);
            return out;
        }

        float[] reference() {
            float[] out = c.clone();
            Gemm.scalar(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        /** |alpha| sum_p |a_ip||b_pj| + |beta c_ij|, laid out like C. */
        float[] scale() {
            float[] out = abs(c);
            Gemm.scalar(ta, tb, m, n, k, Math.abs(alpha), abs(a), aOff, lda, abs(b), bOff, ldb,
                    beta == 0f ? 0f : Math.abs(beta), out, cOff, ldc);
            return out;
        }

        void check(float[] got) {
            float[] want = reference(), scale = scale();
            float tol = 2 * (k + 2) * EPS;
            for (int x = 0; x < got.length; x++) {
                int r = x - cOff;
                boolean inside = r >= 0 && r / ldc < m && r % ldc < n;
                if (!inside) {
                    assertThat(got[x]).as("%s: element %d outside C must not change", this, x).isEqualTo(c[x]);
                    continue;
                }
                assertThat(Math.abs(got[x] - want[x]))
                        .as("%s C[%d,%d]: got %s, scalar %s", this, r / ldc, r % ldc, got[x], want[x])
                        .isLessThanOrEqualTo(tol * scale[x] + Float.MIN_NORMAL);
            }
        }

        @Override
        public String toString() {
            return (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " alpha=" + alpha + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc;
        }
    }

    @Tag("kernel")
    @Test
    void everyTailAroundTheTileSizesForEveryTranspose() {
        SplittableRandom rnd = new SplittableRandom(1);
        int[] ks = {1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 64, 100, 255, 256, 257, 300};
        int step = 0;
        for (boolean[] t : TRANSPOSES) {
            for (int m = 1; m <= 13; m++) {
                for (int n = 1; n <= 70; n++) {
                    int k = ks[step++ % ks.length];
                    Problem p = Problem.random(rnd, t[0], t[1], m, n, k, 1f, 0f, 0);
                    p.check(p.fast(1));
                }
            }
        }
    }

    /**
     * Edge tiles of every width (masked vector stores from {@link Gemm#MASKED_MIN} columns, one
     * element at a time below), on the first K block with beta and on a later block that adds to
     * C; with no padding C ends where its array ends, so a store past column n would throw, and
     * with padding the neighbours of each row must not change.
     */
    @Tag("kernel")
    @Test
    void edgeTilesOfEveryWidthScaleAccumulateAndTouchNothingElse() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (boolean[] t : TRANSPOSES) {
            for (int n = 1; n <= 2 * Gemm.NR + 1; n++) {
                for (int pad : new int[] {0, 1}) {
                    Problem p = Problem.random(rnd, t[0], t[1], 7, n, Gemm.KC + 5, -0.5f, 1.5f, pad);
                    p.check(p.fast(1));
                }
            }
        }
    }

    @Tag("kernel")
    @Test
    void blocksLargerThanMcNcAndKcWithAlphaBetaOffsetsAndPadding() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (boolean[] t : TRANSPOSES) {
            Problem p = Problem.random(rnd, t[0], t[1], Gemm.MC + 7, Gemm.NC_MAX + 2 * Gemm.NR + 3,
                    2 * Gemm.KC + 9, 0.75f, -1.25f, 5);
            p.check(p.fast(1));
            p.check(p.fast(2));
        }
    }

    @Tag("kernel")
    @Test
    void tallTransposedAIsPackedBlockByBlock() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (boolean tb : new boolean[] {false, true}) {
            Problem p = Problem.random(rnd, true, tb, Gemm.PACK_ALL_ROWS + 7, 40, Gemm.KC + 44, 1f, 0.5f, 1);
            p.check(p.fast(1));
        }
    }

    @Tag("kernel")
    @Test
    void alphaAndBetaScaleAndAccumulate() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[][] ab = {{1f, 1f}, {-2f, 0.5f}, {0.3f, 0f}, {1f, -1f}};
        for (boolean[] t : TRANSPOSES) {
            for (float[] x : ab) {
                Problem p = Problem.random(rnd, t[0], t[1], 19, 45, 70, x[0], x[1], 3);
                p.check(p.fast(1));
            }
        }
    }

    @Tag("kernel")
    @Test
    void betaZeroOverwritesNaNsInC() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (boolean[] t : TRANSPOSES) {
            for (int[] s : new int[][] {{2, 3, 4}, {13, 70, 33}, {50, 200, 300}}) {
                Problem p = Problem.random(rnd, t[0], t[1], s[0], s[1], s[2], 1.5f, 0f, 2);
                for (int i = 0; i < s[0]; i++) Arrays.fill(p.c, p.cOff + i * p.ldc, p.cOff + i * p.ldc + s[1], Float.NaN);
                float[] got = p.fast(1);
                for (int i = 0; i < s[0]; i++)
                    for (int j = 0; j < s[1]; j++)
                        assertThat(got[p.cOff + i * p.ldc + j]).as("%s C[%d,%d]", p, i, j).isNotNaN();
                p.check(got);
            }
        }
    }

    @Tag("kernel")
    @Test
    void emptyDepthScalesCByBetaAndEmptyOutputsTouchNothing() {
        float[] c = {1f, 2f, 3f, 4f, 5f, 6f, Float.NaN};
        Gemm.sgemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 2f, c, 0, 3, 1);
        assertThat(c).containsExactly(2f, 4f, 6f, 8f, 10f, 12f, Float.NaN);
        float[] nan = {Float.NaN, Float.NaN};
        Gemm.sgemm(false, false, 1, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, nan, 0, 2, 1);
        assertThat(nan).containsExactly(0f, 0f);
        float[] untouched = {7f};
        Gemm.sgemm(false, false, 0, 1, 5, 1f, new float[0], 0, 5, new float[5], 0, 1, 0f, untouched, 0, 1, 1);
        Gemm.sgemm(true, true, 1, 0, 5, 1f, new float[5], 0, 1, new float[0], 0, 5, 0f, untouched, 0, 1, 1);
        assertThat(untouched).containsExactly(7f);
    }

    @Tag("kernel")
    @Test
    void handComputedTwoByTwo() {
        // [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50]; with A^T: [1 3; 2 4] [5 6; 7 8] = [26 30; 38 44]
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        float[] c = new float[4];
        Gemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2, 1);
        assertThat(c).containsExactly(19, 22, 43, 50);
        Gemm.sgemm(true, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2, 1);
        assertThat(c).containsExactly(26, 30, 38, 44);
    }

    /** Tall C, small B, K over one block: the rows-outer order (B packed once), with edge rows and columns. */
    @Tag("kernel")
    @Test
    void tallOutputsWithASmallBRunRowBlocksOuter() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (boolean tb : new boolean[] {false, true}) {
            for (int n : new int[] {3, Gemm.NR, 2 * Gemm.NR + 7}) {
                Problem p = Problem.random(rnd, false, tb, 3 * Gemm.MC + 5, n, 2 * Gemm.KC + 9, 0.75f, -1.25f, 3);
                float[] one = p.fast(1);
                p.check(one);
                assertThat(p.fast(2)).as("%s: 2 threads vs 1", p).isEqualTo(one);
            }
        }
    }

    /** One output column (a value head): dot products per row, or column sums of a transposed A. */
    @Tag("kernel")
    @Test
    void singleOutputColumnsForEveryTranspose() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (boolean[] t : TRANSPOSES) {
            for (int[] s : new int[][] {{300, 1000}, {1000, 300}, {37, 3}, {2, 700}}) {
                Problem p = Problem.random(rnd, t[0], t[1], s[0], 1, s[1], 0.75f, -1.25f, 2);
                float[] one = p.fast(1);
                p.check(one);
                assertThat(p.fast(2)).as("%s: 2 threads vs 1", p).isEqualTo(one);
                Problem z = Problem.random(rnd, t[0], t[1], s[0], 1, s[1], 1f, 0f, 0);
                java.util.Arrays.fill(z.c(), Float.NaN);              // beta 0 overwrites
                z.check(z.fast(1));
            }
        }
    }

    @Tag("kernel")
    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{50, 600, 200}, {50, 200, 600}, {203, 301, 280}, {7, 700, 65}, {600, 9, 129}};
        for (boolean[] t : TRANSPOSES) {
            for (int[] s : shapes) {
                Problem p = Problem.random(rnd, t[0], t[1], s[0], s[1], s[2], 1f, 0.5f, 1);
                float[] one = p.fast(1), two = p.fast(2);
                assertThat(two).as("%s: 2 threads vs 1", p).isEqualTo(one);
                p.check(one);
            }
        }
    }

    @Test
    void badArgumentsNameTheOpAndTheShapes() {
        float[] x = new float[100];
        assertThatThrownBy(() -> Gemm.sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gemm.sgemm").hasMessageContaining("m=-1");
        assertThatThrownBy(() -> Gemm.sgemm(false, false, 4, 4, 5, 1f, x, 0, 4, x, 0, 4, 0f, x, 0, 4, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lda=4").hasMessageContaining("A [4,5]");
        assertThatThrownBy(() -> Gemm.sgemm(true, false, 4, 4, 5, 1f, x, 0, 4, x, 0, 3, 0f, x, 0, 4, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldb=3").hasMessageContaining("B [5,4]");
        assertThatThrownBy(() -> Gemm.sgemm(false, true, 10, 10, 10, 1f, x, 0, 10, x, 5, 10, 0f, x, 0, 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B [10,10]")
                .hasMessageContaining("needs 105 floats, array has 100");
        assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 2, 1f, x, -1, 2, x, 0, 2, 0f, x, 0, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset -1");
        assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldc=1");
        assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads=0");
        assertThatThrownBy(() -> Gemm.scalar(false, false, 2, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, new float[3], 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gemm.scalar").hasMessageContaining("C [2,2]");
    }

    private static float[] fill(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }
}
