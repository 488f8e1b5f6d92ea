package latte.models.nets;

import latte.autodiff.ShapeOps;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.Conv2d;
import latte.core.Rng;

/**
 * PlaNet's observation encoder (Hafner et al. 2019, appendix A): four convolutions, kernel 4,
 * stride 2, valid padding, channels {@code d, 2d, 4d, 8d} ({@code d = 32} in the paper), each
 * followed by the activation, flattened.
 * <pre>
 *   o [N, 64, 64, 3] -> [N, 31, 31, d] -> [N, 14, 14, 2d] -> [N, 6, 6, 4d] -> [N, 2, 2, 8d] -> e [N, 32d]
 * </pre>
 */
public final class ConvEncoder {
    /** Input side length the stack is built for. */
    public static final int SIZE = 64;

    private final Conv2d c1, c2, c3, c4;
    private final Activation act;
    private final int outSize;

    public ConvEncoder(Params p, int depth, Activation act, Rng rng) {
        this.c1 = new Conv2d(p.sub("conv1"), 3, depth, 4, 2, 0, rng);
        this.c2 = new Conv2d(p.sub("conv2"), depth, 2 * depth, 4, 2, 0, rng);
        this.c3 = new Conv2d(p.sub("conv3"), 2 * depth, 4 * depth, 4, 2, 0, rng);
        this.c4 = new Conv2d(p.sub("conv4"), 4 * depth, 8 * depth, 4, 2, 0, rng);
        this.act = act;
        this.outSize = 32 * depth;
    }

    /** Length of the embedding. */
    public int outSize() {
        return outSize;
    }

    /** o [N, 64, 64, 3] -> e [N, 32d]. */
    public Var apply(Var o) {
        if (o.rank() != 4 || o.dim(1) != SIZE || o.dim(2) != SIZE || o.dim(3) != 3)
            throw new IllegalArgumentException("ConvEncoder: observation " + java.util.Arrays.toString(o.shape())
                    + ", expected [N, 64, 64, 3]");
        Var x = act.apply(c1.apply(o));   // [N, 31, 31, d]
        x = act.apply(c2.apply(x));       // [N, 14, 14, 2d]
        x = act.apply(c3.apply(x));       // [N, 6, 6, 4d]
        x = act.apply(c4.apply(x));       // [N, 2, 2, 8d]
        return ShapeOps.reshape(x, o.dim(0), outSize); // [N, 32d]
    }
}
