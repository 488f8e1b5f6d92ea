package latte.autodiff;

import java.util.Arrays;
import latte.core.Parallel;
import latte.core.kernels.Elementwise;

import static latte.autodiff.Recorder.needs;
import static latte.autodiff.Recorder.record;
import static latte.autodiff.Recorder.result;

/**
 * The differentiable elementwise primitives: broadcasting binary ops and the unary maps. Each is
 * one static method: the forward computes a fresh contiguous output; when any input requires a
 * gradient and a {@link Tape} is recording, a backward closure is recorded that reads {@code dy}
 * (the output's gradient) and <b>accumulates</b> into the inputs' gradients. Everything else
 * ({@link Composites}, layers, distributions) is composed from the primitives and needs no
 * backward code.
 *
 * <p>The other primitives follow the same pattern, by theme: {@link ShapeOps} (reshape, permute,
 * slice, concat, expand, take, gather), {@link ReduceOps} (sum, mean, logsumexp, the fused squared
 * error) and {@link LayerOps} (dense layer, matmul, convolutions, GRU cell: the GEMM and
 * convolution work).
 *
 * <p>Notation in the javadoc: {@code dy} is d loss / d y; {@code dx += ...} is the accumulation.
 * Binary elementwise ops broadcast like NumPy and sum the gradient back to each input's shape.
 */
public final class Ops {
    private Ops() {}

    /**
     * Where each output element of a broadcasting binary op reads its inputs. The output is walked
     * as {@code rows x cols} (nested loops, no division per element). Per input, the common cases
     * need no index array: the output's own shape (index i), a trailing block repeated over the
     * leading dims such as a bias [N] against [B, N] (index j, with cols = N), or a single element
     * (index 0); anything else gets a full index map.
     */
    private record Bcast(int[] shape, int n, int rows, int cols, int modA, int[] ia, int modB, int[] ib) {
        static Bcast of(String op, Var a, Var b) {
            int[] s = Shapes.broadcast(op, a.shape, b.shape);
            int n = Shapes.size(s);
            int ma = mod(a.shape, s), mb = mod(b.shape, s);
            if (ma > 1 && mb > 1 && ma != mb) ma = mb = -1; // two different blocks: use maps
            int cols = Math.max(Math.max(ma, mb), 1);
            if (ma <= 1 && mb <= 1) cols = Math.max(n, 1);
            return new Bcast(s, n, n / cols, cols, ma, ma < 0 ? Shapes.broadcastIndex(a.shape, s) : null,
                    mb, mb < 0 ? Shapes.broadcastIndex(b.shape, s) : null);
        }

        /** 0 if {@code in} equals {@code out}; its size if it is a trailing block of out; else -1. */
        private static int mod(int[] in, int[] out) {
            if (Arrays.equals(in, out)) return 0;
            int lead = 0;
            while (lead < in.length && in[lead] == 1) lead++;
            int k = in.length - lead;
            for (int j = 0; j < k; j++) if (in[lead + j] != out[out.length - k + j]) return -1;
            return Math.max(1, Shapes.size(in));
        }

        boolean same() {
            return modA == 0 && modB == 0;
        }

        /** Index into a of output element i = row * cols + j. */
        int a(int i, int j) {
            return modA == 0 ? i : modA == 1 ? 0 : modA > 0 ? j : ia[i];
        }

        int b(int i, int j) {
            return modB == 0 ? i : modB == 1 ? 0 : modB > 0 ? j : ib[i];
        }
    }

    // ---------------------------------------------------------------- binary, broadcasting

    /** y = a + b. [..a] , [..b] -> broadcast shape. da += dy, db += dy (summed to shape). */
    public static Var add(Var a, Var b) {
        Bcast m = Bcast.of("add", a, b);
        float[] y = new float[m.n];
        if (m.same()) Elementwise.add(a.data, a.off, b.data, b.off, y, 0, m.n);
        else for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
            y[i] = a.data[a.off + m.a(i, j)] + b.data[b.off + m.b(i, j)];
        Var out = result(y, m.shape, a, b);
        return record("add", out, () -> {
            float[] dy = out.grad;
            if (m.same()) {
                if (a.requiresGrad) Elementwise.axpy(1f, dy, 0, a.g(), a.goff, m.n);
                if (b.requiresGrad) Elementwise.axpy(1f, dy, 0, b.g(), b.goff, m.n);
                return;
            }
            if (a.requiresGrad) {
                float[] g = a.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[a.goff + m.a(i, j)] += dy[i];
            }
            if (b.requiresGrad) {
                float[] g = b.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[b.goff + m.b(i, j)] += dy[i];
            }
        });
    }

    /** y = a - b (broadcasting). da += dy, db -= dy. */
    public static Var sub(Var a, Var b) {
        Bcast m = Bcast.of("sub", a, b);
        float[] y = new float[m.n];
        if (m.same()) Elementwise.sub(a.data, a.off, b.data, b.off, y, 0, m.n);
        else for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
            y[i] = a.data[a.off + m.a(i, j)] - b.data[b.off + m.b(i, j)];
        Var out = result(y, m.shape, a, b);
        return record("sub", out, () -> {
            float[] dy = out.grad;
            if (m.same()) {
                if (a.requiresGrad) Elementwise.axpy(1f, dy, 0, a.g(), a.goff, m.n);
                if (b.requiresGrad) Elementwise.axpy(-1f, dy, 0, b.g(), b.goff, m.n);
                return;
            }
            if (a.requiresGrad) {
                float[] g = a.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[a.goff + m.a(i, j)] += dy[i];
            }
            if (b.requiresGrad) {
                float[] g = b.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[b.goff + m.b(i, j)] -= dy[i];
            }
        });
    }

    /** y = a * b (broadcasting). da += dy * b, db += dy * a. */
    public static Var mul(Var a, Var b) {
        Bcast m = Bcast.of("mul", a, b);
        float[] y = new float[m.n];
        if (m.same()) Elementwise.mul(a.data, a.off, b.data, b.off, y, 0, m.n);
        else for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
            y[i] = a.data[a.off + m.a(i, j)] * b.data[b.off + m.b(i, j)];
        Var out = result(y, m.shape, a, b);
        return record("mul", out, () -> {
            float[] dy = out.grad;
            if (m.same()) {
                if (a.requiresGrad) Elementwise.addProduct(dy, 0, b.data, b.off, a.g(), a.goff, m.n);
                if (b.requiresGrad) Elementwise.addProduct(dy, 0, a.data, a.off, b.g(), b.goff, m.n);
                return;
            }
            if (a.requiresGrad) {
                float[] g = a.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[a.goff + m.a(i, j)] += dy[i] * b.data[b.off + m.b(i, j)];
            }
            if (b.requiresGrad) {
                float[] g = b.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[b.goff + m.b(i, j)] += dy[i] * a.data[a.off + m.a(i, j)];
            }
        });
    }

    /** y = a / b (broadcasting). da += dy / b, db -= dy * a / b^2 = dy * y / b. */
    public static Var div(Var a, Var b) {
        Bcast m = Bcast.of("div", a, b);
        float[] y = new float[m.n];
        if (m.same()) Elementwise.div(a.data, a.off, b.data, b.off, y, 0, m.n);
        else for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
            y[i] = a.data[a.off + m.a(i, j)] / b.data[b.off + m.b(i, j)];
        Var out = result(y, m.shape, a, b);
        return record("div", out, () -> {
            float[] dy = out.grad;
            if (a.requiresGrad) {
                float[] g = a.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[a.goff + m.a(i, j)] += dy[i] / b.data[b.off + m.b(i, j)];
            }
            if (b.requiresGrad) {
                float[] g = b.g();
                for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++)
                    g[b.goff + m.b(i, j)] -= dy[i] * y[i] / b.data[b.off + m.b(i, j)];
            }
        });
    }

    /** y = max(a, b) elementwise (broadcasting). The gradient goes to a where a >= b, else to b. */
    public static Var maximum(Var a, Var b) {
        return minmax("maximum", a, b, true);
    }

    /** y = min(a, b) elementwise (broadcasting). The gradient goes to a where a <= b, else to b. */
    public static Var minimum(Var a, Var b) {
        return minmax("minimum", a, b, false);
    }

    private static Var minmax(String op, Var a, Var b, boolean max) {
        Bcast m = Bcast.of(op, a, b);
        float[] y = new float[m.n];
        boolean[] pickA = new boolean[m.n];
        for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++) {
            float av = a.data[a.off + m.a(i, j)], bv = b.data[b.off + m.b(i, j)];
            pickA[i] = max ? av >= bv : av <= bv;
            y[i] = pickA[i] ? av : bv;
        }
        Var out = result(y, m.shape, a, b);
        return record(op, out, () -> {
            float[] dy = out.grad;
            for (int r = 0, i = 0; r < m.rows; r++) for (int j = 0; j < m.cols; j++, i++) {
                if (pickA[i]) { if (a.requiresGrad) a.g()[a.goff + m.a(i, j)] += dy[i]; }
                else if (b.requiresGrad) b.g()[b.goff + m.b(i, j)] += dy[i];
            }
        });
    }

    // ---------------------------------------------------------------- unary, elementwise

    /** y = -x. dx -= dy. */
    public static Var neg(Var x) {
        float[] y = new float[x.size];
        Elementwise.neg(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("neg", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] -= dy[i];
        });
    }

    /** y = c * x for a constant c. dx += c * dy. */
    public static Var scale(Var x, float c) {
        float[] y = new float[x.size];
        Elementwise.scale(x.data, x.off, c, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("scale", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += c * dy[i];
        });
    }

    /** y = x + c for a constant c. dx += dy. */
    public static Var addScalar(Var x, float c) {
        float[] y = new float[x.size];
        Elementwise.addScalar(x.data, x.off, c, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("addScalar", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i];
        });
    }

    /** y = e^x. dx += dy * y. */
    public static Var exp(Var x) {
        float[] y = new float[x.size];
        Elementwise.exp(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("exp", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * y[i];
        });
    }

    /** y = ln x. dx += dy / x. */
    public static Var log(Var x) {
        float[] y = new float[x.size];
        Elementwise.log(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("log", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] / x.data[x.off + i];
        });
    }

    /** y = tanh x. dx += dy * (1 - y^2). */
    public static Var tanh(Var x) {
        float[] y = new float[x.size];
        Elementwise.tanh(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("tanh", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * (1f - y[i] * y[i]);
        });
    }

    /** y = 1 / (1 + e^-x). dx += dy * y (1 - y). */
    public static Var sigmoid(Var x) {
        float[] y = new float[x.size];
        Elementwise.sigmoid(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("sigmoid", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * y[i] * (1f - y[i]);
        });
    }

    static float sigmoid(float v) {
        // Both branches avoid exp overflow.
        return v >= 0 ? (float) (1 / (1 + Math.exp(-v))) : (float) (Math.exp(v) / (1 + Math.exp(v)));
    }

    /** y = max(x, 0). dx += dy where x > 0. */
    public static Var relu(Var x) {
        float[] y = new float[x.size];
        Elementwise.relu(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("relu", out, () -> Elementwise.reluBackward(x.data, x.off, out.grad, 0, x.g(), x.goff, x.size));
    }

    /** y = x if x > 0 else alpha (e^x - 1). dx += dy if x > 0 else dy (y + alpha). */
    public static Var elu(Var x, float alpha) {
        float[] y = new float[x.size];
        rowBlocks(x.size, 1, (i0, i1) -> Elementwise.elu(x.data, x.off + i0, alpha, y, i0, i1 - i0));   // conv maps: millions of floats
        Var out = result(y, x.shape.clone(), x);
        return record("elu", out, () -> {
            float[] g = x.g();
            rowBlocks(x.size, 1, (i0, i1) -> Elementwise.eluBackward(x.data, x.off + i0, y, i0, alpha, out.grad, i0, g, x.goff + i0, i1 - i0));
        });
    }

    /** y = ln(1 + e^x), computed as max(x,0) + ln(1 + e^-|x|). dx += dy * sigmoid(x). */
    public static Var softplus(Var x) {
        float[] y = new float[x.size];
        Elementwise.softplus(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("softplus", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * sigmoid(x.data[x.off + i]);
        });
    }

    /** y = x^2. dx += 2 x dy. */
    public static Var square(Var x) {
        float[] y = new float[x.size];
        Elementwise.square(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("square", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += 2f * x.data[x.off + i] * dy[i];
        });
    }

    /** y = sqrt x. dx += dy / (2 y). */
    public static Var sqrt(Var x) {
        float[] y = new float[x.size];
        Elementwise.sqrt(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("sqrt", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * 0.5f / y[i];
        });
    }

    /** y = x^p for a constant p. dx += dy * p x^(p-1). */
    public static Var pow(Var x, float p) {
        float[] y = new float[x.size];
        for (int i = 0; i < x.size; i++) y[i] = (float) Math.pow(x.data[x.off + i], p);
        Var out = result(y, x.shape.clone(), x);
        return record("pow", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * p * (float) Math.pow(x.data[x.off + i], p - 1);
        });
    }

    /** y = |x|. dx += dy * sign(x) (0 at 0). */
    public static Var abs(Var x) {
        float[] y = new float[x.size];
        Elementwise.abs(x.data, x.off, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("abs", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * Math.signum(x.data[x.off + i]);
        });
    }

    /**
     * y = sign(x) ln(1 + |x|), DreamerV3's symlog (Hafner et al. 2023, eq. 1): the identity near 0,
     * logarithmic for large |x|, so targets of any scale train one network. dx += dy / (1 + |x|).
     */
    public static Var symlog(Var x) {
        float[] y = new float[x.size];
        for (int i = 0; i < x.size; i++) {
            float v = x.data[x.off + i];
            y[i] = Math.copySign((float) Math.log1p(Math.abs(v)), v);
        }
        Var out = result(y, x.shape.clone(), x);
        return record("symlog", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] / (1f + Math.abs(x.data[x.off + i]));
        });
    }

    /** y = sign(x) (e^|x| - 1), the inverse of {@link #symlog}. dx += dy e^|x| = dy (1 + |y|). */
    public static Var symexp(Var x) {
        float[] y = new float[x.size];
        for (int i = 0; i < x.size; i++) {
            float v = x.data[x.off + i];
            y[i] = Math.copySign((float) Math.expm1(Math.abs(v)), v);
        }
        Var out = result(y, x.shape.clone(), x);
        return record("symexp", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i] * (1f + Math.abs(y[i]));
        });
    }

    /** y = min(max(x, lo), hi). dx += dy where lo <= x <= hi. */
    public static Var clamp(Var x, float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp: lo=" + lo + " > hi=" + hi);
        float[] y = new float[x.size];
        Elementwise.clamp(x.data, x.off, lo, hi, y, 0, x.size);
        Var out = result(y, x.shape.clone(), x);
        return record("clamp", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) {
                float v = x.data[x.off + i];
                if (v >= lo && v <= hi) g[x.goff + i] += dy[i];
            }
        });
    }

    /** y = x in value, but no gradient flows back to x (straight-through estimators, targets). */
    public static Var stopGradient(Var x) {
        return x.detachedView();
    }

    /** Runs {@code body} over rows [r0, r1) of an [m, n] array in blocks of about 16K floats, on the pool when large. */
    static void rowBlocks(int m, int n, Parallel.Range body) {
        int rows = Math.max(1, (1 << 14) / Math.max(n, 1)), blocks = (m + rows - 1) / rows;
        Parallel.forRange(blocks, blocks >= 4 ? Parallel.threads() : 1, (lo, hi) -> {
            for (int q = lo; q < hi; q++) body.run(q * rows, Math.min(m, (q + 1) * rows));
        });
    }
}
