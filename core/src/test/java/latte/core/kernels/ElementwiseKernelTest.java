package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every SIMD kernel of {@link Elementwise} against its scalar reference at every length
 * {@code 0 .. 3 * LANES + 1} (all tail lengths, with and without a full vector) and odd offsets.
 */
@Tag("kernel")
class ElementwiseKernelTest {
    private static final int MAX_N = 3 * Simd.LANES + 1;
    private final Random random = new Random(17);

    /** Kernel shapes: two inputs, one input plus scalar, one input. */
    interface Bin { void run(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n); }
    interface WithScalar { void run(float[] a, int ao, float s, float[] o, int oo, int n); }
    interface Un { void run(float[] a, int ao, float[] o, int oo, int n); }

    private float[] data(int n, float scale, float shift) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) random.nextGaussian() * scale + shift;
        return d;
    }

    /** Asserts {@code |got - want| <= ulps * ulp(want)} element by element (0 ulps: bit-equal). */
    private static void close(String what, int n, float[] got, int go, float[] want, int wo, int ulps) {
        for (int i = 0; i < n; i++) {
            float g = got[go + i], w = want[wo + i];
            if (ulps == 0 || Float.isNaN(w) || Float.isInfinite(w)) {
                assertThat(g).as("%s n=%d i=%d", what, n, i).isEqualTo(w);
            } else {
                assertThat(Math.abs(g - w)).as("%s n=%d i=%d got %s want %s", what, n, i, g, w)
                        .isLessThanOrEqualTo(ulps * Math.ulp(w));
            }
        }
    }

    private void bin(String name, Bin fast, Bin ref, float bShift, int ulps) {
        for (int n = 0; n <= MAX_N; n++) {
            int ao = random.nextInt(3), bo = random.nextInt(3), oo = random.nextInt(3);
            float[] a = data(n + ao, 2f, 0f), b = data(n + bo, 2f, bShift);
            if (bShift > 0) for (int i = 0; i < b.length; i++) b[i] = Math.abs(b[i]) + 0.1f;
            float[] o1 = new float[n + oo], o2 = new float[n + oo];
            fast.run(a, ao, b, bo, o1, oo, n);
            ref.run(a, ao, b, bo, o2, oo, n);
            close(name, n, o1, oo, o2, oo, ulps);
        }
    }

    private void withScalar(String name, WithScalar fast, WithScalar ref) {
        withScalar(name, fast, ref, 0);
    }

    private void withScalar(String name, WithScalar fast, WithScalar ref, int ulps) {
        for (int n = 0; n <= MAX_N; n++) {
            int ao = random.nextInt(3), oo = random.nextInt(3);
            float[] a = data(n + ao, 2f, 0f);
            float s = (float) random.nextGaussian() + 3f;
            float[] o1 = new float[n + oo], o2 = new float[n + oo];
            fast.run(a, ao, s, o1, oo, n);
            ref.run(a, ao, s, o2, oo, n);
            close(name, n, o1, oo, o2, oo, ulps);
        }
    }

    private void un(String name, Un fast, Un ref, float scale, boolean positive, int ulps) {
        for (int n = 0; n <= MAX_N; n++) {
            int ao = random.nextInt(3), oo = random.nextInt(3);
            float[] a = data(n + ao, scale, 0f);
            if (positive) for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]) + 1e-3f;
            float[] o1 = new float[n + oo], o2 = new float[n + oo];
            fast.run(a, ao, o1, oo, n);
            ref.run(a, ao, o2, oo, n);
            close(name, n, o1, oo, o2, oo, ulps);
        }
    }

    @Test
    void binaryKernels() {
        bin("add", Elementwise::add, ElementwiseScalar::add, 0f, 0);
        bin("sub", Elementwise::sub, ElementwiseScalar::sub, 0f, 0);
        bin("mul", Elementwise::mul, ElementwiseScalar::mul, 0f, 0);
        bin("div", Elementwise::div, ElementwiseScalar::div, 1f, 0);
        bin("max", Elementwise::max, ElementwiseScalar::max, 0f, 0);
        bin("min", Elementwise::min, ElementwiseScalar::min, 0f, 0);
        bin("pow", (a, ao, b, bo, o, oo, n) -> Elementwise.pow(b, bo, a, ao, o, oo, n),
                (a, ao, b, bo, o, oo, n) -> ElementwiseScalar.pow(b, bo, a, ao, o, oo, n), 1f, 4);
    }

    @Test
    void scalarKernels() {
        withScalar("addScalar", Elementwise::addScalar, ElementwiseScalar::addScalar);
        withScalar("subScalar", Elementwise::subScalar, ElementwiseScalar::subScalar);
        withScalar("rsubScalar", Elementwise::rsubScalar, ElementwiseScalar::rsubScalar);
        withScalar("scale", Elementwise::scale, ElementwiseScalar::scale);
        withScalar("divScalar", Elementwise::divScalar, ElementwiseScalar::divScalar);
        withScalar("rdivScalar", Elementwise::rdivScalar, ElementwiseScalar::rdivScalar);
        withScalar("maxScalar", Elementwise::maxScalar, ElementwiseScalar::maxScalar);
        withScalar("minScalar", Elementwise::minScalar, ElementwiseScalar::minScalar);
        withScalar("clamp", (a, ao, s, o, oo, n) -> Elementwise.clamp(a, ao, -s / 2, s, o, oo, n),
                (a, ao, s, o, oo, n) -> ElementwiseScalar.clamp(a, ao, -s / 2, s, o, oo, n));
        withScalar("elu", (a, ao, s, o, oo, n) -> Elementwise.elu(a, ao, s, o, oo, n),
                (a, ao, s, o, oo, n) -> ElementwiseScalar.elu(a, ao, s, o, oo, n), 2);
    }

    @Test
    void comparisonsAndSelect() {
        bin("gt", Elementwise::gt, ElementwiseScalar::gt, 0f, 0);
        bin("ge", Elementwise::ge, ElementwiseScalar::ge, 0f, 0);
        bin("lt", Elementwise::lt, ElementwiseScalar::lt, 0f, 0);
        bin("le", Elementwise::le, ElementwiseScalar::le, 0f, 0);
        bin("eq", Elementwise::eq, ElementwiseScalar::eq, 0f, 0);
        // Equal operands: eq must say 1 on both paths.
        bin("eq self", (a, ao, b, bo, o, oo, n) -> Elementwise.eq(a, ao, a, ao, o, oo, n),
                (a, ao, b, bo, o, oo, n) -> {
                    ElementwiseScalar.eq(a, ao, a, ao, o, oo, n);
                    for (int i = 0; i < n; i++) assertThat(o[oo + i]).isEqualTo(1f);
                }, 0f, 0);
        withScalar("gtScalar", Elementwise::gtScalar, ElementwiseScalar::gtScalar);
        withScalar("geScalar", Elementwise::geScalar, ElementwiseScalar::geScalar);
        withScalar("ltScalar", Elementwise::ltScalar, ElementwiseScalar::ltScalar);
        withScalar("leScalar", Elementwise::leScalar, ElementwiseScalar::leScalar);
        withScalar("eqScalar", Elementwise::eqScalar, ElementwiseScalar::eqScalar);
        for (int n = 0; n <= MAX_N; n++) {
            float[] m = data(n + 1, 1f, 0f), a = data(n + 2, 1f, 0f), b = data(n, 1f, 0f);
            for (int i = 0; i < m.length; i++) m[i] = i % 3 == 0 ? 0f : i % 3 == 1 ? Float.NaN : m[i];
            float[] o1 = new float[n + 1], o2 = new float[n + 1];
            Elementwise.select(m, 1, a, 2, b, 0, o1, 1, n);
            ElementwiseScalar.select(m, 1, a, 2, b, 0, o2, 1, n);
            assertThat(o1).as("select n=%d", n).isEqualTo(o2);
        }
        for (int n = 0; n <= MAX_N; n++) {
            float[] x = data(n + 1, 1f, 0f), dy = data(n + 2, 1f, 0f), g1 = data(n + 3, 1f, 0f);
            for (int i = 0; i < x.length; i += 4) x[i] = i % 8 == 0 ? 0f : Float.NaN; // 0 and NaN pass nothing
            float[] g2 = g1.clone();
            Elementwise.reluBackward(x, 1, dy, 2, g1, 3, n);
            ElementwiseScalar.reluBackward(x, 1, dy, 2, g2, 3, n);
            assertThat(g1).as("reluBackward n=%d", n).isEqualTo(g2);
            float[] o1 = data(n + 2, 1f, 0f), o2 = o1.clone();
            Elementwise.addProduct(x, 0, dy, 1, o1, 2, n);
            ElementwiseScalar.addProduct(x, 0, dy, 1, o2, 2, n);
            assertThat(o1).as("addProduct n=%d", n).isEqualTo(o2);
        }
        for (int n = 0; n <= MAX_N; n++) {
            float[] x = data(n + 1, 1f, 0f), y = data(n + 4, 1f, 0f), dy = data(n + 2, 1f, 0f), g1 = data(n + 3, 1f, 0f);
            for (int i = 0; i < x.length; i += 4) x[i] = i % 8 == 0 ? 0f : Float.NaN; // 0 and NaN take the negative branch
            float[] g2 = g1.clone();
            Elementwise.eluBackward(x, 1, y, 2, 0.7f, dy, 2, g1, 3, n);
            ElementwiseScalar.eluBackward(x, 1, y, 2, 0.7f, dy, 2, g2, 3, n);
            assertThat(g1).as("eluBackward n=%d", n).isEqualTo(g2);
        }
        // NaN compares false, -0 equals 0 (on the vector path too: 16 copies fill every width).
        float[] x = new float[48], y = new float[48], o = new float[48];
        for (int i = 0; i < 48; i += 3) {
            x[i] = Float.NaN; y[i] = Float.NaN;
            x[i + 1] = -0f; y[i + 1] = 0f;
            x[i + 2] = 1f; y[i + 2] = Float.NaN;
        }
        Elementwise.eq(x, 0, y, 0, o, 0, 48);
        for (int i = 0; i < 48; i++) assertThat(o[i]).as("eq %d", i).isEqualTo(i % 3 == 1 ? 1f : 0f);
    }

    /** The in-place chain rules of fused layers, against their references at odd offsets and every tail length. */
    @Test
    void chainRulesFromTheOutput() {
        interface Chain { void run(float[] y, int yo, float[] dy, int dyo, int n); }
        Chain[][] kernels = {
            {Elementwise::reluChain, ElementwiseScalar::reluChain},
            {(y, yo, d, dOff, n) -> Elementwise.eluChain(y, yo, 0.7f, d, dOff, n), (y, yo, d, dOff, n) -> ElementwiseScalar.eluChain(y, yo, 0.7f, d, dOff, n)},
            {Elementwise::tanhChain, ElementwiseScalar::tanhChain},
            {Elementwise::sigmoidChain, ElementwiseScalar::sigmoidChain},
            {Elementwise::softplusChain, ElementwiseScalar::softplusChain}};
        String[] names = {"relu", "elu", "tanh", "sigmoid", "softplus"};
        for (int k = 0; k < kernels.length; k++) {
            for (int n = 0; n <= MAX_N; n++) {
                float[] y = data(n + 1, 1f, 0f), d1 = data(n + 2, 1f, 0f);
                for (int i = 0; i < y.length; i += 5) y[i] = i % 10 == 0 ? 0f : Float.NaN; // 0 and NaN take the non-positive branch
                float[] d2 = d1.clone();
                kernels[k][0].run(y, 1, d1, 2, n);
                kernels[k][1].run(y, 1, d2, 2, n);
                if (k < 4) assertThat(d1).as("%sChain n=%d", names[k], n).isEqualTo(d2);
                else for (int i = 0; i < d1.length; i++) // lanewise EXPM1 against Math.expm1
                    if (!(Float.isNaN(d1[i]) && Float.isNaN(d2[i])))
                        assertThat(d1[i]).as("softplusChain n=%d i=%d", n, i).isCloseTo(d2[i], within(2 * Math.ulp(d2[i])));
            }
        }
        // Against the activation's derivative at the input: y = elu(z) gives f'(z) = e^z for z <= 0.
        float[] z = {-3f, -0.5f, 0f, 0.25f, 2f}, y = new float[5], d = {1, 1, 1, 1, 1};
        Elementwise.elu(z, 0, 1f, y, 0, 5);
        Elementwise.eluChain(y, 0, 1f, d, 0, 5);
        for (int i = 0; i < 5; i++) assertThat(d[i]).as("elu'(%s)", z[i]).isCloseTo(z[i] > 0 ? 1f : (float) Math.exp(z[i]), within(1e-6f));
        Elementwise.softplus(z, 0, y, 0, 5);
        Arrays.fill(d, 1f);
        Elementwise.softplusChain(y, 0, d, 0, 5);
        for (int i = 0; i < 5; i++) assertThat(d[i]).as("softplus'(%s)", z[i]).isCloseTo((float) (1 / (1 + Math.exp(-z[i]))), within(1e-6f));
    }

    @Test
    void addRowAddsTheRowToEveryRow() {
        for (int cols = 1; cols <= MAX_N; cols += 3) {
            float[] row = data(cols + 1, 1f, 0f), y1 = data(3 * cols + 2, 1f, 0f), y2 = y1.clone();
            Elementwise.addRow(row, 1, y1, 2, 3, cols);
            ElementwiseScalar.addRow(row, 1, y2, 2, 3, cols);
            assertThat(y1).as("addRow cols=%d", cols).isEqualTo(y2);
        }
    }

    @Test
    void axpyIsFusedLikeItsReference() {
        for (int n = 0; n <= MAX_N; n++) {
            float[] x = data(n + 1, 1f, 0f), y1 = data(n + 2, 1f, 0f), y2 = y1.clone();
            Elementwise.axpy(0.75f, x, 1, y1, 2, n);
            ElementwiseScalar.axpy(0.75f, x, 1, y2, 2, n);
            assertThat(y1).as("axpy n=%d", n).isEqualTo(y2);
        }
    }

    @Test
    void unaryKernels() {
        un("neg", Elementwise::neg, ElementwiseScalar::neg, 2f, false, 0);
        un("abs", Elementwise::abs, ElementwiseScalar::abs, 2f, false, 0);
        un("square", Elementwise::square, ElementwiseScalar::square, 2f, false, 0);
        un("sqrt", Elementwise::sqrt, ElementwiseScalar::sqrt, 2f, true, 0);
        un("relu", Elementwise::relu, ElementwiseScalar::relu, 2f, false, 0);
        un("exp", Elementwise::exp, ElementwiseScalar::exp, 8f, false, 2);
        un("log", Elementwise::log, ElementwiseScalar::log, 8f, true, 2);
        un("tanh", Elementwise::tanh, ElementwiseScalar::tanh, 4f, false, 2);
        un("sigmoid", Elementwise::sigmoid, ElementwiseScalar::sigmoid, 8f, false, 3);
        un("elu", (a, ao, o, oo, n) -> Elementwise.elu(a, ao, 1f, o, oo, n),
                (a, ao, o, oo, n) -> ElementwiseScalar.elu(a, ao, 1f, o, oo, n), 4f, false, 2);
        un("softplus", Elementwise::softplus, ElementwiseScalar::softplus, 8f, false, 3);
    }

    @Test
    void outputMayAliasTheInput() {
        float[] a = data(MAX_N, 1f, 0f), copy = a.clone(), want = new float[MAX_N];
        ElementwiseScalar.tanh(copy, 0, want, 0, MAX_N);
        Elementwise.tanh(a, 0, a, 0, MAX_N);
        close("tanh in place", MAX_N, a, 0, want, 0, 2);
    }
}
