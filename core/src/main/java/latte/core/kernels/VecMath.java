package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static latte.core.kernels.Simd.F;

/**
 * exp, expm1, log, tanh, sigmoid and softplus in float from {@code +}, {@code *}, {@code /},
 * fma and bit operations only, for a vector of lanes and for one float, with the same arithmetic in
 * both.
 *
 * <p><b>Why not {@code lanewise(EXP)}.</b> Until C2 compiles a kernel the Vector API runs a
 * per-lane {@code Math.*} fallback, afterwards an intrinsic stub; the two round differently (53 of
 * 4,096 exp values differed), so results depended on when the JIT finished, and two training runs
 * of one seed parted ways within a few episodes. IEEE add, multiply, divide and fma are exact
 * operations whoever runs them, so these functions give the same bits interpreted or compiled, in
 * a vector lane or in a scalar tail, at every vector width.
 *
 * <p>exp, log and tanh's small-argument polynomial follow Cephes (S. Moshier) single precision:
 * a range reduction and a minimax polynomial; expm1 reuses exp's reduction with a Taylor series,
 * softplus log's polynomial, so small arguments keep their precision. Accuracy against
 * {@code Math.*} in double is checked by {@code LanewiseAccuracyTest} and {@code VecMathTest}
 * (under 2 ulp; exp 0.98, log 0.82, tanh 1.46, expm1 1.43).
 */
public final class VecMath {
    private VecMath() {}

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in a high part exact in a few bits and a low correction (Cephes). */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer, and the sum's low bits hold that integer. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** Above: e^x overflows; below: e^x rounds to 0. */
    private static final float EXP_HI = 88.72283935546875f, EXP_LO = -103.97208f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;
    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float L0 = 7.0376836292e-2f, L1 = -1.1514610310e-1f, L2 = 1.1676998740e-1f,
            L3 = -1.2420140846e-1f, L4 = 1.4249322787e-1f, L5 = -1.6668057665e-1f, L6 = 2.0000714765e-1f,
            L7 = -2.4999993993e-1f, L8 = 3.3333331174e-1f;
    /** Taylor coefficients 1/k! of e^r - 1 for k = 3..8 (|r| <= ln 2 / 2: the ninth term is below 1e-9 relative). */
    private static final float M3 = 1f / 6, M4 = 1f / 24, M5 = 1f / 120, M6 = 1f / 720, M7 = 1f / 5040, M8 = 1f / 40320;
    /** Beyond: expm1 is e^x, or -1, to float precision. */
    private static final float EXPM1_BIG = 20f;
    /** Top of log's reduced range, sqrt 2 - 1: up to it ln(1 + f) is log's own polynomial in f. */
    private static final float TAIL_HI = 0.41421356237309505f;
    private static final float TANH_SMALL = 0.625f, TANH_CLAMP = 9f;
    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;

    // ---- one float ----

    /** e^x: x = n ln 2 + r, |r| <= ln 2 / 2, e^r by a degree-7 polynomial, times 2^n in two halves. */
    public static float exp(float x) {
        if (x > EXP_HI) return Float.POSITIVE_INFINITY;
        if (x < EXP_LO) return 0f;
        float t = Math.fma(x, LOG2E, ROUND);
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, x));
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E0, r, E1), r, E2), r, E3), r, E4), r, E5);
        float y = Math.fma(p, r * r, r) + 1f;
        int k = Float.floatToRawIntBits(t) - ROUND_BITS, k1 = k >> 1, k2 = k - k1;   // 2^n = 2^k1 2^k2, both normal
        return y * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /** ln x: x = 2^e m, m in [sqrt(1/2), sqrt 2), ln m = f - f^2/2 + f^3 P(f) with f = m - 1. */
    public static float log(float x) {
        if (!(x > 0f)) return x == 0f ? Float.NEGATIVE_INFINITY : Float.NaN;
        if (x == Float.POSITIVE_INFINITY) return x;
        float e = 0f;
        if (x < Float.MIN_NORMAL) {
            x *= 0x1p25f;
            e = -25f;
        }
        int bits = Float.floatToRawIntBits(x);
        e += (bits >>> 23) - 126;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000);               // [0.5, 1)
        float f;
        if (m < SQRT_HALF) {
            e -= 1f;
            f = m + m - 1f;
        } else {
            f = m - 1f;
        }
        return logTail(f, e);
    }

    /** e ln 2 + ln(1 + f) for f in [sqrt(1/2) - 1, sqrt 2 - 1]: f - f^2/2 + f^3 P(f), ln 2 in two parts. */
    private static float logTail(float f, float e) {
        float z = f * f;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(L0, f, L1), f, L2), f, L3),
                f, L4), f, L5), f, L6), f, L7), f, L8);
        float y = p * f * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        return Math.fma(e, LN2_HI, f + y);
    }

    /**
     * e^x - 1, accurate for small x: e^x - 1 = 2^n (e^r - 1) + (2^n - 1), e^r - 1 by its Taylor
     * series on the reduced r, then one fma; 2^n - 1 is exact for |n| <= 29.
     */
    public static float expm1(float x) {
        if (x > EXPM1_BIG) return exp(x);
        if (x < -EXPM1_BIG) return -1f;
        float t = Math.fma(x, LOG2E, ROUND);
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, x));
        float h = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(M8, r, M7), r, M6), r, M5), r, M4), r, M3), r, 0.5f);
        float p = Math.fma(r * r, h, r);                                                // e^r - 1
        float s = Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUND_BITS + 127) << 23); // 2^n
        return Math.fma(s, p, s - 1f);
    }

    /**
     * tanh x: below |x| = 0.625 an odd polynomial (Cephes), above sign(x) m / (m + 2) with m = e^2|x| - 1
     * by {@link #expm1} (the quotient is 1 - 2 / (m + 2), insensitive to m's error); |x| clamped at
     * 9, where tanh rounds to 1.
     */
    public static float tanh(float x) {
        float z = Math.abs(x);
        if (z > TANH_SMALL) {
            float m = expm1(2f * Math.min(z, TANH_CLAMP));
            return Math.copySign(m / (m + 2f), x);
        }
        float s = x * x;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(T0, s, T1), s, T2), s, T3), s, T4);
        return Math.fma(p * s, x, x);
    }

    /**
     * softplus x = ln(1 + e^x) = max(x, 0) + ln(1 + e), e = e^-|x| in (0, 1]: log's polynomial in e
     * itself up to sqrt 2 - 1, above ln 2 + ln(1 + (e - 1) / 2) (1 + e = 2 (1 + (e - 1) / 2)).
     */
    public static float softplus(float x) {
        float e = exp(-Math.abs(x));
        boolean high = e > TAIL_HI;
        return Math.max(x, 0f) + logTail(high ? (e - 1f) * 0.5f : e, high ? 1f : 0f);
    }

    /** 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    // ---- a vector of lanes: the same operations lane by lane ----

    /** {@link #exp(float)} on every lane. */
    public static FloatVector exp(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(bc(-LN2_LO), n.fma(bc(-LN2_HI), x));
        FloatVector p = r.fma(E0, E1).fma(r, bc(E2)).fma(r, bc(E3)).fma(r, bc(E4)).fma(r, bc(E5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector out = y.mul(s1).mul(s2);
        out = out.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
        return out.blend(0f, x.compare(VectorOperators.LT, EXP_LO));
    }

    /** {@link #log(float)} on every lane. */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(0x1p25f), sub);
        FloatVector e0 = FloatVector.zero(F).blend(-25f, sub);
        IntVector bits = xs.reinterpretAsInts();
        FloatVector e = e0.add((FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).convert(VectorOperators.I2F, 0));
        FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        e = e.blend(e.sub(1f), low);
        FloatVector f = m.sub(1f).blend(m.add(m).sub(1f), low);
        FloatVector out = logTail(f, e);
        out = out.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        out = out.blend(Float.NaN, x.compare(VectorOperators.GT, 0f).not());                 // x < 0 and NaN
        return out.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
    }

    /** {@link #logTail(float, float)} on every lane: e ln 2 + ln(1 + f). */
    private static FloatVector logTail(FloatVector f, FloatVector e) {
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(L0, L1).fma(f, bc(L2)).fma(f, bc(L3)).fma(f, bc(L4)).fma(f, bc(L5)).fma(f, bc(L6))
                .fma(f, bc(L7)).fma(f, bc(L8));
        FloatVector y = p.mul(f).mul(z);
        y = e.fma(bc(LN2_LO), y);
        y = z.fma(bc(-0.5f), y);
        return e.fma(bc(LN2_HI), f.add(y));
    }

    /** {@link #expm1(float)} on every lane. */
    public static FloatVector expm1(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(bc(-LN2_LO), n.fma(bc(-LN2_HI), x));
        FloatVector h = r.fma(M8, M7).fma(r, bc(M6)).fma(r, bc(M5)).fma(r, bc(M4)).fma(r, bc(M3)).fma(r, bc(0.5f));
        FloatVector p = r.mul(r).fma(h, r);
        FloatVector s = t.reinterpretAsInts().sub(ROUND_BITS).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector out = s.fma(p, s.sub(1f));
        VectorMask<Float> big = x.compare(VectorOperators.GT, EXPM1_BIG);
        if (big.anyTrue()) out = out.blend(exp(x), big);
        return out.blend(-1f, x.compare(VectorOperators.LT, -EXPM1_BIG));
    }

    /** {@link #tanh(float)} on every lane ({@link Math#copySign} as its bit operation). */
    public static FloatVector tanh(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector s = x.mul(x);
        FloatVector p = s.fma(T0, T1).fma(s, bc(T2)).fma(s, bc(T3)).fma(s, bc(T4));
        FloatVector small = p.mul(s).fma(x, x);
        VectorMask<Float> big = z.compare(VectorOperators.GT, TANH_SMALL);
        if (!big.anyTrue()) return small;
        FloatVector m = expm1(z.min(TANH_CLAMP).mul(2f));
        IntVector magnitude = m.div(m.add(2f)).reinterpretAsInts().and(0x7fffffff);
        return small.blend(magnitude.or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats(), big);
    }

    /** {@link #softplus(float)} on every lane. */
    public static FloatVector softplus(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        VectorMask<Float> high = e.compare(VectorOperators.GT, TAIL_HI);
        FloatVector f = e.blend(e.sub(1f).mul(0.5f), high);
        return x.max(0f).add(logTail(f, FloatVector.zero(F).blend(1f, high)));
    }

    /** {@link #sigmoid(float)} on every lane. */
    public static FloatVector sigmoid(FloatVector x) {
        return bc(1f).div(exp(x.neg()).add(1f));
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(F, v);
    }
}
