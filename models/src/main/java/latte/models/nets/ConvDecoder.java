package latte.models.nets;

import latte.autodiff.ShapeOps;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.ConvTranspose2d;
import latte.autodiff.nn.Linear;
import latte.core.Rng;

/**
 * PlaNet's observation model p(o_t | h_t, s_t) (appendix A): a dense layer to {@code 32d} units
 * seen as a 1x1 image, then four transposed convolutions, stride 2, kernels 5, 5, 6, 6, channels
 * {@code 4d, 2d, d, 3}, the activation after all but the last. The output is the mean of a
 * unit-variance Gaussian over pixels.
 * <pre>
 *   f [N, F] -> [N, 32d] -> [N, 1, 1, 32d] -> [N, 5, 5, 4d] -> [N, 13, 13, 2d] -> [N, 30, 30, d] -> [N, 64, 64, 3]
 * </pre>
 */
public final class ConvDecoder {
    private final Linear dense;
    private final ConvTranspose2d t1, t2, t3, t4;
    private final Activation act;
    private final int width;

    public ConvDecoder(Params p, int features, int depth, Activation act, Rng rng) {
        this.width = 32 * depth;
        this.dense = new Linear(p.sub("dense"), features, width, rng);
        this.t1 = new ConvTranspose2d(p.sub("deconv1"), width, 4 * depth, 5, 2, rng);
        this.t2 = new ConvTranspose2d(p.sub("deconv2"), 4 * depth, 2 * depth, 5, 2, rng);
        this.t3 = new ConvTranspose2d(p.sub("deconv3"), 2 * depth, depth, 6, 2, rng);
        this.t4 = new ConvTranspose2d(p.sub("deconv4"), depth, 3, 6, 2, rng);
        this.act = act;
    }

    /** f [N, F] -> mean image [N, 64, 64, 3]. */
    public Var apply(Var f) {
        Var x = ShapeOps.reshape(dense.apply(f), f.dim(0), 1, 1, width); // [N, 1, 1, 32d]  (no activation, as in PlaNet)
        x = act.apply(t1.apply(x));                                  // [N, 5, 5, 4d]
        x = act.apply(t2.apply(x));                                  // [N, 13, 13, 2d]
        x = act.apply(t3.apply(x));                                  // [N, 30, 30, d]
        return t4.apply(x);                                          // [N, 64, 64, 3]
    }
}
