package latte.models.worldmodels;

import java.util.Arrays;
import latte.envs.Space;

/**
 * World Models' controller C (Ha and Schmidhuber 2018, section 2.3): a single linear layer from
 * the features [z_t, h_t] (or z_t alone, the paper's "z only" ablation) to the action,
 * deliberately tiny so that CMA-ES can search its parameters directly.
 * <pre>
 *   u = W [z, h] + b                     W [A, z + h], b [A]: (32 + 256) · 3 + 3 = 867 for CarRacing
 *   u = W2 tanh(W1 [z, h] + b1) + b2     with a hidden layer of U units (the paper's "z + hidden layer" C)
 *   a = low + (tanh(u) + 1) / 2 · (high − low)        a box action space: each u squashed into its range
 *   a = argmax_j u_j                                   a discrete space: one output per action (first on ties)
 * </pre>
 * The parameters are one flat array, W row-major then b (W1, b1, W2, b2 with a hidden layer): exactly the vector {@link
 * latte.models.evolve.CmaEs} optimises. (The paper's CarRacing code maps steering by tanh,
 * gas by (tanh + 1) / 2 and brake by clip(tanh, 0, 1); the generic box map here gives brake
 * (tanh + 1) / 2 instead.)
 */
public final class Controller {
    /**
     * Sizes of C.
     *
     * @param latent  z
     * @param hidden  h fed to C (0: the z-only controller)
     * @param outputs A for a box, n for a discrete space of n actions
     * @param units   tanh units of a hidden layer (0: the paper's linear C)
     */
    public record Size(int latent, int hidden, int outputs, int units) {
        public Size {
            if (latent < 1 || hidden < 0 || outputs < 1 || units < 0)
                throw new IllegalArgumentException("Controller.Size: latent " + latent + " (>= 1), hidden " + hidden + " (>= 0), outputs "
                        + outputs + " (>= 1), units " + units + " (>= 0)");
        }

        /** The linear C. */
        public Size(int latent, int hidden, int outputs) {
            this(latent, hidden, outputs, 0);
        }

        /** The paper's CarRacing C on [z, h]: 32 + 256 inputs, 3 actions (867 parameters). */
        public static Size paper() {
            return new Size(32, 256, 3);
        }

        /** Features read per step: z + h. */
        public int inputs() {
            return latent + hidden;
        }

        /** W and b: (z + h) · outputs + outputs; with U units (z + h) · U + U + U · outputs + outputs. */
        public int parameterCount() {
            return units == 0 ? inputs() * outputs + outputs : inputs() * units + units + units * outputs + outputs;
        }
    }

    private final Size size;
    private final Space actions;
    private final float[] params;

    /** C over {@code actions} (a box of {@code size.outputs()} values, or a discrete space of that many actions) with {@code params}. */
    public Controller(Size size, Space actions, float[] params) {
        if (actions instanceof Space.Discrete d ? d.n() != size.outputs() : actions.size() != size.outputs())
            throw new IllegalArgumentException("Controller: " + size.outputs() + " outputs for actions " + actions
                    + ", expected as many outputs as box dimensions or discrete actions");
        if (actions instanceof Space.Box b)
            for (int i = 0; i < b.size(); i++)
                if (!Float.isFinite(b.low()[i]) || !Float.isFinite(b.high()[i]))
                    throw new IllegalArgumentException("Controller: action bound " + i + " is [" + b.low()[i] + ", " + b.high()[i]
                            + "], expected a bounded box (tanh is squashed into it)");
        if (params.length != size.parameterCount())
            throw new IllegalArgumentException("Controller: " + params.length + " parameters, expected " + size.parameterCount()
                    + " for " + size);
        this.size = size;
        this.actions = actions;
        this.params = params.clone();
    }

    /** C from a CMA-ES candidate (doubles rounded to floats). */
    public static Controller of(Size size, Space actions, double[] candidate) {
        float[] p = new float[candidate.length];
        for (int i = 0; i < p.length; i++) p[i] = (float) candidate[i];
        return new Controller(size, actions, p);
    }

    public Size size() {
        return size;
    }

    /** A copy of the flat parameters (W row-major, then b). */
    public float[] params() {
        return params.clone();
    }

    /** The action for features [z, h] (or z when {@code hidden == 0}): a box action, or {@code {index}} for a discrete space. */
    public float[] act(float[] features) {
        int in = size.inputs(), out = size.outputs();
        if (features.length != in)
            throw new IllegalArgumentException("Controller.act: " + features.length + " features, expected " + in + " = z "
                    + size.latent() + " + h " + size.hidden());
        float[] x = features;
        int offset = 0;
        if (size.units() > 0) {                                                  // tanh(W1 x + b1)
            x = tanh(dense(params, 0, features, in, size.units()));
            offset = in * size.units() + size.units();
            in = size.units();
        }
        float[] u = dense(params, offset, x, in, out);
        if (actions instanceof Space.Box b) {
            for (int j = 0; j < out; j++) {
                float a = (float) (b.low()[j] + (Math.tanh(u[j]) + 1) * 0.5 * (b.high()[j] - b.low()[j]));
                u[j] = Math.min(b.high()[j], Math.max(b.low()[j], a));     // rounding must not leave the box
            }
            return u;
        }
        int best = 0;
        for (int j = 1; j < out; j++) if (u[j] > u[best]) best = j;
        return new float[] {best};
    }

    /** W x + b for W [out, in] row-major at {@code offset}, then b [out]. */
    private static float[] dense(float[] p, int offset, float[] x, int in, int out) {
        float[] u = new float[out];
        for (int j = 0; j < out; j++) {
            double s = p[offset + in * out + j];
            for (int i = 0; i < in; i++) s += (double) p[offset + j * in + i] * x[i];
            u[j] = (float) s;
        }
        return u;
    }

    private static float[] tanh(float[] x) {
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.tanh(x[i]);
        return x;
    }

    /** The action for z and h given apart (h ignored by a z-only controller but must then be empty). */
    public float[] act(float[] z, float[] h) {
        float[] f = Arrays.copyOf(z, z.length + h.length);
        System.arraycopy(h, 0, f, z.length, h.length);
        return act(f);
    }
}
