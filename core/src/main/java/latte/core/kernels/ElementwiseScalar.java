package latte.core.kernels;

/**
 * The scalar references of {@link Elementwise}: the definition of each kernel under the same name
 * and signature, one element at a time in {@code double} where the JDK offers it
 * ({@code Math.exp}, {@code Math.tanh}, ...). The SIMD kernels are tested against these.
 */
public final class ElementwiseScalar {
    private ElementwiseScalar() {}

    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] + b[bOff + i];
    }

    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] - b[bOff + i];
    }

    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] * b[bOff + i];
    }

    public static void div(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] / b[bOff + i];
    }

    public static void max(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.max(a[aOff + i], b[bOff + i]);
    }

    public static void min(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.min(a[aOff + i], b[bOff + i]);
    }

    public static void pow(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.pow(a[aOff + i], b[bOff + i]);
    }

    public static void addScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] + s;
    }

    public static void subScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] - s;
    }

    public static void rsubScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = s - a[aOff + i];
    }

    public static void scale(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] * s;
    }

    public static void divScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] / s;
    }

    public static void rdivScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = s / a[aOff + i];
    }

    public static void maxScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.max(a[aOff + i], s);
    }

    public static void minScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.min(a[aOff + i], s);
    }

    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
    }

    public static void clamp(float[] a, int aOff, float lo, float hi, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.min(Math.max(a[aOff + i], lo), hi);
    }

    public static void neg(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = -a[aOff + i];
    }

    public static void abs(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.abs(a[aOff + i]);
    }

    public static void square(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] * a[aOff + i];
    }

    public static void sqrt(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.sqrt(a[aOff + i]);
    }

    public static void exp(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.exp(a[aOff + i]);
    }

    public static void log(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.log(a[aOff + i]);
    }

    public static void tanh(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = (float) Math.tanh(a[aOff + i]);
    }

    public static void sigmoid(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = (float) (1.0 / (1.0 + Math.exp(-a[aOff + i])));
    }

    public static void relu(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.max(a[aOff + i], 0f);
    }

    public static void elu(float[] a, int aOff, float alpha, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float x = a[aOff + i];
            out[oOff + i] = x > 0f ? x : (float) (alpha * Math.expm1(x));
        }
    }

    public static void softplus(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            double x = a[aOff + i];
            out[oOff + i] = (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))));
        }
    }

    public static void gt(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] > b[bOff + i] ? 1f : 0f;
    }

    public static void gtScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] > s ? 1f : 0f;
    }

    public static void ge(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] >= b[bOff + i] ? 1f : 0f;
    }

    public static void geScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] >= s ? 1f : 0f;
    }

    public static void lt(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] < b[bOff + i] ? 1f : 0f;
    }

    public static void ltScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] < s ? 1f : 0f;
    }

    public static void le(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] <= b[bOff + i] ? 1f : 0f;
    }

    public static void leScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] <= s ? 1f : 0f;
    }

    public static void eq(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] == b[bOff + i] ? 1f : 0f;
    }

    public static void eqScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] == s ? 1f : 0f;
    }

    public static void addProduct(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = Math.fma(a[aOff + i], b[bOff + i], out[oOff + i]);
    }

    public static void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] g, int gOff, int n) {
        for (int i = 0; i < n; i++) if (x[xOff + i] > 0f) g[gOff + i] += dy[dyOff + i];
    }

    public static void eluBackward(float[] x, int xOff, float[] y, int yOff, float alpha, float[] dy, int dyOff,
                                   float[] g, int gOff, int n) {
        for (int i = 0; i < n; i++) g[gOff + i] += x[xOff + i] > 0f ? dy[dyOff + i] : dy[dyOff + i] * (y[yOff + i] + alpha);
    }

    public static void reluChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) dy[dyOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    public static void eluChain(float[] y, int yOff, float alpha, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) dy[dyOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : dy[dyOff + i] * (y[yOff + i] + alpha);
    }

    public static void tanhChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) dy[dyOff + i] = dy[dyOff + i] * (1f - y[yOff + i] * y[yOff + i]);
    }

    public static void sigmoidChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) dy[dyOff + i] = dy[dyOff + i] * y[yOff + i] * (1f - y[yOff + i]);
    }

    public static void softplusChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        for (int i = 0; i < n; i++) dy[dyOff + i] = (float) (dy[dyOff + i] * -Math.expm1(-(double) y[yOff + i]));
    }

    public static void addRow(float[] row, int rOff, float[] y, int yOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) y[yOff + r * cols + j] += row[rOff + j];
    }

    public static void select(float[] mask, int mOff, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = mask[mOff + i] != 0f ? a[aOff + i] : b[bOff + i];
    }
}
