package latte.autodiff.nn;

import latte.autodiff.Composites;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * A GRU cell (PyTorch's {@code GRUCell} equations, gates r, z, n; see
 * {@link Composites#gruCell}). Parameters {@code wx [in, 3H]}, {@code wh [H, 3H]},
 * {@code bx [3H]}, {@code bh [3H]}, all U(±1/sqrt(H)) as in PyTorch.
 */
public final class GruCell {
    private final Var wx, wh, bx, bh;
    private final int in, hidden;

    public GruCell(Params p, int in, int hidden, Rng rng) {
        if (in < 1 || hidden < 1) throw new IllegalArgumentException("GruCell: in=" + in + ", hidden=" + hidden + " must be >= 1");
        this.in = in;
        this.hidden = hidden;
        double b = 1 / Math.sqrt(hidden);
        this.wx = p.param("wx", Init.uniform(rng, in * 3 * hidden, b), in, 3 * hidden);
        this.wh = p.param("wh", Init.uniform(rng, hidden * 3 * hidden, b), hidden, 3 * hidden);
        this.bx = p.param("bx", Init.uniform(rng, 3 * hidden, b), 3 * hidden);
        this.bh = p.param("bh", Init.uniform(rng, 3 * hidden, b), 3 * hidden);
    }

    /** x [B, in], h [B, H] -> h' [B, H]. */
    public Var apply(Var x, Var h) {
        if (x.dim(-1) != in || h.dim(-1) != hidden)
            throw new IllegalArgumentException("GruCell(" + in + " -> " + hidden + "): x " + java.util.Arrays.toString(x.shape()) + ", h " + java.util.Arrays.toString(h.shape()));
        return Composites.gruCell(x, h, wx, wh, bx, bh);
    }

    public int hidden() {
        return hidden;
    }

    public Var wx() {
        return wx;
    }

    public Var wh() {
        return wh;
    }

    public Var bx() {
        return bx;
    }

    public Var bh() {
        return bh;
    }
}
