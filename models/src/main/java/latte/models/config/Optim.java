package latte.models.config;

import latte.autodiff.optim.Adam;

/**
 * One Adam optimiser and its gradient clip.
 *
 * @param lr   learning rate
 * @param eps  Adam's epsilon
 * @param clip global-norm gradient clip
 */
public record Optim(double lr, double eps, double clip) {
    public Optim {
        if (!(lr > 0) || !(eps > 0) || !(clip > 0))
            throw new IllegalArgumentException("Optim: lr " + lr + ", eps " + eps + ", clip " + clip + " (each > 0)");
    }

    /** Adam's configuration for these settings. */
    public Adam.Config adam() {
        return Adam.Config.of(lr).withEps(eps);
    }
}
