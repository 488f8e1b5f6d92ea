package latte.autodiff.nn;

import latte.autodiff.Composites;
import latte.autodiff.Params;
import latte.autodiff.Var;

/** Layer normalisation over the last axis with learned {@code gamma [D]} (ones) and {@code beta [D]} (zeros). */
public final class LayerNorm {
    private final Var gamma, beta;
    private final float eps;

    public LayerNorm(Params p, int dim) {
        this(p, dim, 1e-5f);
    }

    public LayerNorm(Params p, int dim, float eps) {
        this.gamma = p.constant("gamma", 1f, dim);
        this.beta = p.zeros("beta", dim);
        this.eps = eps;
    }

    /** x [.., D] -> [.., D]. */
    public Var apply(Var x) {
        return Composites.layerNorm(x, gamma, beta, eps);
    }

    public Var gamma() {
        return gamma;
    }

    public Var beta() {
        return beta;
    }
}
