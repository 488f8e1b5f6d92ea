package latte.autodiff.dist;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;

import latte.autodiff.Var;
import latte.core.Rng;

/**
 * Dreamer's action distribution: a = tanh(u), u ~ N(mean, diag(std^2)), event over the last axis.
 * By the change of variables,
 * <pre>
 *   log p(a) = log N(u; mean, std) - sum_D ln(1 - tanh(u)^2),
 *   ln(1 - tanh(u)^2) = 2 (ln 2 - u - softplus(-2u))      (stable for large |u|)
 * </pre>
 */
public final class TanhGaussian {
    /** A reparameterised action and its log-probability. */
    public record Sample(Var action, Var logProb) {}

    private static final float LN2 = (float) Math.log(2);
    private final DiagGaussian base;

    public TanhGaussian(Var mean, Var std) {
        this.base = new DiagGaussian(mean, std);
    }

    public DiagGaussian base() {
        return base;
    }

    /** tanh(mean): the deterministic action used for evaluation. */
    public Var mode() {
        return tanh(base.mean());
    }

    /** a = tanh(mean + std * eps) and log p(a), differentiable in mean and std. */
    public Sample rsample(Rng rng) {
        Var u = base.rsample(rng);
        return new Sample(tanh(u), logProbPreTanh(u));
    }

    /** log p(tanh(u)) from the pre-tanh value u (exact, no atanh). [.., D] -> [..]. */
    public Var logProbPreTanh(Var u) {
        Var logDetJ = scale(sub(addScalar(neg(u), LN2), softplus(scale(u, -2f))), 2f); // ln(1 - tanh^2 u)
        return sub(base.logProb(u), sum(logDetJ, -1));
    }

    /**
     * log p(a) for an action in (-1, 1), via u = atanh(a) = (ln(1 + a) - ln(1 - a)) / 2; actions
     * are clamped to +-(1 - 1e-6) first so a saturated action stays finite.
     */
    public Var logProb(Var action) {
        Var a = clamp(action, -1f + 1e-6f, 1f - 1e-6f);
        Var u = scale(sub(log(addScalar(a, 1f)), log(addScalar(neg(a), 1f))), 0.5f);
        return logProbPreTanh(u);
    }

    /** A Monte Carlo estimate of the entropy, -mean over {@code samples} draws of log p(a). [.., D] -> [..]. */
    public Var entropy(Rng rng, int samples) {
        Var acc = null;
        for (int i = 0; i < samples; i++) {
            Var lp = rsample(rng).logProb();
            acc = acc == null ? lp : add(acc, lp);
        }
        return scale(acc, -1f / samples);
    }
}
