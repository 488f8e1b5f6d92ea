package latte.autodiff;

import java.util.Arrays;
import java.util.function.Function;
import latte.core.Rng;

/**
 * Checks the recorded backward of a function against finite differences.
 *
 * <p>A non-scalar output is first projected to a scalar {@code L(x) = sum_i w_i f(x)_i} with fixed
 * random weights {@code w}; the analytic gradient is then the vector-Jacobian product obtained by
 * {@code tape.backward(f(x), w)}. The numeric side is evaluated in float (the ops are float) and
 * reduced in double; the step actually taken is measured after float rounding, which removes
 * most of the float error of {@code (x + eps) - (x - eps)}.
 * <ul>
 *   <li>{@link #elementwise}: central differences {@code (L(x + h e_i) - L(x - h e_i)) / 2h} for
 *       every element of every input; for small inputs.</li>
 *   <li>{@link #projected}: for large inputs, jax {@code check_vjp} style: random directions
 *       unit directions {@code v} over all inputs at once, comparing {@code <grad L, v>} with the directional
 *       difference {@code (L(x + h v) - L(x - h v)) / 2h}.</li>
 * </ul>
 * Inputs must require gradients (e.g. {@link Var#leaf}); their values are perturbed in place and
 * restored exactly. A mismatch throws {@link AssertionError} naming the input and element.
 */
public final class GradCheck {
    /** Step and tolerances: pass when {@code |a - n| <= atol + rtol * max(|a|, |n|)}. */
    public record Options(double eps, double rtol, double atol, long seed) {
        /** Float-friendly defaults: a step of 1e-2, 1% relative and 1e-3 absolute tolerance. */
        public static Options defaults() {
            return new Options(1e-2, 1e-2, 1e-3, 42);
        }

        public Options withEps(double e) {
            return new Options(e, rtol, atol, seed);
        }

        public Options withTolerance(double r, double a) {
            return new Options(eps, r, a, seed);
        }
    }

    private GradCheck() {}

    /** Element-by-element check with {@link Options#defaults()}. */
    public static void elementwise(String name, Function<Var[], Var> f, Var... inputs) {
        elementwise(name, Options.defaults(), f, inputs);
    }

    /** Element-by-element central-difference check. */
    public static void elementwise(String name, Options o, Function<Var[], Var> f, Var... inputs) {
        float[] w = projection(f, inputs, o.seed);
        float[][] analytic = analytic(f, w, inputs);
        for (int k = 0; k < inputs.length; k++) {
            Var x = inputs[k];
            for (int i = 0; i < x.size; i++) {
                int p = x.off + i;
                float orig = x.data[p];
                float up = (float) (orig + o.eps), dn = (float) (orig - o.eps);
                x.data[p] = up;
                double lp = loss(f, w, inputs);
                x.data[p] = dn;
                double lm = loss(f, w, inputs);
                x.data[p] = orig;
                double numeric = (lp - lm) / ((double) up - (double) dn);
                double a = analytic[k][i];
                if (!close(a, numeric, o))
                    throw new AssertionError(name + ": d/d input " + k + Shapes.str(x.shape) + " element " + i
                            + " (value " + orig + "): analytic " + a + " vs numeric " + numeric);
            }
        }
    }

    /** Random-projection check with {@link Options#defaults()} and the given number of directions. */
    public static void projected(String name, int directions, Function<Var[], Var> f, Var... inputs) {
        projected(name, Options.defaults(), directions, f, inputs);
    }

    /** Random-projection (directional derivative) check over {@code directions} random directions. */
    public static void projected(String name, Options o, int directions, Function<Var[], Var> f, Var... inputs) {
        float[] w = projection(f, inputs, o.seed);
        float[][] analytic = analytic(f, w, inputs);
        Rng rnd = new Rng(o.seed + 1);
        for (int d = 0; d < directions; d++) {
            float[][] v = new float[inputs.length][];
            float[][] orig = new float[inputs.length][];
            double dot = 0, norm = 0;
            for (int k = 0; k < inputs.length; k++) {
                Var x = inputs[k];
                v[k] = new float[x.size];
                orig[k] = x.toArray();
                for (int i = 0; i < x.size; i++) {
                    v[k][i] = rnd.normal();
                    norm += (double) v[k][i] * v[k][i];
                }
            }
            // A unit direction keeps the step (and so the truncation error) independent of size.
            double inv = 1 / Math.sqrt(norm);
            for (int k = 0; k < inputs.length; k++)
                for (int i = 0; i < v[k].length; i++) {
                    v[k][i] = (float) (v[k][i] * inv);
                    dot += analytic[k][i] * v[k][i];
                }
            set(inputs, orig, v, o.eps);
            double lp = loss(f, w, inputs);
            set(inputs, orig, v, -o.eps);
            double lm = loss(f, w, inputs);
            set(inputs, orig, v, 0);
            double numeric = (lp - lm) / (2 * o.eps);
            if (!close(dot, numeric, o))
                throw new AssertionError(name + ": direction " + d + ": analytic <grad, v> " + dot + " vs numeric " + numeric);
        }
    }

    private static void set(Var[] inputs, float[][] orig, float[][] v, double step) {
        for (int k = 0; k < inputs.length; k++)
            for (int i = 0; i < inputs[k].size; i++)
                inputs[k].data[inputs[k].off + i] = step == 0 ? orig[k][i] : (float) (orig[k][i] + step * v[k][i]);
    }

    private static boolean close(double a, double n, Options o) {
        return Math.abs(a - n) <= o.atol + o.rtol * Math.max(Math.abs(a), Math.abs(n));
    }

    private static float[] projection(Function<Var[], Var> f, Var[] inputs, long seed) {
        for (int k = 0; k < inputs.length; k++)
            if (!inputs[k].requiresGrad)
                throw new IllegalArgumentException("GradCheck: input " + k + Shapes.str(inputs[k].shape) + " does not require a gradient (use Var.leaf)");
        int n;
        try (Tape.Scope s = Tape.noGrad()) {
            n = f.apply(inputs).size;
        }
        Rng rnd = new Rng(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = rnd.uniform(0.5f, 1.5f) * (rnd.bernoulli(0.5) ? 1 : -1);
        return w;
    }

    /** The vector-Jacobian product per input, as the change of each input's accumulated grad. */
    private static float[][] analytic(Function<Var[], Var> f, float[] w, Var[] inputs) {
        float[][] before = new float[inputs.length][];
        for (int k = 0; k < inputs.length; k++) before[k] = inputs[k].gradArray();
        try (Tape tape = Tape.record()) {
            Var out = f.apply(inputs);
            tape.backward(out, w);
        }
        float[][] g = new float[inputs.length][];
        for (int k = 0; k < inputs.length; k++) {
            g[k] = inputs[k].gradArray();
            for (int i = 0; i < g[k].length; i++) g[k][i] -= before[k][i];
        }
        return g;
    }

    private static double loss(Function<Var[], Var> f, float[] w, Var[] inputs) {
        try (Tape.Scope s = Tape.noGrad()) {
            Var out = f.apply(inputs);
            double l = 0;
            for (int i = 0; i < out.size; i++) l += (double) w[i] * out.data[out.off + i];
            return l;
        }
    }

    /** For messages. */
    static String str(float[] v) {
        return Arrays.toString(v);
    }
}
