package latte.models.ppo;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.mean;

import latte.autodiff.Var;

/**
 * The terms of PPO's objective on a minibatch (Schulman et al. 2017, section 3 and equation 9),
 * written as losses to minimise:
 * <pre>
 *   r_t(theta) = pi_theta(a_t | s_t) / pi_old(a_t | s_t) = exp(log pi - log pi_old)
 *   L^CLIP     = E_t[ min(r_t A_t, clip(r_t, 1 - eps, 1 + eps) A_t) ]
 *   L^VF       = E_t[ (V(s_t) - R_t)^2 ] / 2     (clipped: E_t[ max((V - R)^2, (V_old + clip(V - V_old, -eps, eps) - R)^2) ] / 2)
 *   S          = E_t[ H[pi(. | s_t)] ]
 *   loss       = -L^CLIP + c1 L^VF - c2 S
 * </pre>
 */
public final class Objective {
    private Objective() {}

    /**
     * -L^CLIP: minus the mean clipped surrogate. Where the ratio has left [1 - eps, 1 + eps] in the
     * direction the advantage favours, the minimum picks the clipped term, whose gradient is 0.
     *
     * @param logProb    log pi_theta(a_t | s_t) [B]
     * @param oldLogProb log pi_old(a_t | s_t) [B], a constant
     * @param advantages A_t [B], constants
     */
    public static Var surrogateLoss(Var logProb, float[] oldLogProb, float[] advantages, float eps) {
        int b = logProb.size();
        Var ratio = exp(sub(logProb, Var.of(oldLogProb, b)));                            // [B]
        Var adv = Var.of(advantages, b);
        Var unclipped = mul(ratio, adv), clipped = mul(clamp(ratio, 1 - eps, 1 + eps), adv);
        return neg(mean(minimum(unclipped, clipped)));
    }

    /**
     * L^VF: half the mean squared error of the value against its target R_t; with {@code clip}
     * > 0 the pessimistic maximum with the prediction moved at most +-clip from V_old (OpenAI
     * baselines' ppo2).
     */
    public static Var valueLoss(Var value, float[] oldValue, float[] returns, float clip) {
        int b = value.size();
        Var target = Var.of(returns, b);
        Var err = square(sub(value, target));                                            // [B]
        if (clip > 0) {
            Var old = Var.of(oldValue, b);
            Var moved = add(old, clamp(sub(value, old), -clip, clip));
            err = maximum(err, square(sub(moved, target)));
        }
        return scale(mean(err), 0.5f);
    }

    /** A_t normalised over the minibatch: (A - mean) / (std + 1e-8). */
    public static float[] normalise(float[] a) {
        double m = 0, v = 0;
        for (float x : a) m += x;
        m /= a.length;
        for (float x : a) v += (x - m) * (x - m);
        double sd = Math.sqrt(v / a.length);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) ((a[i] - m) / (sd + 1e-8));
        return out;
    }
}
