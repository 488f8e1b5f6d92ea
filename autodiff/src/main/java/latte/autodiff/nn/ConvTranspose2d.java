package latte.autodiff.nn;

import latte.autodiff.LayerOps;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * Transposed 2-D convolution layer over NHWC activations (the decoder's upsampling):
 * {@code weight [K, K, outC, inC]}, {@code bias [outC]}; output size
 * {@code (H - 1) stride - 2 pad + K + outPad}. PyTorch-default init with PyTorch's fan-in for this
 * layer, {@code outC * K * K}.
 */
public final class ConvTranspose2d {
    private final Var weight, bias;
    private final int stride, pad, outPad;

    public ConvTranspose2d(Params p, int inC, int outC, int kernel, int stride, Rng rng) {
        this(p, inC, outC, kernel, stride, 0, 0, rng);
    }

    public ConvTranspose2d(Params p, int inC, int outC, int kernel, int stride, int pad, int outPad, Rng rng) {
        if (inC < 1 || outC < 1 || kernel < 1 || stride < 1 || pad < 0 || outPad < 0)
            throw new IllegalArgumentException("ConvTranspose2d: inC=" + inC + " outC=" + outC + " kernel=" + kernel + " stride=" + stride + " pad=" + pad + " outPad=" + outPad);
        int fanIn = outC * kernel * kernel;
        this.weight = p.param("weight", Init.torchWeight(rng, fanIn * inC, fanIn), kernel, kernel, outC, inC);
        this.bias = p.param("bias", Init.torchBias(rng, outC, fanIn), outC);
        this.stride = stride;
        this.pad = pad;
        this.outPad = outPad;
    }

    /** x [N, H, W, inC] -> [N, OH, OW, outC]. */
    public Var apply(Var x) {
        return LayerOps.convTranspose2d(x, weight, bias, stride, stride, pad, pad, outPad, outPad);
    }

    public Var weight() {
        return weight;
    }

    public Var bias() {
        return bias;
    }
}
