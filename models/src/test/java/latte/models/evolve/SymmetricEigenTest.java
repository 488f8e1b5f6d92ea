package latte.models.evolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    /** A v_i = λ_i v_i, V orthonormal, ascending values, and Σ λ_i v_i v_iᵀ = A. */
    static void assertDecomposes(double[][] a, double tol) {
        int n = a.length;
        SymmetricEigen.Result r = SymmetricEigen.decompose(a);
        double[] d = r.values();
        double[][] v = r.vectors();
        double scale = 0;
        for (double[] row : a) for (double x : row) scale = Math.max(scale, Math.abs(x));
        for (int i = 1; i < n; i++) assertThat(d[i]).isGreaterThanOrEqualTo(d[i - 1]);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double dot = 0, rec = 0, av = 0;
                for (int k = 0; k < n; k++) {
                    dot += v[i][k] * v[j][k];
                    rec += d[k] * v[k][i] * v[k][j];
                    av += a[i][k] * v[j][k];
                }
                assertThat(dot).as("v%d . v%d", i, j).isCloseTo(i == j ? 1 : 0, within(tol));
                assertThat(rec).as("reconstruction [%d][%d]", i, j).isCloseTo(a[i][j], within(tol * Math.max(1, scale)));
                assertThat(av).as("(A v%d)[%d]", j, i).isCloseTo(d[j] * v[j][i], within(tol * Math.max(1, scale)));
            }
    }

    @Test
    void smallMatricesByHand() {
        SymmetricEigen.Result r = SymmetricEigen.decompose(new double[][] {{2, 1}, {1, 2}});
        assertThat(r.values()[0]).isCloseTo(1, within(1e-14));
        assertThat(r.values()[1]).isCloseTo(3, within(1e-14));
        assertThat(Math.abs(r.vectors()[1][0])).isCloseTo(Math.sqrt(0.5), within(1e-14));
        assertThat(SymmetricEigen.decompose(new double[][] {{-4}}).values()).containsExactly(-4);
        double[][] diag = {{3, 0, 0}, {0, -1, 0}, {0, 0, 2}};
        assertThat(SymmetricEigen.decompose(diag).values()).containsExactly(-1, 2, 3);
        assertDecomposes(diag, 1e-14);
        assertDecomposes(new double[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}, 1e-13);   // repeated eigenvalue 0
        assertDecomposes(new double[3][3], 1e-15);                                   // all zero
    }

    @Test
    void randomMatricesOfManySizesAndScales() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[] {2, 3, 5, 10, 31, 64}) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = r.nextGaussian();
            assertDecomposes(a, 1e-11);
            // a covariance with condition 1e6, as CMA-ES meets on the ellipsoid
            double[][] c = new double[n][n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++) c[i][j] += a[i][k] * Math.pow(1e6, k / (double) Math.max(1, n - 1)) * a[j][k];
            assertDecomposes(c, 1e-9);
        }
    }

    @Test
    void badInputsAreClearErrors() {
        assertThatThrownBy(() -> SymmetricEigen.decompose(new double[][] {{1, 2}, {3}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 has 1 entries, expected 2");
        assertThatThrownBy(() -> SymmetricEigen.decompose(new double[][] {{Double.NaN}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected finite values");
    }
}
