package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels on raw arrays: {@code out[oOff + i] = f(a[aOff + i], b[bOff + i])} for
 * {@code i in [0, n)}. Each SIMD kernel is a {@code loopBound} main loop over {@link Simd#F} plus a
 * scalar tail; its scalar reference sits in {@link ElementwiseScalar} under the same name. Output may alias an
 * input at the same offset (each element is read before it is written).
 *
 * <p>Transcendentals (exp, log, tanh, sigmoid, ELU, softplus) run on {@link VecMath}, whose lanes and
 * scalar tails give the same bits interpreted or compiled (the JDK's {@code lanewise(EXP)} does
 * not); their accuracy against {@code Math.*} is checked in the tests. {@link #pow} alone keeps
 * {@code lanewise(POW)} ({@code Tensor.pow}; no model uses it).
 */
public final class Elementwise {
    private static final VectorSpecies<Float> F = Simd.F;

    private Elementwise() {}

    // ---------------------------------------------------------------- binary, vector (.) vector

    /** {@code out = a + b}. */
    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).add(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] + b[bOff + i];
    }

    /** {@code out = a - b}. */
    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] - b[bOff + i];
    }

    /** {@code out = a * b}. */
    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).mul(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] * b[bOff + i];
    }

    /** {@code out = a / b}. */
    public static void div(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).div(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] / b[bOff + i];
    }

    /** {@code out = max(a, b)} (NaN if either is NaN, like {@link Math#max(float, float)}). */
    public static void max(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).max(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = Math.max(a[aOff + i], b[bOff + i]);
    }

    /** {@code out = min(a, b)}. */
    public static void min(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).min(FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = Math.min(a[aOff + i], b[bOff + i]);
    }

    /** {@code out = a ^ b} ({@code lanewise(POW)}). */
    public static void pow(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).lanewise(VectorOperators.POW, FloatVector.fromArray(F, b, bOff + i))
                    .intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = (float) Math.pow(a[aOff + i], b[bOff + i]);
    }

    // ---------------------------------------------------------------- binary, vector (.) scalar

    /** {@code out = a + s}. */
    public static void addScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).add(vs).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] + s;
    }

    /** {@code out = a - s}. */
    public static void subScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).sub(vs).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] - s;
    }

    /** {@code out = s - a}. */
    public static void rsubScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            vs.sub(FloatVector.fromArray(F, a, aOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = s - a[aOff + i];
    }

    /** {@code out = a * s}. */
    public static void scale(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).mul(vs).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] * s;
    }

    /** {@code out = a / s} (a true division, not a multiply by {@code 1/s}, so results are exact-rounded). */
    public static void divScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).div(vs).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] / s;
    }

    /** {@code out = s / a}. */
    public static void rdivScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            vs.div(FloatVector.fromArray(F, a, aOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = s / a[aOff + i];
    }

    /** {@code out = max(a, s)}. */
    public static void maxScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).max(vs).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = Math.max(a[aOff + i], s);
    }

    /** {@code out = min(a, s)}. */
    public static void minScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).min(vs).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = Math.min(a[aOff + i], s);
    }

    /** {@code y = alpha * x + y} (BLAS saxpy, in place on {@code y}). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector va = FloatVector.broadcast(F, alpha);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        for (; i < n; i++) y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
    }

    /** {@code out = clamp(a, lo, hi)} = {@code min(max(a, lo), hi)}. */
    public static void clamp(float[] a, int aOff, float lo, float hi, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector vl = FloatVector.broadcast(F, lo), vh = FloatVector.broadcast(F, hi);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).max(vl).min(vh).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = Math.min(Math.max(a[aOff + i], lo), hi);
    }

    // ---------------------------------------------------------------- comparisons -> 0/1 masks

    /** {@code out = a > b ? 1 : 0} (false on NaN, like Java). */
    public static void gt(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.GT, FloatVector.fromArray(F, b, bOff + i)))
                    .intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] > b[bOff + i] ? 1f : 0f;
    }

    /** {@code out = a > s ? 1 : 0}. */
    public static void gtScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.GT, s)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] > s ? 1f : 0f;
    }

    /** {@code out = a >= b ? 1 : 0} (false on NaN, like Java). */
    public static void ge(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.GE, FloatVector.fromArray(F, b, bOff + i)))
                    .intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] >= b[bOff + i] ? 1f : 0f;
    }

    /** {@code out = a >= s ? 1 : 0}. */
    public static void geScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.GE, s)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] >= s ? 1f : 0f;
    }

    /** {@code out = a < b ? 1 : 0} (false on NaN, like Java). */
    public static void lt(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.LT, FloatVector.fromArray(F, b, bOff + i)))
                    .intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] < b[bOff + i] ? 1f : 0f;
    }

    /** {@code out = a < s ? 1 : 0}. */
    public static void ltScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.LT, s)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] < s ? 1f : 0f;
    }

    /** {@code out = a <= b ? 1 : 0} (false on NaN, like Java). */
    public static void le(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.LE, FloatVector.fromArray(F, b, bOff + i)))
                    .intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] <= b[bOff + i] ? 1f : 0f;
    }

    /** {@code out = a <= s ? 1 : 0}. */
    public static void leScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.LE, s)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] <= s ? 1f : 0f;
    }

    /** {@code out = a == b ? 1 : 0} (false on NaN, like Java). */
    public static void eq(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.EQ, FloatVector.fromArray(F, b, bOff + i)))
                    .intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] == b[bOff + i] ? 1f : 0f;
    }

    /** {@code out = a == s ? 1 : 0}. */
    public static void eqScalar(float[] a, int aOff, float s, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(one, FloatVector.fromArray(F, a, aOff + i).compare(VectorOperators.EQ, s)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = a[aOff + i] == s ? 1f : 0f;
    }

    /** {@code out = mask != 0 ? a : b} (a NaN mask selects {@code a}, like Java's {@code !=}). */
    public static void select(float[] mask, int mOff, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, b, bOff + i).blend(FloatVector.fromArray(F, a, aOff + i),
                    FloatVector.fromArray(F, mask, mOff + i).compare(VectorOperators.NE, 0f)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = mask[mOff + i] != 0f ? a[aOff + i] : b[bOff + i];
    }

    /** {@code out += a * b} (the product rule's accumulation into a gradient). */
    public static void addProduct(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), FloatVector.fromArray(F, out, oOff + i))
                    .intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = Math.fma(a[aOff + i], b[bOff + i], out[oOff + i]);
    }

    /** ReLU's backward: {@code g += x > 0 ? dy : 0} (branch-free: the sign of {@code x} is data, not a pattern). */
    public static void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] g, int gOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        for (; i < end; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector.fromArray(F, g, gOff + i)
                    .add(zero.blend(d, FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, 0f)))
                    .intoArray(g, gOff + i);
        }
        for (; i < n; i++) if (x[xOff + i] > 0f) g[gOff + i] += dy[dyOff + i];
    }

    /**
     * ELU's backward from its output {@code y}: {@code g += x > 0 ? dy : dy (y + alpha)}
     * (d/dx alpha (e^x - 1) = alpha e^x = y + alpha); branch-free like {@link #reluBackward}.
     */
    public static void eluBackward(float[] x, int xOff, float[] y, int yOff, float alpha, float[] dy, int dyOff,
                                   float[] g, int gOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector neg = FloatVector.fromArray(F, y, yOff + i).add(alpha).mul(d);
            FloatVector.fromArray(F, g, gOff + i)
                    .add(neg.blend(d, FloatVector.fromArray(F, x, xOff + i).compare(VectorOperators.GT, 0f)))
                    .intoArray(g, gOff + i);
        }
        for (; i < n; i++) g[gOff + i] += x[xOff + i] > 0f ? dy[dyOff + i] : dy[dyOff + i] * (y[yOff + i] + alpha);
    }

    // ------------------------------------------- chain rule from an activation's output (in place)
    // A fused layer keeps only y = f(z); these turn its incoming gradient dy into dz = dy f'(z),
    // with f'(z) written as a function of y, in place on dy.

    /** ReLU: {@code dy = y > 0 ? dy : 0} (y > 0 exactly when z > 0). */
    public static void reluChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        for (; i < end; i += F.length())
            zero.blend(FloatVector.fromArray(F, dy, dyOff + i), FloatVector.fromArray(F, y, yOff + i).compare(VectorOperators.GT, 0f))
                    .intoArray(dy, dyOff + i);
        for (; i < n; i++) if (!(y[yOff + i] > 0f)) dy[dyOff + i] = 0f;
    }

    /** ELU: {@code dy = y > 0 ? dy : dy (y + alpha)} (d/dz alpha (e^z - 1) = alpha e^z = y + alpha). */
    public static void eluChain(float[] y, int yOff, float alpha, float[] dy, int dyOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, dy, dyOff + i), v = FloatVector.fromArray(F, y, yOff + i);
            v.add(alpha).mul(d).blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(dy, dyOff + i);
        }
        for (; i < n; i++) if (!(y[yOff + i] > 0f)) dy[dyOff + i] *= y[yOff + i] + alpha;
    }

    /** tanh: {@code dy = dy (1 - y^2)}. */
    public static void tanhChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (; i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, y, yOff + i);
            FloatVector.fromArray(F, dy, dyOff + i).mul(one.sub(v.mul(v))).intoArray(dy, dyOff + i);
        }
        for (; i < n; i++) dy[dyOff + i] *= 1f - y[yOff + i] * y[yOff + i];
    }

    /** sigmoid: {@code dy = dy y (1 - y)}. */
    public static void sigmoidChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (; i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, y, yOff + i);
            FloatVector.fromArray(F, dy, dyOff + i).mul(v).mul(one.sub(v)).intoArray(dy, dyOff + i);
        }
        for (; i < n; i++) dy[dyOff + i] = dy[dyOff + i] * y[yOff + i] * (1f - y[yOff + i]);
    }

    /** softplus: {@code dy = dy sigma(z) = dy (1 - e^-y) = -dy expm1(-y)} (expm1 keeps small y exact). */
    public static void softplusChain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, dy, dyOff + i).mul(VecMath.expm1(FloatVector.fromArray(F, y, yOff + i).neg()).neg())
                    .intoArray(dy, dyOff + i);
        for (; i < n; i++) dy[dyOff + i] *= -VecMath.expm1(-y[yOff + i]);
    }

    /** {@code y[r, :] += row} for each of {@code rows} rows of {@code cols} (a bias over a batch). */
    public static void addRow(float[] row, int rOff, float[] y, int yOff, int rows, int cols) {
        int end = F.loopBound(cols);
        for (int r = 0, o = yOff; r < rows; r++, o += cols) {
            int j = 0;
            for (; j < end; j += F.length())
                FloatVector.fromArray(F, y, o + j).add(FloatVector.fromArray(F, row, rOff + j)).intoArray(y, o + j);
            for (; j < cols; j++) y[o + j] += row[rOff + j];
        }
    }

    // ---------------------------------------------------------------- unary

    /** {@code out = -a}. */
    public static void neg(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).neg().intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = -a[aOff + i];
    }

    /** {@code out = |a|}. */
    public static void abs(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).abs().intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = Math.abs(a[aOff + i]);
    }

    /** {@code out = a^2}. */
    public static void square(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, aOff + i);
            v.mul(v).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = a[aOff + i] * a[aOff + i];
    }

    /** {@code out = sqrt(a)} (correctly rounded, like {@link Math#sqrt}). */
    public static void sqrt(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            FloatVector.fromArray(F, a, aOff + i).sqrt().intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = (float) Math.sqrt(a[aOff + i]);
    }

    /** {@code out = e^a}. */
    public static void exp(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            VecMath.exp(FloatVector.fromArray(F, a, aOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = VecMath.exp(a[aOff + i]);
    }

    /** {@code out = ln a}. */
    public static void log(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            VecMath.log(FloatVector.fromArray(F, a, aOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = VecMath.log(a[aOff + i]);
    }

    /** {@code out = tanh a}. */
    public static void tanh(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            VecMath.tanh(FloatVector.fromArray(F, a, aOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = VecMath.tanh(a[aOff + i]);
    }

    /**
     * {@code out = sigma(a) = 1 / (1 + e^-a)}. For very negative {@code a}, {@code e^-a} overflows to
     * +inf and the result is the correct limit 0; no NaN arises.
     */
    public static void sigmoid(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length())
            VecMath.sigmoid(FloatVector.fromArray(F, a, aOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = VecMath.sigmoid(a[aOff + i]);
    }

    /** {@code out = max(a, 0)}. */
    public static void relu(float[] a, int aOff, float[] out, int oOff, int n) {
        maxScalar(a, aOff, 0f, out, oOff, n);
    }

    /** {@code out = a > 0 ? a : alpha (e^a - 1)} ({@link VecMath#expm1} keeps small |a| accurate). */
    public static void elu(float[] a, int aOff, float alpha, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        FloatVector va = FloatVector.broadcast(F, alpha);
        for (; i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, aOff + i);
            FloatVector neg = VecMath.expm1(v.min(0f)).mul(va);
            neg.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) {
            float x = a[aOff + i];
            out[oOff + i] = x > 0f ? x : alpha * VecMath.expm1(Math.min(x, 0f));
        }
    }

    /**
     * {@code out = softplus(a) = ln(1 + e^a)}, computed stably as {@code max(a, 0) + log1p(e^-|a|)}:
     * no overflow for large {@code a}, no loss for very negative {@code a}.
     */
    public static void softplus(float[] a, int aOff, float[] out, int oOff, int n) {
        int i = 0, end = F.loopBound(n);
        for (; i < end; i += F.length()) VecMath.softplus(FloatVector.fromArray(F, a, aOff + i)).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = VecMath.softplus(a[aOff + i]);
    }

    /** Copies {@code n} floats (a plain {@link System#arraycopy}, here for symmetry with the others). */
    public static void copy(float[] a, int aOff, float[] out, int oOff, int n) {
        System.arraycopy(a, aOff, out, oOff, n);
    }

    /** Fills {@code n} floats with {@code v}. */
    public static void fill(float[] out, int oOff, int n, float v) {
        java.util.Arrays.fill(out, oOff, oOff + n, v);
    }
}
