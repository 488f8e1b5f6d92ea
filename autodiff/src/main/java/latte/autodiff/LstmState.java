package latte.autodiff;

/**
 * The state of an LSTM: hidden {@code h} and cell {@code c}, each {@code [B, H]} for one step, or
 * {@code [T, B, H]} for every step of a sequence ({@link RecurrentOps#lstm}).
 */
public record LstmState(Var h, Var c) {
    public LstmState {
        if (h == null || c == null || !java.util.Arrays.equals(h.shape, c.shape))
            throw new IllegalArgumentException("LstmState: h " + (h == null ? "null" : Shapes.str(h.shape)) + " and c "
                    + (c == null ? "null" : Shapes.str(c.shape)) + " must be non-null and of one shape");
    }

    /** The zero state of a batch: constants h = c = 0, [B, H]. */
    public static LstmState zeros(int batch, int hidden) {
        return new LstmState(Var.zeros(batch, hidden), Var.zeros(batch, hidden));
    }

    /** The same values as constants (no gradient flows back through them): truncated backpropagation. */
    public LstmState detach() {
        return new LstmState(h.detachedView(), c.detachedView());
    }

    /** Step {@code t} of a sequence state [T, B, H] as constants [B, H] (e.g. the last step, to carry on). */
    public LstmState step(int t) {
        if (h.rank() != 3) throw new IllegalArgumentException("LstmState.step: h " + Shapes.str(h.shape) + " is not a sequence [T, B, H]");
        int[] s = {h.shape[1], h.shape[2]};
        return new LstmState(ShapeOps.reshape(h.constantRows(t, t + 1), s), ShapeOps.reshape(c.constantRows(t, t + 1), s));
    }
}
