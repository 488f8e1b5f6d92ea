package latte.autodiff;

import static latte.autodiff.Ops.*;
import static latte.autodiff.LayerOps.*;
import static latte.autodiff.ReduceOps.*;
import static latte.autodiff.ShapeOps.*;

/**
 * Composite functions built only from {@link Ops} primitives: they have no backward code of
 * their own, the tape differentiates them through their parts.
 */
public final class Composites {
    private Composites() {}

    /** y = x W + b: x [.., In], w [In, Out], b [Out] or null -> [.., Out]. */
    public static Var linear(Var x, Var w, Var b) {
        return LayerOps.linear(x, w, b, FusedActivation.IDENTITY);
    }

    /** x[.., i, ..] along {@code axis}, dropping that axis (e.g. step t of a [T, B, E] sequence -> [B, E]). */
    public static Var select(Var x, int axis, int i) {
        int ax = Shapes.axis("select", axis, x.rank());
        int[] s = new int[x.rank() - 1];
        for (int d = 0, k = 0; d < x.rank(); d++) if (d != ax) s[k++] = x.shape[d];
        return reshape(slice(x, ax, i, i + 1), s);
    }

    /** Stacks equal-shaped Vars along a new axis {@code axis} (e.g. T states [B, H] -> [T, B, H]). */
    public static Var stack(int axis, Var... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("stack: no inputs");
        int r = xs[0].rank();
        int ax = Shapes.axis("stack", axis, r + 1);
        Var[] parts = new Var[xs.length];
        for (int k = 0; k < xs.length; k++) {
            if (!java.util.Arrays.equals(xs[k].shape, xs[0].shape))
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(xs[0].shape) + " and " + Shapes.str(xs[k].shape) + " differ");
            int[] s = new int[r + 1];
            for (int d = 0, j = 0; d <= r; d++) s[d] = d == ax ? 1 : xs[k].shape[j++];
            parts[k] = reshape(xs[k], s);
        }
        return concat(ax, parts);
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
     * A GRU cell in PyTorch's convention (weights as PyTorch stores them, gates r, z, n in that
     * order along the 3H axis), composed from primitives: the reference for the fused
     * {@link LayerOps#gruCell}.
     * <pre>
     *   r  = sigmoid(x Wi_r^T + bi_r + h Wh_r^T + bh_r)
     *   z  = sigmoid(x Wi_z^T + bi_z + h Wh_z^T + bh_z)
     *   n  = tanh(x Wi_n^T + bi_n + r * (h Wh_n^T + bh_n))
     *   h' = (1 - z) * n + z * h  =  n + z * (h - n)
     * </pre>
     * x [B, In], h [B, H], wi [3H, In], wh [3H, H], bi, bh [3H] (or null) -> h' [B, H].
     */
    public static Var gruCell(Var x, Var h, Var wi, Var wh, Var bi, Var bh) {
        int hs = h.dim(-1);
        if (wi.rank() != 2 || wh.rank() != 2 || wi.dim(0) != 3 * hs || wh.dim(0) != 3 * hs || wh.dim(1) != hs || wi.dim(1) != x.dim(-1))
            throw new IllegalArgumentException("gruCell: x " + Shapes.str(x.shape) + ", h " + Shapes.str(h.shape) + ", wi " + Shapes.str(wi.shape)
                    + ", wh " + Shapes.str(wh.shape) + ": expected wi [3H, In], wh [3H, H] with H = " + hs);
        Var gx = linear(x, permute(wi, 1, 0), bi);                   // [B, 3H]
        Var gh = linear(h, permute(wh, 1, 0), bh);                   // [B, 3H]
        Var r = sigmoid(add(slice(gx, -1, 0, hs), slice(gh, -1, 0, hs)));
        Var z = sigmoid(add(slice(gx, -1, hs, 2 * hs), slice(gh, -1, hs, 2 * hs)));
        Var n = tanh(add(slice(gx, -1, 2 * hs, 3 * hs), mul(r, slice(gh, -1, 2 * hs, 3 * hs))));
        return add(n, mul(z, sub(h, n)));                            // [B, H]
    }
}
