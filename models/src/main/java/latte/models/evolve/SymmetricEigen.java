package latte.models.evolve;

/**
 * Eigendecomposition of a real symmetric matrix, {@code A = Σ_i λ_i v_i v_iᵀ}: Householder
 * reduction to tridiagonal form, then the implicit QL algorithm with Wilkinson-style shifts
 * (EISPACK's {@code tred2} and {@code tql2}, as in the public-domain JAMA library). O(n³): 2.5 to
 * 3 s at n = 867 (the World Models controller) on a loaded two-core machine, which CMA-ES needs
 * only every third generation there, against minutes of rollouts per generation.
 *
 * <p>The QL sweeps keep the eigenvectors as rows ({@code vectors[i]} belongs to {@code values[i]}),
 * so their inner loops read memory in order.
 */
public final class SymmetricEigen {
    /** Eigenvalues in ascending order and the orthonormal eigenvectors, {@code vectors[i]} for {@code values[i]}. */
    public record Result(double[] values, double[][] vectors) {}

    private SymmetricEigen() {}

    /**
     * Decomposes {@code a} (n x n, symmetric; only symmetric input gives a meaningful result, the
     * lower triangle is what the reduction reads). The input is not modified.
     */
    public static Result decompose(double[][] a) {
        int n = a.length;
        if (n == 0) throw new IllegalArgumentException("SymmetricEigen: empty matrix");
        for (int i = 0; i < n; i++) {
            if (a[i].length != n)
                throw new IllegalArgumentException("SymmetricEigen: row " + i + " has " + a[i].length + " entries, expected " + n + " (a square matrix)");
            for (int j = 0; j < n; j++)
                if (!Double.isFinite(a[i][j]))
                    throw new IllegalArgumentException("SymmetricEigen: entry [" + i + "][" + j + "] = " + a[i][j] + ", expected finite values");
        }
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) v[i] = a[i].clone();
        double[] d = new double[n], e = new double[n];
        tridiagonalize(v, d, e);
        double[][] w = new double[n][n];                          // w = vᵀ: eigenvectors as rows from here on
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) w[j][i] = v[i][j];
        diagonalize(w, d, e);
        return new Result(d, w);
    }

    /** tred2: v becomes the orthogonal transform (columns), d the diagonal, e the subdiagonal (e[0] = 0). */
    private static void tridiagonalize(double[][] v, double[] d, double[] e) {
        int n = d.length;
        System.arraycopy(v[n - 1], 0, d, 0, n);
        for (int i = n - 1; i > 0; i--) {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                    v[j][i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {                      // the Householder vector, scaled against overflow
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1], g = Math.sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++) {                      // the similarity transform of the remaining columns
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) v[k][j] -= f * e[k] + g * d[k];
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) {                          // accumulate the transforms
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) d[k] = v[k][i + 1] / h;
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[k][i + 1] * v[k][j];
                    for (int k = 0; k <= i; k++) v[k][j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[k][i + 1] = 0;
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        v[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /** tql2 on the rows of w (w[i] is the vector of d[i]); then sorts ascending. */
    private static void diagonalize(double[][] w, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0, eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n && Math.abs(e[m]) > eps * tst1) m++;       // a negligible subdiagonal entry splits the matrix
            if (m == n) m = n - 1;
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 60)
                        throw new IllegalStateException("SymmetricEigen: QL did not converge for eigenvalue " + l + " of " + n);
                    double g = d[l];                                // the implicit shift
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1], h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];                                       // the QL sweep from m up to l
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        double[] wi = w[i], wi1 = w[i + 1];
                        for (int k = 0; k < n; k++) {
                            h = wi1[k];
                            wi1[k] = s * wi[k] + c * h;
                            wi[k] = c * wi[k] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        for (int i = 0; i < n - 1; i++) {                          // selection sort: ascending values, rows follow
            int k = i;
            for (int j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
            if (k != i) {
                double t = d[k];
                d[k] = d[i];
                d[i] = t;
                double[] row = w[k];
                w[k] = w[i];
                w[i] = row;
            }
        }
    }
}
