package latte.models.dreamer;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;

import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.autodiff.dist.Categorical;
import latte.autodiff.dist.TanhGaussian;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.Mlp;
import latte.core.Rng;

/**
 * Dreamer's action model q(a_t | s_t) on the features [h, s]:
 * <pre>
 *   continuous: a = tanh(u),  u ~ N(m tanh(mu / m), softplus(x + softplus^-1(initStd)) + minStd)   (Dreamer v1: m 5, initStd 5, minStd 1e-4)
 *   discrete:   a = onehot(k) + p - sg(p),  k ~ Categorical(logits)                       (straight-through)
 * </pre>
 * The mean squashing keeps the pre-tanh mean in (-m, m); the shifted softplus starts the std at
 * {@code initStd} (wide exploration before the first update). Discrete actions are one-hot vectors.
 */
public final class Actor {
    /** Dreamer v1's floor on the pre-tanh std. */
    public static final float V1_MIN_STD = 1e-4f;

    /** An action [N, A] and the actor's entropy estimate per row [N]. */
    public record Sample(Var action, Var entropy) {}

    private final Mlp net;
    private final int actions;
    private final boolean discrete;
    private final float rawInitStd, meanScale, minStd;

    /** {@code meanScale}: m above, the bound of the pre-tanh mean; {@code minStd}: the floor of the pre-tanh std. */
    public Actor(Params p, int features, int hidden, int layers, int actions, boolean discrete, float initStd, float meanScale,
                 float minStd, Activation act, Rng rng) {
        if (!(meanScale > 0)) throw new IllegalArgumentException("Actor: mean scale " + meanScale + ", expected > 0");
        if (!(minStd > 0)) throw new IllegalArgumentException("Actor: min std " + minStd + ", expected > 0");
        this.meanScale = meanScale;
        this.minStd = minStd;
        this.rawInitStd = (float) Math.log(Math.expm1(initStd));                       // softplus^-1(initStd)
        int[] h = new int[layers];
        java.util.Arrays.fill(h, hidden);
        this.net = new Mlp(p, features, h, discrete ? actions : 2 * actions, act, rng);
        this.actions = actions;
        this.discrete = discrete;
    }

    public boolean discrete() {
        return discrete;
    }

    public int actions() {
        return actions;
    }

    /** The tanh-Normal of continuous actions for features [N, F]. */
    public TanhGaussian gaussian(Var features) {
        Var out = net.apply(features);                                                    // [N, 2A]
        Var mean = scale(tanh(scale(slice(out, 1, 0, actions), 1f / meanScale)), meanScale);
        Var std = addScalar(softplus(addScalar(slice(out, 1, actions, 2 * actions), rawInitStd)), minStd);
        return new TanhGaussian(mean, std);
    }

    /** The categorical of discrete actions for features [N, F]. */
    public Categorical categorical(Var features) {
        return new Categorical(net.apply(features));                                     // [N, A] logits
    }

    /** A differentiable sample (reparameterised, or straight-through for discrete actions). */
    public Sample sample(Var features, Rng rng) {
        if (discrete) {
            Categorical c = categorical(features);
            return new Sample(c.rsampleStraightThrough(rng), c.entropy());
        }
        TanhGaussian.Sample s = gaussian(features).rsample(rng);
        return new Sample(s.action(), neg(s.logProb()));                                 // one-sample entropy estimate
    }

    /** The deterministic action for evaluation: tanh(mean), or the most probable one-hot. [N, A]. */
    public Var mode(Var features) {
        return discrete ? categorical(features).mode() : gaussian(features).mode();
    }
}
