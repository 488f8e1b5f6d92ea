package latte.autodiff;

import static latte.autodiff.Ops.*;

/**
 * Composite functions built only from {@link Ops} primitives: they have no backward code of
 * their own, the tape differentiates them through their parts.
 */
public final class Composites {
    private Composites() {}

    /** y = x W + b: x [.., In], w [In, Out], b [Out] or null -> [.., Out]. */
    public static Var linear(Var x, Var w, Var b) {
        Var y = matmul(x, w);
        return b == null ? y : add(y, b);
    }

    /** Mean squared error: mean((pred - target)^2) over all elements -> scalar. */
    public static Var mse(Var pred, Var target) {
        return mean(square(sub(pred, target)));
    }

    /** log softmax(x)_i = x_i - logsumexp(x) along {@code axis}. */
    public static Var logSoftmax(Var x, int axis) {
        return sub(x, logsumexp(x, axis, true));
    }

    /** softmax(x)_i = e^(x_i - logsumexp(x)) along {@code axis}. */
    public static Var softmax(Var x, int axis) {
        return exp(logSoftmax(x, axis));
    }

    /**
     * Layer normalisation over the last axis: y = (x - mu) / sqrt(var + eps) * gamma + beta with
     * mu, var the mean and (biased) variance of the last axis. x [.., D], gamma, beta [D] or null.
     */
    public static Var layerNorm(Var x, Var gamma, Var beta, float eps) {
        Var xc = sub(x, mean(x, true, -1));                          // [.., D]
        Var var = mean(square(xc), true, -1);                        // [.., 1]
        Var y = mul(xc, pow(addScalar(var, eps), -0.5f));            // [.., D]
        if (gamma != null) y = mul(y, gamma);
        if (beta != null) y = add(y, beta);
        return y;
    }

    /**
     * A GRU cell in PyTorch's convention (gates r, z, n in that order along the 3H axis):
     * <pre>
     *   r  = sigmoid(x Wx_r + bx_r + h Wh_r + bh_r)
     *   z  = sigmoid(x Wx_z + bx_z + h Wh_z + bh_z)
     *   n  = tanh(x Wx_n + bx_n + r * (h Wh_n + bh_n))
     *   h' = (1 - z) * n + z * h  =  n + z * (h - n)
     * </pre>
     * x [B, In], h [B, H], wx [In, 3H], wh [H, 3H], bx, bh [3H] (or null) -> h' [B, H].
     */
    public static Var gruCell(Var x, Var h, Var wx, Var wh, Var bx, Var bh) {
        int hs = h.dim(-1);
        if (wx.dim(-1) != 3 * hs || wh.dim(-1) != 3 * hs || wh.dim(0) != hs)
            throw new IllegalArgumentException("gruCell: h " + Shapes.str(h.shape) + ", wx " + Shapes.str(wx.shape) + ", wh "
                    + Shapes.str(wh.shape) + ": expected wx [In, 3H], wh [H, 3H] with H = " + hs);
        Var gx = linear(x, wx, bx);                                  // [B, 3H]
        Var gh = linear(h, wh, bh);                                  // [B, 3H]
        Var r = sigmoid(add(slice(gx, -1, 0, hs), slice(gh, -1, 0, hs)));
        Var z = sigmoid(add(slice(gx, -1, hs, 2 * hs), slice(gh, -1, hs, 2 * hs)));
        Var n = tanh(add(slice(gx, -1, 2 * hs, 3 * hs), mul(r, slice(gh, -1, 2 * hs, 3 * hs))));
        return add(n, mul(z, sub(h, n)));                            // [B, H]
    }
}
