package latte.models.rssm;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;
import static latte.autodiff.ShapeOps.*;

import latte.autodiff.Ops;
import latte.autodiff.Var;
import latte.autodiff.dist.Categorical;
import latte.autodiff.dist.DiagGaussian;
import latte.core.Rng;

/**
 * The distribution of the RSSM's stochastic state {@code s [B, S]}: a diagonal Gaussian (PlaNet,
 * Dreamer v1) or {@code V} independent categoricals of {@code K} classes whose one-hot samples are
 * flattened to {@code S = V * K} (DreamerV2, 32 x 32).
 * <pre>
 *   Gaussian:     s = mu + sigma * eps                          KL = sum_S KL(N_q || N_p)
 *   Categorical:  s = flatten(onehot(k) + p - sg(p)), k ~ p      KL = sum_V sum_K q (log q - log p)
 * </pre>
 */
public sealed interface Latent permits Latent.Gaussian, Latent.OneHot {

    /** A differentiable sample [B, S]: reparameterised, or straight-through one-hot. */
    Var rsample(Rng rng);

    /** E[s] [B, S]: the Gaussian's mean, the categoricals' probabilities (the mean of a one-hot). */
    Var mean();

    /** log p(s) per row [B]. */
    Var logProb(Var s);

    /** The same distribution with its parameters cut from the graph (for KL balancing and targets). */
    Latent stopGradient();

    /** KL(q || p) per row [B], summed over the state's dimensions (or variables). */
    static Var kl(Latent q, Latent p) {
        return switch (q) {
            case Gaussian g when p instanceof Gaussian pg -> DiagGaussian.kl(g.dist(), pg.dist());
            case OneHot c when p instanceof OneHot pc && pc.variables == c.variables && pc.classes() == c.classes() ->
                    sum(Categorical.kl(c.dist(), pc.dist()), -1);                                 // [B, V] -> [B]
            default -> throw new IllegalArgumentException("Latent.kl: " + q.describe() + " vs " + p.describe()
                    + ", expected two latents of the same kind and size");
        };
    }

    private String describe() {
        return switch (this) {
            case Gaussian g -> "Gaussian " + java.util.Arrays.toString(g.dist().mean().shape());
            case OneHot c -> "categorical " + c.variables() + " x " + c.classes();
        };
    }

    /** A diagonal Gaussian over s [B, S]. */
    record Gaussian(DiagGaussian dist) implements Latent {
        public Var rsample(Rng rng) { return dist.rsample(rng); }
        public Var mean() { return dist.mean(); }
        public Var logProb(Var s) { return dist.logProb(s); }
        public Var std() { return dist.std(); }

        public Latent stopGradient() {
            return new Gaussian(new DiagGaussian(Ops.stopGradient(dist.mean()), Ops.stopGradient(dist.std())));
        }
    }

    /** {@code variables} categoricals of {@code classes} classes, logits [B, V, K]; states are [B, V * K]. */
    record OneHot(Categorical dist, int variables, int classes) implements Latent {
        /** From flat logits [B, V * K]. */
        public static OneHot of(Var logits, int variables, int classes) {
            if (logits.rank() != 2 || logits.dim(1) != variables * classes)
                throw new IllegalArgumentException("Latent.OneHot: logits " + java.util.Arrays.toString(logits.shape())
                        + ", expected [B, " + variables + " * " + classes + "]");
            return new OneHot(new Categorical(reshape(logits, logits.dim(0), variables, classes)), variables, classes);
        }

        private Var flat(Var x) {
            return reshape(x, x.dim(0), variables * classes);                                     // [B, V, K] -> [B, V*K]
        }

        public Var rsample(Rng rng) { return flat(dist.rsampleStraightThrough(rng)); }
        public Var mean() { return flat(dist.probs()); }

        public Var logProb(Var s) {
            return sum(dist.logProb(reshape(s, s.dim(0), variables, classes)), -1);              // [B, V] -> [B]
        }

        public Latent stopGradient() {
            return new OneHot(new Categorical(Ops.stopGradient(dist.logits())), variables, classes);
        }
    }
}
