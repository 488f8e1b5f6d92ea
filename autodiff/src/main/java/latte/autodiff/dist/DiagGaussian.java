package latte.autodiff.dist;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;

import latte.autodiff.Var;
import latte.core.Rng;

/**
 * A diagonal Gaussian N(mean, diag(std^2)) whose event is the last axis: log-probabilities,
 * entropies and KLs are summed over it (mean, std [.., D] -> [..]). Built from differentiable ops,
 * so gradients flow to mean and std (reparameterised sampling).
 */
public final class DiagGaussian {
    static final float HALF_LOG_2PI = (float) (0.5 * Math.log(2 * Math.PI));

    private final Var mean, std;

    public DiagGaussian(Var mean, Var std) {
        if (!java.util.Arrays.equals(mean.shape(), std.shape()))
            throw new IllegalArgumentException("DiagGaussian: mean " + java.util.Arrays.toString(mean.shape()) + " and std " + java.util.Arrays.toString(std.shape()) + " differ");
        this.mean = mean;
        this.std = std;
    }

    public Var mean() {
        return mean;
    }

    public Var std() {
        return std;
    }

    /** x = mean + std * eps, eps ~ N(0, I) from {@code rng}: differentiable in mean and std. */
    public Var rsample(Rng rng) {
        float[] eps = new float[mean.size()];
        rng.fillNormal(eps, 0, eps.length, 0f, 1f);
        return add(mean, mul(std, Var.of(eps, mean.shape())));
    }

    /** log N(x; mean, std) = sum_D [ -(x - mean)^2 / (2 std^2) - ln std - ln(2 pi) / 2 ]. [.., D] -> [..]. */
    public Var logProb(Var x) {
        Var z = div(sub(x, mean), std);
        return sum(addScalar(neg(add(scale(square(z), 0.5f), log(std))), -HALF_LOG_2PI), -1);
    }

    /** H = sum_D [ ln std + (1 + ln 2 pi) / 2 ]. [.., D] -> [..]. */
    public Var entropy() {
        return sum(addScalar(log(std), 0.5f + HALF_LOG_2PI), -1);
    }

    /**
     * KL(p || q) = sum_D [ ln(std_q / std_p) + (std_p^2 + (mean_p - mean_q)^2) / (2 std_q^2) - 1/2 ].
     * [.., D] -> [..].
     */
    public static Var kl(DiagGaussian p, DiagGaussian q) {
        Var varRatio = square(div(p.std, q.std));
        Var t = square(div(sub(p.mean, q.mean), q.std));
        return sum(scale(addScalar(sub(add(varRatio, t), log(varRatio)), -1f), 0.5f), -1);
    }
}
