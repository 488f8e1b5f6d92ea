package latte.autodiff.nn;

import latte.autodiff.Composites;
import latte.autodiff.LayerOps;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * A GRU cell, PyTorch's {@code GRUCell}: parameters named and laid out as PyTorch's state dict
 * ({@code weight_ih [3H, in]}, {@code weight_hh [3H, H]}, {@code bias_ih [3H]},
 * {@code bias_hh [3H]}, gates r, z, n), all U(±1/sqrt(H)) as in PyTorch. {@link #apply} runs the
 * fused kernel ({@link LayerOps#gruCell}); {@link #applyComposed} the primitive-by-primitive reference
 * ({@link Composites#gruCell}).
 */
public final class GruCell {
    private final Var wi, wh, bi, bh;
    private final int in, hidden;

    public GruCell(Params p, int in, int hidden, Rng rng) {
        if (in < 1 || hidden < 1) throw new IllegalArgumentException("GruCell: in=" + in + ", hidden=" + hidden + " must be >= 1");
        this.in = in;
        this.hidden = hidden;
        double b = 1 / Math.sqrt(hidden);
        this.wi = p.param("weight_ih", Init.uniform(rng, 3 * hidden * in, b), 3 * hidden, in);
        this.wh = p.param("weight_hh", Init.uniform(rng, 3 * hidden * hidden, b), 3 * hidden, hidden);
        this.bi = p.param("bias_ih", Init.uniform(rng, 3 * hidden, b), 3 * hidden);
        this.bh = p.param("bias_hh", Init.uniform(rng, 3 * hidden, b), 3 * hidden);
    }

    /** x [B, in], h [B, H] -> h' [B, H] (fused kernel). */
    public Var apply(Var x, Var h) {
        check(x, h);
        return LayerOps.gruCell(x, h, wi, wh, bi, bh);
    }

    /** The same step composed from primitives (reference; slower). */
    public Var applyComposed(Var x, Var h) {
        check(x, h);
        return Composites.gruCell(x, h, wi, wh, bi, bh);
    }

    private void check(Var x, Var h) {
        if (x.dim(-1) != in || h.dim(-1) != hidden)
            throw new IllegalArgumentException("GruCell(" + in + " -> " + hidden + "): x " + java.util.Arrays.toString(x.shape()) + ", h " + java.util.Arrays.toString(h.shape()));
    }

    public int hidden() {
        return hidden;
    }

    public Var weightIh() {
        return wi;
    }

    public Var weightHh() {
        return wh;
    }

    public Var biasIh() {
        return bi;
    }

    public Var biasHh() {
        return bh;
    }
}
