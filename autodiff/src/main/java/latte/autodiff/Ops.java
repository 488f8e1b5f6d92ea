package latte.autodiff;

import java.util.Arrays;
import latte.core.Parallel;
import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Gemm;
import latte.core.kernels.Gru;
import latte.core.kernels.Reduce;

/**
 * The differentiable primitives. Each is one static method: the forward computes a fresh
 * contiguous output; when any input requires a gradient and a {@link Tape} is recording, a
 * backward closure is recorded that reads {@code dy} (the output's gradient) and
 * <b>accumulates</b> into the inputs' gradients. Everything else ({@link Composites}, layers,
 * distributions) is composed from these and needs no backward code.
 *
 * <p>Notation in the javadoc: {@code dy} is d loss / d y; {@code dx += ...} is the accumulation.
 * Binary elementwise ops broadcast like NumPy and sum the gradient back to each input's shape.
 */
public final class Ops {
    private Ops() {}

    // ---------------------------------------------------------------- recording helpers

    /** Whether an op with these inputs records: a tape is current and an input needs a gradient. */
    private static boolean needs(Var... in) {
        if (Tape.current() == null) return false;
        for (Var v : in) if (v.requiresGrad) return true;
        return false;
    }

    private static Var result(float[] data, int[] shape, Var... in) {
        return new Var(data, 0, shape, needs(in));
    }

    private static Var record(String op, Var y, Tape.Backward backward) {
        if (y.requiresGrad) Tape.current().add(op, y, backward);
        return y;
    }

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

    /**
     * y = sum_i (a_i - b_i)^2, a scalar, for a and b of one shape. da += 2 (a - b) dy,
     * db -= 2 (a - b) dy. The fusion of sum(square(sub(a, b))): one [n] buffer instead of five
     * (a reconstruction loss over a batch of frames is millions of elements).
     */
    public static Var sumSquaredError(Var a, Var b) {
        if (!Arrays.equals(a.shape, b.shape))
            throw new IllegalArgumentException("sumSquaredError: shapes " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape) + " differ (no broadcasting here)");
        float[] d = new float[a.size];
        Elementwise.sub(a.data, a.off, b.data, b.off, d, 0, a.size);
        Var out = result(new float[] {Reduce.sumSquares(d, 0, a.size)}, new int[0], a, b);
        return record("sumSquaredError", out, () -> {
            float s = 2f * out.grad[0];
            if (a.requiresGrad) Elementwise.axpy(s, d, 0, a.g(), a.goff, a.size);
            if (b.requiresGrad) Elementwise.axpy(-s, d, 0, b.g(), b.goff, b.size);
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

    // ---------------------------------------------------------------- reductions

    /** y = sum of x over {@code axes} (all when empty), dropping them. dx += dy broadcast back. */
    public static Var sum(Var x, int... axes) {
        return sum(x, false, axes);
    }

    /** y = sum of x over {@code axes} (all when empty); kept as size-1 dims when {@code keepDims}. */
    public static Var sum(Var x, boolean keepDims, int... axes) {
        return reduce("sum", x, keepDims, 1f, axes);
    }

    /** y = mean of x over {@code axes} (all when empty). dx += dy / n broadcast back. */
    public static Var mean(Var x, int... axes) {
        return mean(x, false, axes);
    }

    /** Mean over {@code axes}, keeping them as size-1 dims when {@code keepDims}. */
    public static Var mean(Var x, boolean keepDims, int... axes) {
        int n = Shapes.size(Shapes.reduced("mean", x.shape, axes));
        return reduce("mean", x, keepDims, x.size == 0 ? 0f : (float) ((double) n / x.size), axes);
    }

    private static Var reduce(String op, Var x, boolean keepDims, float scale, int[] axes) {
        int[] keep = Shapes.reduced(op, x.shape, axes);
        int[] outShape = keepDims ? keep : Shapes.squeeze(x.shape, keep, axes);
        int lo = 0, hi = x.rank(); // reduced axes as one block [lo, hi) if they are contiguous
        while (lo < x.rank() && keep[lo] == x.shape[lo] && x.shape[lo] != 1) lo++;
        while (hi > lo && keep[hi - 1] == x.shape[hi - 1] && x.shape[hi - 1] != 1) hi--;
        boolean block = true;
        for (int d = lo; d < hi; d++) if (keep[d] != 1) block = false;
        if (!block) return reduceMapped(op, x, keep, outShape, scale);
        // x viewed as [outer, n, inner], reduced over n: no index map, rows in order
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, lo)), inner = Shapes.size(Arrays.copyOfRange(x.shape, hi, x.rank()));
        int n = Shapes.size(Arrays.copyOfRange(x.shape, lo, hi));
        double[] acc = new double[outer * inner]; // double: long reductions stay accurate
        if (inner == 1) // reducing trailing axes: each output is one contiguous run
            for (int o = 0; o < outer; o++) {
                double t = 0;
                for (int k = 0, src = x.off + o * n; k < n; k++) t += x.data[src + k];
                acc[o] = t;
            }
        else
            for (int o = 0; o < outer; o++)
                for (int k = 0; k < n; k++) {
                    int src = x.off + (o * n + k) * inner, dst = o * inner;
                    for (int i = 0; i < inner; i++) acc[dst + i] += x.data[src + i];
                }
        float[] y = new float[acc.length];
        for (int j = 0; j < y.length; j++) y[j] = (float) (acc[j] * scale);
        Var out = result(y, outShape, x);
        return record(op, out, () -> {
            float[] g = x.g(), dy = out.grad;
            if (inner == 1)
                for (int o = 0; o < outer; o++) {
                    float v = dy[o] * scale;
                    for (int k = 0, dst = x.goff + o * n; k < n; k++) g[dst + k] += v;
                }
            else
                for (int o = 0; o < outer; o++)
                    for (int k = 0; k < n; k++) {
                        int dst = x.goff + (o * n + k) * inner, src = o * inner;
                        for (int i = 0; i < inner; i++) g[dst + i] += dy[src + i] * scale;
                    }
        });
    }

    /** Reduction over non-contiguous axes through an index map (dy broadcast back the same way). */
    private static Var reduceMapped(String op, Var x, int[] keep, int[] outShape, float scale) {
        int[] map = Shapes.broadcastIndex(keep, x.shape);
        double[] acc = new double[Shapes.size(keep)];
        for (int i = 0; i < x.size; i++) acc[map[i]] += x.data[x.off + i];
        float[] y = new float[acc.length];
        for (int j = 0; j < y.length; j++) y[j] = (float) (acc[j] * scale);
        Var out = result(y, outShape, x);
        return record(op, out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[map[i]] * scale;
        });
    }

    /**
     * y = ln sum_axis e^x = m + ln sum e^(x - m) with m the max (stable). [.., n, ..] -> [.., ..]
     * (or [.., 1, ..] when {@code keepDims}). dx += dy * e^(x - y) (the softmax).
     */
    public static Var logsumexp(Var x, int axis, boolean keepDims) {
        int ax = Shapes.axis("logsumexp", axis, x.rank());
        int[] keep = Shapes.reduced("logsumexp", x.shape, ax);
        int[] map = Shapes.broadcastIndex(keep, x.shape);
        float[] m = new float[Shapes.size(keep)];
        Arrays.fill(m, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < x.size; i++) m[map[i]] = Math.max(m[map[i]], x.data[x.off + i]);
        double[] s = new double[m.length];
        for (int i = 0; i < x.size; i++) s[map[i]] += Math.exp(x.data[x.off + i] - m[map[i]]);
        float[] y = new float[m.length];
        for (int j = 0; j < y.length; j++) y[j] = m[j] + (float) Math.log(s[j]);
        Var out = result(y, keepDims ? keep : Shapes.squeeze(x.shape, keep, ax), x);
        return record("logsumexp", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[map[i]] * (float) Math.exp(x.data[x.off + i] - y[map[i]]);
        });
    }

    // ---------------------------------------------------------------- shape ops

    /** Same elements, new shape (one dim may be -1). Shares the value array. dx += dy. */
    public static Var reshape(Var x, int... shape) {
        int[] s = shape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(shape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0 && known > 0 && x.size % known == 0) s[infer] = x.size / known;
        if (infer >= 0 && s[infer] == -1 || Shapes.size(s) != x.size)
            throw new IllegalArgumentException("reshape: cannot view " + Shapes.str(x.shape) + " (" + x.size + " elements) as " + Shapes.str(shape));
        Var out = new Var(x.data, x.off, s, needs(x));
        return record("reshape", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + i] += dy[i];
        });
    }

    /** y[i_perm[0], ..] = x[i_0, ..]: out.shape[k] = x.shape[perm[k]]. dx += dy permuted back. */
    public static Var permute(Var x, int... perm) {
        if (perm.length != x.rank()) throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " for shape " + Shapes.str(x.shape));
        int[] xs = Shapes.strides(x.shape), s = new int[perm.length], st = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        for (int k = 0; k < perm.length; k++) {
            int p = perm[k];
            if (p < 0 || p >= perm.length || seen[p])
                throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation of " + perm.length + " axes");
            seen[p] = true;
            s[k] = x.shape[p];
            st[k] = xs[p];
        }
        int[] map = Shapes.stridedIndex(s, st);
        float[] y = new float[x.size];
        for (int i = 0; i < x.size; i++) y[i] = x.data[x.off + map[i]];
        Var out = result(y, s, x);
        return record("permute", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < x.size; i++) g[x.goff + map[i]] += dy[i];
        });
    }

    /** y = x[.., start:end, ..] along {@code axis}. dx[.., start:end, ..] += dy. */
    public static Var slice(Var x, int axis, int start, int end) {
        int ax = Shapes.axis("slice", axis, x.rank());
        int n = x.shape[ax];
        if (start < 0 || end > n || start > end)
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") out of range for axis " + axis + " of " + Shapes.str(x.shape));
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(x.shape, ax + 1, x.rank()));
        int len = (end - start) * inner;
        int[] s = x.shape.clone();
        s[ax] = end - start;
        float[] y = new float[outer * len];
        for (int o = 0; o < outer; o++) System.arraycopy(x.data, x.off + (o * n + start) * inner, y, o * len, len);
        Var out = result(y, s, x);
        return record("slice", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int o = 0; o < outer; o++) {
                int base = x.goff + (o * n + start) * inner;
                for (int j = 0; j < len; j++) g[base + j] += dy[o * len + j];
            }
        });
    }

    /** y = [x_0, x_1, ..] joined along {@code axis}; other dims must agree. dx_k += its block of dy. */
    public static Var concat(int axis, Var... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no inputs");
        int r = xs[0].rank();
        int ax = Shapes.axis("concat", axis, r);
        int[] s = xs[0].shape.clone();
        s[ax] = 0;
        for (Var v : xs) {
            for (int d = 0; d < r; d++)
                if (v.rank() != r || d != ax && v.shape[d] != xs[0].shape[d])
                    throw new IllegalArgumentException("concat: shapes " + Shapes.str(xs[0].shape) + " and " + Shapes.str(v.shape) + " differ outside axis " + axis);
            s[ax] += v.shape[ax];
        }
        int outer = Shapes.size(Arrays.copyOfRange(s, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(s, ax + 1, r));
        int row = s[ax] * inner;
        float[] y = new float[outer * row];
        int[] at = new int[xs.length];
        for (int k = 0, pos = 0; k < xs.length; k++) {
            at[k] = pos;
            int len = xs[k].shape[ax] * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(xs[k].data, xs[k].off + o * len, y, o * row + pos, len);
            pos += len;
        }
        Var out = result(y, s, xs);
        return record("concat", out, () -> {
            float[] dy = out.grad;
            for (int k = 0; k < xs.length; k++) {
                Var v = xs[k];
                if (!v.requiresGrad) continue;
                int len = v.shape[ax] * inner;
                float[] g = v.g();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < len; j++) g[v.goff + o * len + j] += dy[o * row + at[k] + j];
            }
        });
    }

    /** y = x broadcast to {@code shape} (copied). dx += dy summed over the broadcast dims. */
    public static Var expand(Var x, int... shape) {
        int[] s = Shapes.broadcast("expand", x.shape, shape);
        if (!Arrays.equals(s, shape))
            throw new IllegalArgumentException("expand: " + Shapes.str(x.shape) + " cannot expand to " + Shapes.str(shape));
        int[] map = Shapes.broadcastIndex(x.shape, s);
        float[] y = new float[map.length];
        for (int i = 0; i < y.length; i++) y[i] = x.data[x.off + map[i]];
        Var out = result(y, s, x);
        return record("expand", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int i = 0; i < y.length; i++) g[x.goff + map[i]] += dy[i];
        });
    }

    /**
     * y = x[.., idx[j], ..] along {@code axis} (index_select / embedding lookup):
     * [.., n, ..] -> [.., idx.length, ..]. dx[.., idx[j], ..] += dy[.., j, ..] (repeats add up).
     */
    public static Var take(Var x, int axis, int... idx) {
        int ax = Shapes.axis("take", axis, x.rank());
        int n = x.shape[ax], k = idx.length;
        for (int j : idx) if (j < 0 || j >= n)
            throw new IllegalArgumentException("take: index " + j + " out of range [0, " + n + ") on axis " + axis + " of " + Shapes.str(x.shape));
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(x.shape, ax + 1, x.rank()));
        int[] s = x.shape.clone();
        s[ax] = k;
        float[] y = new float[outer * k * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++) System.arraycopy(x.data, x.off + (o * n + idx[j]) * inner, y, (o * k + j) * inner, inner);
        Var out = result(y, s, x);
        return record("take", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < k; j++)
                    for (int i = 0; i < inner; i++) g[x.goff + (o * n + idx[j]) * inner + i] += dy[(o * k + j) * inner + i];
        });
    }

    /**
     * y[o, j, i] = x[o, index[o, j, i], i] along {@code axis} (torch.gather); {@code index} has
     * x's shape with the axis dim replaced by k = index.length / (outer * inner), e.g. picking the
     * log-probability of the taken action per row. dx[o, index[o,j,i], i] += dy[o, j, i].
     */
    public static Var gather(Var x, int axis, int[] index) {
        int ax = Shapes.axis("gather", axis, x.rank());
        int n = x.shape[ax];
        int outer = Shapes.size(Arrays.copyOfRange(x.shape, 0, ax)), inner = Shapes.size(Arrays.copyOfRange(x.shape, ax + 1, x.rank()));
        if (outer * inner == 0 || index.length % (outer * inner) != 0)
            throw new IllegalArgumentException("gather: " + index.length + " indices do not fit " + Shapes.str(x.shape) + " along axis " + axis);
        int k = index.length / (outer * inner);
        int[] s = x.shape.clone();
        s[ax] = k;
        float[] y = new float[index.length];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++) {
                    int p = (o * k + j) * inner + i, src = index[p];
                    if (src < 0 || src >= n)
                        throw new IllegalArgumentException("gather: index " + src + " out of range [0, " + n + ") on axis " + axis + " of " + Shapes.str(x.shape));
                    y[p] = x.data[x.off + (o * n + src) * inner + i];
                }
        Var out = result(y, s, x);
        return record("gather", out, () -> {
            float[] g = x.g(), dy = out.grad;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < k; j++)
                    for (int i = 0; i < inner; i++) {
                        int p = (o * k + j) * inner + i;
                        g[x.goff + (o * n + index[p]) * inner + i] += dy[p];
                    }
        });
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * A dense layer with its activation fused: y = f(x W + b) for x [.., In], w [In, Out], b [Out]
     * or null -> [.., Out]. One GEMM, then b and f in place on its output, one block of rows at a
     * time (one pass over y for both). f is differentiated from y alone ({@link FusedActivation}), so the
     * layer keeps the one array y:
     * <pre>  dz = dy f'(y);  dx += dz W^T;  dW += x^T dz;  db += sum over rows of dz.</pre>
     * dz overwrites y's gradient, which the tape releases after this step anyway.
     */
    public static Var linear(Var x, Var w, Var b, FusedActivation f) {
        checkLinear("linear", x, w, b);
        int k = w.dim(0), n = w.dim(1), m = x.size / k;
        float[] y = new float[m * n];
        Gemm.sgemm(false, false, m, n, k, 1f, x.data, x.off, k, w.data, w.off, n, 0f, y, 0, n);
        rowBlocks(m, n, (r0, r1) -> {
            if (b != null) Elementwise.addRow(b.data, b.off, y, r0 * n, r1 - r0, n);
            f.apply(y, r0 * n, (r1 - r0) * n);
        });
        return recordLinear(x, w, b, f, y, 0);
    }

    /**
     * {@link #linear} with its forward already done: {@code given} is an earlier result
     * f(x' W + b) whose first rows were computed from the rows of x (same values, same W and b),
     * for instance a pass under frozen parameters whose activations a second loss reuses. Only the
     * backward is recorded; the result shares {@code given}'s array.
     */
    public static Var linearFrom(Var x, Var w, Var b, FusedActivation f, Var given) {
        checkLinear("linearFrom", x, w, b);
        int k = w.dim(0), n = w.dim(1), m = x.size / k;
        if (given.dim(-1) != n || given.size < m * n)
            throw new IllegalArgumentException("linearFrom: given " + Shapes.str(given.shape) + " has fewer than " + m
                    + " rows of " + n + " (x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ")");
        return recordLinear(x, w, b, f, given.data, given.off);
    }

    private static void checkLinear(String op, Var x, Var w, Var b) {
        if (x.rank() < 1 || w.rank() != 2 || x.dim(-1) != w.dim(0) || b != null && (b.rank() != 1 || b.dim(0) != w.dim(1)))
            throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ", b "
                    + (b == null ? "none" : Shapes.str(b.shape)) + ": expected x [.., In], w [In, Out], b [Out]");
    }

    /** The result y (rows at yOff of an array) of a fused dense layer and its backward. */
    private static Var recordLinear(Var x, Var w, Var b, FusedActivation f, float[] y, int yOff) {
        int k = w.dim(0), n = w.dim(1), m = x.size / k;
        int[] s = x.shape.clone();
        s[s.length - 1] = n;
        Var out = b == null ? new Var(y, yOff, s, needs(x, w)) : new Var(y, yOff, s, needs(x, w, b));
        return record("linear", out, () -> {
            float[] dz = out.grad;
            rowBlocks(m, n, (r0, r1) -> f.chain(y, yOff + r0 * n, dz, r0 * n, (r1 - r0) * n));
            if (b != null && b.requiresGrad) Reduce.sumRows(dz, 0, m, n, b.g(), b.goff, true);
            if (x.requiresGrad) Gemm.sgemm(false, true, m, k, n, 1f, dz, 0, n, w.data, w.off, n, 1f, x.g(), x.goff, k);
            if (w.requiresGrad) Gemm.sgemm(true, false, k, n, m, 1f, x.data, x.off, k, dz, 0, n, 1f, w.g(), w.goff, n);
        });
    }

    /** Runs {@code body} over rows [r0, r1) of an [m, n] array in blocks of about 16K floats, on the pool when large. */
    private static void rowBlocks(int m, int n, Parallel.Range body) {
        int rows = Math.max(1, (1 << 14) / Math.max(n, 1)), blocks = (m + rows - 1) / rows;
        Parallel.forRange(blocks, blocks >= 4 ? Parallel.threads() : 1, (lo, hi) -> {
            for (int q = lo; q < hi; q++) body.run(q * rows, Math.min(m, (q + 1) * rows));
        });
    }

    /**
     * Batched matrix product y = a b: [.., M, K] x [.., K, N] -> [.., M, N], batch dims
     * broadcast. A rank-2 b is shared by all rows of a (folded into one GEMM: [R, K] x [K, N]).
     * da += dy b^T, db += a^T dy (summed over broadcast batches).
     */
    public static Var matmul(Var a, Var b) {
        if (a.rank() < 1 || b.rank() < 2)
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape) + ": need a of rank >= 1 and b of rank >= 2");
        int k = a.dim(-1), kb = b.dim(-2), n = b.dim(-1);
        if (k != kb) throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape) + ": inner dims " + k + " != " + kb);
        int[] s, ia, ib;
        int m, batches;
        if (b.rank() == 2) { // fold a's leading dims into the rows
            m = Shapes.size(Arrays.copyOf(a.shape, a.rank() - 1));
            batches = 1;
            s = a.shape.clone();
            s[s.length - 1] = n;
            ia = ib = new int[] {0};
        } else {
            if (a.rank() < 2) throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape) + ": batched b needs a of rank >= 2");
            m = a.dim(-2);
            int[] ba = Arrays.copyOf(a.shape, a.rank() - 2), bb = Arrays.copyOf(b.shape, b.rank() - 2);
            int[] bs = Shapes.broadcast("matmul", ba, bb);
            ia = Shapes.broadcastIndex(ba, bs);
            ib = Shapes.broadcastIndex(bb, bs);
            batches = ia.length;
            s = Arrays.copyOf(bs, bs.length + 2);
            s[bs.length] = m;
            s[bs.length + 1] = n;
        }
        final int M = m, B = batches;
        float[] y = new float[B * M * n];
        for (int t = 0; t < B; t++)
            Gemm.sgemm(false, false, M, n, k, 1f, a.data, a.off + ia[t] * M * k, k, b.data, b.off + ib[t] * k * n, n, 0f, y, t * M * n, n);
        Var out = result(y, s, a, b);
        return record("matmul", out, () -> {
            float[] dy = out.grad;
            for (int t = 0; t < B; t++) {
                if (a.requiresGrad)
                    Gemm.sgemm(false, true, M, k, n, 1f, dy, t * M * n, n, b.data, b.off + ib[t] * k * n, n, 1f, a.g(), a.goff + ia[t] * M * k, k);
                if (b.requiresGrad)
                    Gemm.sgemm(true, false, k, n, M, 1f, a.data, a.off + ia[t] * M * k, k, dy, t * M * n, n, 1f, b.g(), b.goff + ib[t] * k * n, n);
            }
        });
    }

    // ---------------------------------------------------------------- convolutions (NHWC)

    /**
     * 2-D convolution (cross-correlation) over NHWC activations with HWIO weights, via the
     * im2col + GEMM kernels of {@link Conv2d}:
     * x [N, H, W, Cin], w [KH, KW, Cin, Cout], b [Cout] or null -> y [N, OH, OW, Cout] with
     * OH = (H + 2 padH - KH) / strideH + 1 and
     * y[n,oy,ox,co] = b[co] + sum_{ky,kx,ci} x[n, oy sh - ph + ky, ox sw - pw + kx, ci] w[ky,kx,ci,co].
     * dx += col2im(dy W^T), dw += col^T dy, db += sum_{n,oy,ox} dy.
     */
    public static Var conv2d(Var x, Var w, Var b, int strideH, int strideW, int padH, int padW) {
        if (x.rank() != 4 || w.rank() != 4 || w.shape[2] != x.shape[3] || b != null && (b.rank() != 1 || b.shape[0] != w.shape[3]))
            throw new IllegalArgumentException("conv2d: x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ", b "
                    + (b == null ? "none" : Shapes.str(b.shape)) + ": expected x [N,H,W,Cin], w [KH,KW,Cin,Cout], b [Cout]");
        ConvGeometry g = ConvGeometry.conv(x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[3], w.shape[0], w.shape[1], strideH, strideW, padH, padW);
        float[] y = new float[g.outSize()];
        Conv2d.forward(g, x.data, x.off, w.data, w.off, b == null ? null : b.data, b == null ? 0 : b.off, y, 0);
        Var out = b == null ? result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w)
                : result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w, b);
        return record("conv2d", out, () -> {
            if (x.requiresGrad) Conv2d.backwardInput(g, out.grad, 0, w.data, w.off, x.g(), x.goff, true);
            if (w.requiresGrad) Conv2d.backwardWeight(g, x.data, x.off, out.grad, 0, w.g(), w.goff, true);
            if (b != null && b.requiresGrad) Conv2d.backwardBias(g, out.grad, 0, b.g(), b.goff, true);
        });
    }

    /** {@link #conv2d(Var, Var, Var, int, int, int, int)} with square stride and padding. */
    public static Var conv2d(Var x, Var w, Var b, int stride, int pad) {
        return conv2d(x, w, b, stride, stride, pad, pad);
    }

    /**
     * 2-D transposed convolution, the adjoint of conv2d (the decoder's upsampling), via
     * {@link ConvTranspose2d}: x [N, H, W, Cin], w [KH, KW, Cout, Cin], b [Cout] or null ->
     * y [N, OH, OW, Cout] with OH = (H - 1) strideH - 2 padH + KH + outPadH and
     * y[n, iy sh - ph + ky, ix sw - pw + kx, co] += sum_ci x[n,iy,ix,ci] w[ky,kx,co,ci] (+ b[co]).
     * dx += im2col(dy) W, dw += im2col(dy)^T x, db += sum_{n,oy,ox} dy.
     */
    public static Var convTranspose2d(Var x, Var w, Var b, int strideH, int strideW, int padH, int padW, int outPadH, int outPadW) {
        if (x.rank() != 4 || w.rank() != 4 || w.shape[3] != x.shape[3] || b != null && (b.rank() != 1 || b.shape[0] != w.shape[2]))
            throw new IllegalArgumentException("convTranspose2d: x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ", b "
                    + (b == null ? "none" : Shapes.str(b.shape)) + ": expected x [N,H,W,Cin], w [KH,KW,Cout,Cin], b [Cout]");
        ConvGeometry g = ConvGeometry.convTranspose(x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[2], w.shape[0], w.shape[1],
                strideH, strideW, padH, padW, outPadH, outPadW);
        float[] y = new float[g.outSize()];
        ConvTranspose2d.forward(g, x.data, x.off, w.data, w.off, b == null ? null : b.data, b == null ? 0 : b.off, y, 0);
        Var out = b == null ? result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w)
                : result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w, b);
        return record("convTranspose2d", out, () -> {
            if (x.requiresGrad) ConvTranspose2d.backwardInput(g, out.grad, 0, w.data, w.off, x.g(), x.goff, true);
            if (w.requiresGrad) ConvTranspose2d.backwardWeight(g, x.data, x.off, out.grad, 0, w.g(), w.goff, true);
            if (b != null && b.requiresGrad) ConvTranspose2d.backwardBias(g, out.grad, 0, b.g(), b.goff, true);
        });
    }

    /** {@link #convTranspose2d(Var, Var, Var, int, int, int, int, int, int)}, square, no padding. */
    public static Var convTranspose2d(Var x, Var w, Var b, int stride) {
        return convTranspose2d(x, w, b, stride, stride, 0, 0, 0, 0);
    }

    // ---------------------------------------------------------------- fused GRU cell

    /**
     * One GRU cell step fused into one kernel ({@link Gru}: two GEMMs and one vectorised gate
     * pass), PyTorch's GRUCell with weights as PyTorch stores them:
     * x [B, In], h [B, H], wi [3H, In], wh [3H, H], bi, bh [3H] or null -> h' [B, H], with
     * r = sigmoid(x wi_r^T + bi_r + h wh_r^T + bh_r), z likewise, n = tanh(x wi_n^T + bi_n + r (h wh_n^T + bh_n)),
     * h' = (1 - z) n + z h. The backward (in {@link Gru#backward}) accumulates dx, dh, dwi, dwh, dbi, dbh
     * from the saved gates [r, z, n, hn]. {@link Composites#gruCell} is the composed reference.
     */
    public static Var gruCell(Var x, Var h, Var wi, Var wh, Var bi, Var bh) {
        int bsz = x.rank() == 2 ? x.shape[0] : -1, in = x.dim(-1), hid = h.dim(-1);
        if (x.rank() != 2 || h.rank() != 2 || h.shape[0] != bsz || !Arrays.equals(wi.shape, new int[] {3 * hid, in})
                || !Arrays.equals(wh.shape, new int[] {3 * hid, hid}) || bi != null && bi.size != 3 * hid || bh != null && bh.size != 3 * hid)
            throw new IllegalArgumentException("gruCell: x " + Shapes.str(x.shape) + ", h " + Shapes.str(h.shape) + ", wi " + Shapes.str(wi.shape)
                    + ", wh " + Shapes.str(wh.shape) + ": expected x [B, In], h [B, H], wi [3H, In], wh [3H, H], biases [3H]");
        Var[] in6 = bi == null ? (bh == null ? new Var[] {x, h, wi, wh} : new Var[] {x, h, wi, wh, bh})
                : bh == null ? new Var[] {x, h, wi, wh, bi} : new Var[] {x, h, wi, wh, bi, bh};
        boolean rec = needs(in6);
        float[] y = new float[bsz * hid];
        float[] saved = rec ? new float[Gru.savedSize(bsz, hid)] : null;
        Gru.forward(bsz, in, hid, x.data, x.off, h.data, h.off, wi.data, wi.off, wh.data, wh.off,
                bi == null ? null : bi.data, bi == null ? 0 : bi.off, bh == null ? null : bh.data, bh == null ? 0 : bh.off, y, 0, saved, 0);
        Var out = new Var(y, 0, new int[] {bsz, hid}, rec);
        return record("gruCell", out, () -> Gru.backward(bsz, in, hid, x.data, x.off, h.data, h.off, wi.data, wi.off, wh.data, wh.off,
                saved, 0, out.grad, 0,
                x.requiresGrad ? x.g() : null, x.goff, h.requiresGrad ? h.g() : null, h.goff,
                wi.requiresGrad ? wi.g() : null, wi.goff, wh.requiresGrad ? wh.g() : null, wh.goff,
                bi != null && bi.requiresGrad ? bi.g() : null, bi == null ? 0 : bi.goff,
                bh != null && bh.requiresGrad ? bh.g() : null, bh == null ? 0 : bh.goff, true));
    }
}
