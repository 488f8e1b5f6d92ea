package latte.autodiff.nn;

import latte.autodiff.LayerOps;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * 2-D convolution layer over NHWC activations: {@code weight [K, K, inC, outC]} (HWIO),
 * {@code bias [outC]}, square kernel, stride and symmetric zero padding; PyTorch-default init with
 * fan-in {@code inC * K * K}.
 */
public final class Conv2d {
    private final Var weight, bias;
    private final int stride, pad;

    public Conv2d(Params p, int inC, int outC, int kernel, int stride, int pad, Rng rng) {
        if (inC < 1 || outC < 1 || kernel < 1 || stride < 1 || pad < 0)
            throw new IllegalArgumentException("Conv2d: inC=" + inC + " outC=" + outC + " kernel=" + kernel + " stride=" + stride + " pad=" + pad);
        int fanIn = inC * kernel * kernel;
        this.weight = p.param("weight", Init.torchWeight(rng, fanIn * outC, fanIn), kernel, kernel, inC, outC);
        this.bias = p.param("bias", Init.torchBias(rng, outC, fanIn), outC);
        this.stride = stride;
        this.pad = pad;
    }

    /** x [N, H, W, inC] -> [N, OH, OW, outC]. */
    public Var apply(Var x) {
        return LayerOps.conv2d(x, weight, bias, stride, pad);
    }

    public Var weight() {
        return weight;
    }

    public Var bias() {
        return bias;
    }
}
