package latte.autodiff.nn;

import latte.autodiff.LayerOps;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * y = x W + b. Parameters {@code weight [in, out]} (the transpose of PyTorch's [out, in], so the
 * forward is one GEMM without a transpose) and {@code bias [out]}; PyTorch-default init.
 */
public final class Linear {
    private final Var weight, bias;
    private final int in, out;

    public Linear(Params p, int in, int out, Rng rng) {
        this(p, in, out, true, rng);
    }

    public Linear(Params p, int in, int out, boolean bias, Rng rng) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear: in=" + in + ", out=" + out + " must be >= 1");
        this.in = in;
        this.out = out;
        this.weight = p.param("weight", Init.torchWeight(rng, in * out, in), in, out);
        this.bias = bias ? p.param("bias", Init.torchBias(rng, out, in), out) : null;
    }

    /** x [.., in] -> [.., out]. */
    public Var apply(Var x) {
        return apply(x, Activation.NONE);
    }

    /** act(x W + b): x [.., in] -> [.., out], the activation fused into the layer ({@link LayerOps#linear}). */
    public Var apply(Var x, Activation act) {
        if (x.dim(-1) != in) throw new IllegalArgumentException("Linear(" + in + " -> " + out + "): input " + java.util.Arrays.toString(x.shape()) + " has last dim " + x.dim(-1));
        return LayerOps.linear(x, weight, bias, act);
    }

    /**
     * The graph of {@code apply(x, act)} without its forward: {@code given} is an earlier result of
     * this layer whose first rows came from x's rows ({@link LayerOps#linearFrom}).
     */
    public Var applyFrom(Var x, Activation act, Var given) {
        if (x.dim(-1) != in) throw new IllegalArgumentException("Linear(" + in + " -> " + out + "): input " + java.util.Arrays.toString(x.shape()) + " has last dim " + x.dim(-1));
        return LayerOps.linearFrom(x, weight, bias, act, given);
    }

    public Var weight() {
        return weight;
    }

    /** The bias, or null. */
    public Var bias() {
        return bias;
    }
}
