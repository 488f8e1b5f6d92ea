package latte.models.dreamer;

import static latte.autodiff.Ops.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import latte.autodiff.Var;

/**
 * Lambda-returns over an imagined trajectory (Dreamer, eq. 6, in the recursive form of the
 * official code), for steps {@code t = 0 .. H-1} with rewards r_t, values v_t and discounts
 * p_t (gamma, or gamma times the predicted continuation):
 * <pre>
 *   R_{H-1} = v_{H-1}                                                   (bootstrap)
 *   R_t     = r_t + p_t ((1 - lambda) v_{t+1} + lambda R_{t+1}),   t = H-2 .. 0
 * </pre>
 * Only R_0 .. R_{H-2} are returned (the last one is the bootstrap itself). Each step is a [N]
 * tensor; the returns are differentiable in everything they are built from.
 */
public final class Returns {
    private Returns() {}

    public static List<Var> lambda(List<Var> reward, List<Var> value, List<Var> discount, float lambda) {
        int h = reward.size();
        if (h < 2 || value.size() != h || discount.size() != h)
            throw new IllegalArgumentException("Returns.lambda: " + h + " rewards, " + value.size() + " values, "
                    + discount.size() + " discounts; expected the same length >= 2");
        Var[] out = new Var[h - 1];
        Var next = value.get(h - 1);
        for (int t = h - 2; t >= 0; t--) {
            Var mix = add(scale(value.get(t + 1), 1f - lambda), scale(next, lambda));
            next = add(reward.get(t), mul(discount.get(t), mix));
            out[t] = next;
        }
        return new ArrayList<>(Arrays.asList(out));
    }

    /**
     * Weights of the returns: w_0 = 1, w_t = p_0 ... p_{t-1} (the probability, discounted, that
     * the imagined trajectory is still running), with gradients stopped. H-1 tensors [N].
     */
    public static List<Var> weights(List<Var> discount) {
        List<Var> w = new ArrayList<>(discount.size() - 1);
        Var acc = Var.full(1f, discount.getFirst().shape());
        for (int t = 0; t < discount.size() - 1; t++) {
            w.add(acc);
            acc = mul(acc, stopGradient(discount.get(t)));
        }
        return w;
    }
}
