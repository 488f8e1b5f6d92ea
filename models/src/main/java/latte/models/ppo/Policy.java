package latte.models.ppo;

import static latte.autodiff.Ops.exp;
import static latte.autodiff.ShapeOps.expand;
import static latte.autodiff.ShapeOps.reshape;

import latte.autodiff.ParamStore;
import latte.autodiff.Var;
import latte.autodiff.dist.Categorical;
import latte.autodiff.dist.DiagGaussian;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.Mlp;
import latte.core.Rng;

/**
 * PPO's policy pi_theta(a | s) and value function V_phi(s) on an observation vector: two
 * separate tanh MLPs (the paper's MuJoCo networks), one parameter store.
 * <pre>
 *   discrete A choices:  pi(. | s) = Categorical(logits = mlp_pi(s))                       [B, A]
 *   continuous A dims:   pi(. | s) = N(mu = mlp_pi(s), diag(exp(2 logStd)))                [B, A], logStd [A] state-independent
 *   value:               V(s) = mlp_V(s)                                                    [B]
 * </pre>
 * A discrete action is stored as its index (a float), a continuous one as the unclipped sample
 * (the environment clips it to the box; the log-probability is of the sample).
 */
public final class Policy {
    /**
     * Sizes.
     *
     * @param inputs   the observation vector's length (a MinAtar grid flattened: H W C)
     * @param actions  A: choices or dimensions
     * @param discrete whether the actions are choices
     */
    public record Size(int inputs, int actions, boolean discrete) {
        public Size {
            if (inputs < 1 || actions < 1) throw new IllegalArgumentException("Policy.Size: inputs " + inputs + ", actions " + actions + " (>= 1)");
        }
    }

    private final Size size;
    private final ParamStore store = new ParamStore();
    private final Mlp pi, value;
    private final Var logStd;                                                           // [A], continuous only

    public Policy(Size size, PpoConfig.Network net, Rng rng) {
        this.size = size;
        int[] hidden = new int[net.layers()];
        java.util.Arrays.fill(hidden, net.units());
        this.pi = new Mlp(store.scope("pi"), size.inputs(), hidden, size.actions(), Activation.TANH, rng);
        this.value = new Mlp(store.scope("value"), size.inputs(), hidden, 1, Activation.TANH, rng);
        this.logStd = size.discrete() ? null : store.root().constant("logStd", (float) net.logStd(), size.actions());
    }

    public Size size() { return size; }
    public ParamStore store() { return store; }

    /** The action distribution and value at observations {@code obs} [B, inputs]. */
    public Output apply(Var obs) {
        int b = obs.dim(0);
        Var head = pi.apply(obs);                                                       // [B, A]
        Var v = reshape(value.apply(obs), b);                                           // [B]
        Dist d = size.discrete() ? new Dist.Discrete(new Categorical(head))
                : new Dist.Gaussian(new DiagGaussian(head, exp(expand(reshape(logStd, 1, size.actions()), b, size.actions()))));
        return new Output(d, v);
    }

    /** pi(. | s) and V(s) for a batch of states. */
    public record Output(Dist dist, Var value) {}

    /** The action distribution of a batch: log-probabilities of stored actions, entropies, samples and the mode. */
    public sealed interface Dist {
        /** log pi(a | s) of the stored actions {@code a} (indices or samples, [B] or [B, A] flat). [B]. */
        Var logProb(float[] actions);

        /** H[pi(. | s)]. [B]. */
        Var entropy();

        /** One stored action per row ([B] indices or [B, A] samples, flat) drawn with {@code rng}. */
        float[] sample(Rng rng);

        /** The most probable action per row (argmax, or the mean). */
        float[] mode();

        /** Categorical over the last axis of the logits. */
        record Discrete(Categorical c) implements Dist {
            @Override
            public Var logProb(float[] actions) {
                int[] idx = new int[actions.length];
                for (int i = 0; i < idx.length; i++) idx[i] = (int) actions[i];
                return c.logProb(idx);
            }

            @Override public Var entropy() { return c.entropy(); }

            @Override
            public float[] sample(Rng rng) {
                int[] idx = c.sampleIndices(rng);
                float[] out = new float[idx.length];
                for (int i = 0; i < idx.length; i++) out[i] = idx[i];
                return out;
            }

            @Override
            public float[] mode() {
                float[] lp = c.logProbs().toArray();
                int k = c.logits().dim(-1), rows = lp.length / k;
                float[] out = new float[rows];
                for (int r = 0; r < rows; r++) {
                    int best = 0;
                    for (int j = 1; j < k; j++) if (lp[r * k + j] > lp[r * k + best]) best = j;
                    out[r] = best;
                }
                return out;
            }
        }

        /** Diagonal Gaussian; log-probability and entropy summed over the A dimensions. */
        record Gaussian(DiagGaussian g) implements Dist {
            @Override
            public Var logProb(float[] actions) {
                return g.logProb(Var.of(actions, g.mean().shape()));
            }

            @Override public Var entropy() { return g.entropy(); }

            @Override
            public float[] sample(Rng rng) {
                float[] mu = g.mean().toArray(), sd = g.std().toArray(), out = new float[mu.length];
                for (int i = 0; i < out.length; i++) out[i] = mu[i] + sd[i] * rng.normal();
                return out;
            }

            @Override public float[] mode() { return g.mean().toArray(); }
        }
    }

    /** An observation as the network's input: a state vector as it is, a grid's cells as 0/1 floats (H W C, flattened). */
    static float[] input(latte.envs.Observation o) {
        if (o instanceof latte.envs.Observation.Grid g) {
            float[] x = new float[g.cells().length];
            for (int i = 0; i < x.length; i++) x[i] = g.cells()[i];
            return x;
        }
        return o.state();
    }

    /** The action as the environment (behind {@link latte.models.loop.OneHotActions}) takes it: one-hot, or the sample clipped to [-1, 1]. */
    float[] envAction(float[] stored, int row) {
        int a = size.actions();
        if (size.discrete()) return latte.models.loop.OneHotActions.oneHot((int) stored[row], a);
        float[] x = new float[a];
        for (int d = 0; d < a; d++) x[d] = Math.max(-1f, Math.min(1f, stored[row * a + d]));
        return x;
    }

    /** Floats one stored action takes: 1 (an index) or A. */
    int actionWidth() {
        return size.discrete() ? 1 : size.actions();
    }
}
