package latte.autodiff.nn;

import latte.autodiff.LstmState;
import latte.autodiff.Params;
import latte.autodiff.RecurrentOps;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * An LSTM cell, PyTorch's {@code LSTMCell}: parameters named and laid out as PyTorch's state dict
 * ({@code weight_ih [4H, in]}, {@code weight_hh [4H, H]}, {@code bias_ih [4H]}, {@code bias_hh [4H]},
 * gate blocks i, f, g, o), all U(±1/sqrt(H)) as in PyTorch, plus {@code forgetBias} added to the
 * f block of {@code bias_ih} at initialisation: 1 matches TensorFlow's {@code forget_bias = 1.0}
 * (the cell of the World Models code; Jozefowicz et al. 2015), 0 is PyTorch's plain init. It is
 * part of the parameter's value, not a constant of the kernel, so PyTorch checkpoints map 1:1.
 *
 * <p>{@link #apply} is one step (acting, dreaming: carry the returned state);
 * {@link #sequence} runs T steps in one fused node (training on sequences);
 * {@link #applyComposed} is the primitive-by-primitive reference of a step.
 */
public final class LstmCell {
    private final Var wi, wh, bi, bh;
    private final int in, hidden;

    public LstmCell(Params p, int in, int hidden, float forgetBias, Rng rng) {
        if (in < 1 || hidden < 1) throw new IllegalArgumentException("LstmCell: in=" + in + ", hidden=" + hidden + " must be >= 1");
        if (!Float.isFinite(forgetBias)) throw new IllegalArgumentException("LstmCell: forgetBias " + forgetBias + " must be finite");
        this.in = in;
        this.hidden = hidden;
        double b = 1 / Math.sqrt(hidden);
        this.wi = p.param("weight_ih", Init.uniform(rng, 4 * hidden * in, b), 4 * hidden, in);
        this.wh = p.param("weight_hh", Init.uniform(rng, 4 * hidden * hidden, b), 4 * hidden, hidden);
        float[] bias = Init.uniform(rng, 4 * hidden, b);
        for (int j = hidden; j < 2 * hidden; j++) bias[j] += forgetBias;        // the f block
        this.bi = p.param("bias_ih", bias, 4 * hidden);
        this.bh = p.param("bias_hh", Init.uniform(rng, 4 * hidden, b), 4 * hidden);
    }

    /** One step: x [B, in], state (h, c) [B, H] -> (h', c') [B, H] (fused kernel). */
    public LstmState apply(Var x, LstmState s) {
        check(x, 2, s);
        return RecurrentOps.lstmCell(x, s.h(), s.c(), wi, wh, bi, bh);
    }

    /** The same step composed from primitives (reference; slower). */
    public LstmState applyComposed(Var x, LstmState s) {
        check(x, 2, s);
        return RecurrentOps.lstmCellComposed(x, s.h(), s.c(), wi, wh, bi, bh);
    }

    /**
     * T steps: xs [T, B, in] from {@code start} (null: zeros) -> every step's (h_t, c_t) as
     * [T, B, H] each; {@link LstmState#step} of the result at T - 1 carries on.
     */
    public LstmState sequence(Var xs, LstmState start) {
        check(xs, 3, start);
        return RecurrentOps.lstm(xs, start == null ? null : start.h(), start == null ? null : start.c(), wi, wh, bi, bh);
    }

    /** The zero state for a batch of {@code batch}. */
    public LstmState zeroState(int batch) {
        return LstmState.zeros(batch, hidden);
    }

    private void check(Var x, int rank, LstmState s) {
        boolean stateOk = s == null || s.h().rank() == 2 && s.h().dim(-1) == hidden && s.h().dim(0) == x.dim(rank - 2);
        if (x.rank() != rank || x.dim(-1) != in || !stateOk)
            throw new IllegalArgumentException("LstmCell(" + in + " -> " + hidden + "): x " + java.util.Arrays.toString(x.shape())
                    + (s == null ? "" : ", h " + java.util.Arrays.toString(s.h().shape())) + ", expected x "
                    + (rank == 3 ? "[T, B, " : "[B, ") + in + "] and state [B, " + hidden + "]");
    }

    public int in() {
        return in;
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
