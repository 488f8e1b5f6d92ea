package latte.core;

import latte.core.kernels.Elementwise;

/**
 * The elementwise binary operators of {@link Tensor}: the scalar definition {@link #apply} and row
 * kernels for the three layouts a broadcast row can have (both operands unit-stride, right operand
 * broadcast, left operand broadcast), which dispatch to {@link Elementwise} where a SIMD kernel
 * exists.
 */
enum BinaryOp {
    ADD("add") {
        float apply(float a, float b) { return a + b; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.add(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.addScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.addScalar(b, bo, s, o, oo, n); }
    },
    SUB("sub") {
        float apply(float a, float b) { return a - b; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.sub(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.subScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.rsubScalar(b, bo, s, o, oo, n); }
    },
    MUL("mul") {
        float apply(float a, float b) { return a * b; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.mul(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.scale(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.scale(b, bo, s, o, oo, n); }
    },
    DIV("div") {
        float apply(float a, float b) { return a / b; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.div(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.divScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.rdivScalar(b, bo, s, o, oo, n); }
    },
    POW("pow") {
        float apply(float a, float b) { return (float) Math.pow(a, b); }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.pow(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) {
            if (s == 2f) Elementwise.square(a, ao, o, oo, n);
            else if (s == 1f) System.arraycopy(a, ao, o, oo, n);
            else super.vs(a, ao, s, o, oo, n);
        }
    },
    MAX("maximum") {
        float apply(float a, float b) { return Math.max(a, b); }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.max(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.maxScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.maxScalar(b, bo, s, o, oo, n); }
    },
    MIN("minimum") {
        float apply(float a, float b) { return Math.min(a, b); }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.min(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.minScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.minScalar(b, bo, s, o, oo, n); }
    },
    GT("gt") {
        float apply(float a, float b) { return a > b ? 1f : 0f; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.gt(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.gtScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.ltScalar(b, bo, s, o, oo, n); }
    },
    GE("ge") {
        float apply(float a, float b) { return a >= b ? 1f : 0f; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.ge(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.geScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.leScalar(b, bo, s, o, oo, n); }
    },
    LT("lt") {
        float apply(float a, float b) { return a < b ? 1f : 0f; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.lt(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.ltScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.gtScalar(b, bo, s, o, oo, n); }
    },
    LE("le") {
        float apply(float a, float b) { return a <= b ? 1f : 0f; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.le(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.leScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.geScalar(b, bo, s, o, oo, n); }
    },
    EQ("eq") {
        float apply(float a, float b) { return a == b ? 1f : 0f; }
        void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) { Elementwise.eq(a, ao, b, bo, o, oo, n); }
        void vs(float[] a, int ao, float s, float[] o, int oo, int n) { Elementwise.eqScalar(a, ao, s, o, oo, n); }
        void sv(float s, float[] b, int bo, float[] o, int oo, int n) { Elementwise.eqScalar(b, bo, s, o, oo, n); }
    };

    final String op;

    BinaryOp(String op) {
        this.op = op;
    }

    /** The definition on one pair. */
    abstract float apply(float a, float b);

    /** {@code o[i] = a[i] (.) b[i]}. */
    void vv(float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = apply(a[ao + i], b[bo + i]);
    }

    /** {@code o[i] = a[i] (.) s}. */
    void vs(float[] a, int ao, float s, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = apply(a[ao + i], s);
    }

    /** {@code o[i] = s (.) b[i]}. */
    void sv(float s, float[] b, int bo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = apply(s, b[bo + i]);
    }

    /** One broadcast row with inner strides {@code as}, {@code bs}; the output row is unit-stride. */
    final void row(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        if (as == 1 && bs == 1) vv(a, ao, b, bo, o, oo, n);
        else if (as == 1 && bs == 0) vs(a, ao, b[bo], o, oo, n);
        else if (as == 0 && bs == 1) sv(a[ao], b, bo, o, oo, n);
        else for (int i = 0; i < n; i++) o[oo + i] = apply(a[ao + i * as], b[bo + i * bs]);
    }
}
