package latte.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link VecMath}: every vector lane gives the bits of the scalar twin (so a kernel's result does
 * not depend on the vector width, the tail, or whether the JIT has compiled it), the special values
 * are those of {@code Math}, and expm1 and softplus keep their precision near 0 (exp, log and tanh are
 * measured over wide ranges by {@link LanewiseAccuracyTest}).
 */
@Tag("kernel")
class VecMathTest {
    private interface Scalar { float apply(float x); }

    private record Fn(String name, Scalar scalar, UnaryOperator<FloatVector> vector) {}

    private static final Fn[] FNS = {
        new Fn("exp", VecMath::exp, VecMath::exp), new Fn("expm1", VecMath::expm1, VecMath::expm1),
        new Fn("log", VecMath::log, VecMath::log),
        new Fn("tanh", VecMath::tanh, VecMath::tanh), new Fn("sigmoid", VecMath::sigmoid, VecMath::sigmoid),
        new Fn("softplus", VecMath::softplus, VecMath::softplus)};

    /** Random floats of every magnitude, the branch points of each function, and the special values. */
    private static float[] inputs() {
        float[] edges = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, 20f, -20f, 20.000002f,
            88.72283f, 88.72284f, -103.97208f, -103.9721f, 0.625f, -0.625f, 0.62500006f, 0.41421357f, -0.2928932f,
            0.70710677f, 1e-30f, 1e-8f, -1e-8f, 17f, 30f, -87.33f, 100f, -100f};
        SplittableRandom r = new SplittableRandom(3);
        int n = 200_000;
        float[] x = new float[n];
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int i = edges.length; i < n; i++) {
            int kind = i % 3;
            x[i] = kind == 0 ? (float) (r.nextDouble() * 240 - 120)                       // the whole working range
                    : kind == 1 ? (float) (r.nextDouble() * 4 - 2)                        // near 0 and the branch points
                    : Float.intBitsToFloat(r.nextInt());                                 // any bit pattern
        }
        return x;
    }

    @Test
    void everyLaneGivesTheScalarTwinsBits() {
        float[] x = inputs();
        int lanes = Simd.LANES;
        float[] out = new float[lanes];
        for (Fn f : FNS) {
            for (int i = 0; i + lanes <= x.length; i += lanes) {
                f.vector().apply(FloatVector.fromArray(Simd.F, x, i)).intoArray(out, 0);
                for (int l = 0; l < lanes; l++) {
                    float want = f.scalar().apply(x[i + l]);
                    assertThat(Float.floatToIntBits(out[l])).as("%s(%s): lane %s, scalar %s", f.name(), x[i + l], out[l], want)
                            .isEqualTo(Float.floatToIntBits(want));
                }
            }
        }
    }

    @Test
    void specialValuesAreThoseOfMath() {
        float inf = Float.POSITIVE_INFINITY;
        assertThat(VecMath.exp(inf)).isEqualTo(inf);
        assertThat(VecMath.exp(-inf)).isZero();
        assertThat(VecMath.exp(Float.NaN)).isNaN();
        assertThat(VecMath.exp(88.72f)).isFinite().isCloseTo((float) Math.exp(88.72f), org.assertj.core.data.Percentage.withPercentage(1e-5));
        assertThat(VecMath.exp(-100f)).isEqualTo((float) Math.exp(-100));                // a subnormal result
        assertThat(VecMath.log(0f)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(VecMath.log(-1f)).isNaN();
        assertThat(VecMath.log(inf)).isEqualTo(inf);
        assertThat(VecMath.log(Float.MIN_VALUE)).isEqualTo((float) Math.log(Float.MIN_VALUE));
        assertThat(VecMath.expm1(-inf)).isEqualTo(-1f);
        assertThat(VecMath.expm1(inf)).isEqualTo(inf);
        assertThat(VecMath.tanh(inf)).isEqualTo(1f);
        assertThat(VecMath.tanh(-inf)).isEqualTo(-1f);
        assertThat(VecMath.tanh(Float.NaN)).isNaN();
        assertThat(VecMath.sigmoid(-inf)).isZero();
        assertThat(VecMath.softplus(inf)).isEqualTo(inf);
        assertThat(VecMath.softplus(-inf)).isZero();
        assertThat(VecMath.sigmoid(inf)).isEqualTo(1f);
    }

    @Test
    void expm1AndSoftplusAreAccurateNearZeroAndBeyond() {
        double worstE = 0, worstS = 0;
        for (int i = 0; i <= 400_000; i++) {
            float x = (float) (-25 + 50.0 * i / 400_000);
            worstE = Math.max(worstE, ulps(VecMath.expm1(x), Math.expm1(x)));
            worstS = Math.max(worstS, ulps(VecMath.softplus(x), Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x)))));
        }
        for (float tiny = 1e-30f; tiny < 1e-3f; tiny *= 1.7f) {
            for (float x : new float[] {tiny, -tiny}) {
                worstE = Math.max(worstE, ulps(VecMath.expm1(x), Math.expm1(x)));
            }
        }
        assertThat(worstE).as("expm1, worst ulps").isLessThan(2.0);
        assertThat(worstS).as("softplus, worst ulps").isLessThan(2.0);
    }

    private static double ulps(float got, double want) {
        return Math.abs(got - want) / Math.ulp((float) want);
    }
}
