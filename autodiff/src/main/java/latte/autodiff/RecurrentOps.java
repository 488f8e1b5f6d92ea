package latte.autodiff;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import latte.core.Parallel;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Lstm;

/**
 * Differentiable recurrent primitives beside {@link Ops}: the LSTM cell as one fused kernel
 * ({@link Lstm}), for one step and for a whole sequence. Weights as PyTorch stores them, gate
 * blocks in PyTorch's order i, f, g, o along the 4H axis:
 * <pre>
 *   i = σ(x wi_iᵀ + bi_i + h wh_iᵀ + bh_i)   f, o likewise   g = tanh(x wi_gᵀ + bi_g + h wh_gᵀ + bh_g)
 *   c' = f c + i g        h' = o tanh(c')
 * </pre>
 * Each op records one node whose backward runs the kernel's backward from the gates it cached,
 * accumulating into every input that needs a gradient; h' and c' are views of that node's output.
 * {@link #lstmCellComposed} is the same cell built from primitives, the reference for the fused one.
 */
public final class RecurrentOps {
    private RecurrentOps() {}

    /**
     * One LSTM step: x [B, In], h, c [B, H], wi [4H, In], wh [4H, H], bi, bh [4H] or null
     * -> (h', c') [B, H]. Backward from the cached gates [i, f, g, o, tanh c']:
     * dcT = dc' + dh' o (1 - tanh² c'); dG = [dcT g i(1-i), dcT c f(1-f), dcT i (1-g²), dh' tanh c' o(1-o)];
     * dx += dG wi, dh += dG wh, dc += dcT f, dwi += dGᵀ x, dwh += dGᵀ h, dbi, dbh += Σ_b dG.
     */
    public static LstmState lstmCell(Var x, Var h, Var c, Var wi, Var wh, Var bi, Var bh) {
        int b = x.rank() == 2 ? x.shape[0] : -1, in = x.dim(-1), hid = h.dim(-1);
        if (x.rank() != 2 || h.rank() != 2 || !Arrays.equals(h.shape, c.shape) || h.shape[0] != b)
            throw new IllegalArgumentException("lstmCell: x " + Shapes.str(x.shape) + ", h " + Shapes.str(h.shape) + ", c "
                    + Shapes.str(c.shape) + ": expected x [B, In], h and c [B, H]");
        checkWeights("lstmCell", in, hid, wi, wh, bi, bh);
        boolean rec = needs(x, h, c, wi, wh, bi, bh);
        int n = b * hid;
        float[] y = new float[2 * n];                                            // [h' ; c'] = [2, B, H]
        float[] saved = rec ? new float[Lstm.savedSize(b, hid)] : null;
        Lstm.forward(b, in, hid, x.data, x.off, h.data, h.off, c.data, c.off, wi.data, wi.off, wh.data, wh.off,
                arr(bi), off(bi), arr(bh), off(bh), y, 0, y, n, saved, 0, Parallel.threads());
        Var out = new Var(y, 0, new int[] {2, b, hid}, rec);
        record("lstmCell", out, () -> Lstm.backward(b, in, hid, x.data, x.off, h.data, h.off, c.data, c.off,
                wi.data, wi.off, wh.data, wh.off, saved, 0, out.grad, out.goff, out.grad, out.goff + n,
                grad(x), x.goff, grad(h), h.goff, grad(c), c.goff, grad(wi), wi.goff, grad(wh), wh.goff,
                grad(bi), bi == null ? 0 : bi.goff, grad(bh), bh == null ? 0 : bh.goff, true, Parallel.threads()));
        return new LstmState(view(out, 0, b, hid), view(out, n, b, hid));
    }

    /**
     * T LSTM steps in one node: x [T, B, In] from (h0, c0) [B, H] (null: zeros) -> every step's
     * (h_t, c_t) as [T, B, H] each (views of one [2, T, B, H] output). The input products of all
     * steps run as one GEMM, and so do the weight gradients of the backward (backpropagation
     * through time in {@link Lstm#sequenceBackward}); gradients reach x, h0, c0 and the weights
     * from any h_t and c_t.
     */
    public static LstmState lstm(Var x, Var h0, Var c0, Var wi, Var wh, Var bi, Var bh) {
        if (x.rank() != 3) throw new IllegalArgumentException("lstm: x " + Shapes.str(x.shape) + ", expected [T, B, In]");
        int t = x.shape[0], b = x.shape[1], in = x.shape[2], hid = wh.rank() == 2 ? wh.shape[1] : -1;
        for (Var s : new Var[] {h0, c0})
            if (s != null && !Arrays.equals(s.shape, new int[] {b, hid}))
                throw new IllegalArgumentException("lstm: initial state " + Shapes.str(s.shape) + ", expected [" + b + ", " + hid
                        + "] for x " + Shapes.str(x.shape) + " and wh " + Shapes.str(wh.shape));
        checkWeights("lstm", in, hid, wi, wh, bi, bh);
        boolean rec = needs(x, h0, c0, wi, wh, bi, bh);
        int n = t * b * hid;
        float[] y = new float[2 * n];                                            // [hs ; cs] = [2, T, B, H]
        float[] saved = rec ? new float[t * Lstm.savedSize(b, hid)] : null;
        Lstm.sequenceForward(t, b, in, hid, x.data, x.off, arr(h0), off(h0), arr(c0), off(c0), wi.data, wi.off,
                wh.data, wh.off, arr(bi), off(bi), arr(bh), off(bh), y, 0, y, n, saved, 0, Parallel.threads());
        Var out = new Var(y, 0, new int[] {2, t, b, hid}, rec);
        record("lstm", out, () -> Lstm.sequenceBackward(t, b, in, hid, x.data, x.off, arr(h0), off(h0), arr(c0), off(c0),
                wi.data, wi.off, wh.data, wh.off, y, 0, y, n, saved, 0, out.grad, out.goff, out.grad, out.goff + n,
                grad(x), x.goff, grad(h0), h0 == null ? 0 : h0.goff, grad(c0), c0 == null ? 0 : c0.goff,
                grad(wi), wi.goff, grad(wh), wh.goff, grad(bi), bi == null ? 0 : bi.goff, grad(bh), bh == null ? 0 : bh.goff,
                true, Parallel.threads()));
        return new LstmState(view(out, 0, t, b, hid), view(out, n, t, b, hid));
    }

    /**
     * The LSTM cell composed from primitives (the reference for {@link #lstmCell}):
     * a = x wiᵀ + bi + h whᵀ + bh [B, 4H]; i, f, o = σ(a_i, a_f, a_o), g = tanh(a_g); c' = f c + i g; h' = o tanh c'.
     */
    public static LstmState lstmCellComposed(Var x, Var h, Var c, Var wi, Var wh, Var bi, Var bh) {
        int hs = h.dim(-1);
        checkWeights("lstmCellComposed", x.dim(-1), hs, wi, wh, bi, bh);
        Var a = add(Composites.linear(x, permute(wi, 1, 0), bi), Composites.linear(h, permute(wh, 1, 0), bh)); // [B, 4H]
        Var i = sigmoid(slice(a, -1, 0, hs)), f = sigmoid(slice(a, -1, hs, 2 * hs));
        Var g = tanh(slice(a, -1, 2 * hs, 3 * hs)), o = sigmoid(slice(a, -1, 3 * hs, 4 * hs));
        Var c2 = add(mul(f, c), mul(i, g));                                    // [B, H]
        return new LstmState(mul(o, tanh(c2)), c2);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A view of {@code shape} at {@code offset} into {@code y}'s value, sharing its array: one
     * output of a multi-output node. Backward: dy[offset ..] += d view.
     */
    private static Var view(Var y, int offset, int... shape) {
        Var v = new Var(y.data, y.off + offset, shape, y.requiresGrad);
        if (v.requiresGrad) Tape.current().add("view", v, () -> Elementwise.axpy(1f, v.grad, v.goff, y.g(), y.goff + offset, v.size));
        return v;
    }

    private static boolean needs(Var... in) {
        if (Tape.current() == null) return false;
        for (Var v : in) if (v != null && v.requiresGrad) return true;
        return false;
    }

    private static void record(String op, Var y, Tape.Backward backward) {
        if (y.requiresGrad) Tape.current().add(op, y, backward);
    }

    private static float[] arr(Var v) {
        return v == null ? null : v.data;
    }

    private static int off(Var v) {
        return v == null ? 0 : v.off;
    }

    /** The gradient buffer to accumulate into, or null when {@code v} is absent or needs none. */
    private static float[] grad(Var v) {
        return v != null && v.requiresGrad ? v.g() : null;
    }

    private static void checkWeights(String op, int in, int hid, Var wi, Var wh, Var bi, Var bh) {
        List<String> bad = new ArrayList<>();
        if (!Arrays.equals(wi.shape, new int[] {4 * hid, in})) bad.add("wi " + Shapes.str(wi.shape));
        if (!Arrays.equals(wh.shape, new int[] {4 * hid, hid})) bad.add("wh " + Shapes.str(wh.shape));
        if (bi != null && bi.size != 4 * hid) bad.add("bi " + Shapes.str(bi.shape));
        if (bh != null && bh.size != 4 * hid) bad.add("bh " + Shapes.str(bh.shape));
        if (!bad.isEmpty())
            throw new IllegalArgumentException(op + ": " + String.join(", ", bad) + " with In = " + in + ", H = " + hid
                    + ": expected wi [4H, In], wh [4H, H], biases [4H]");
    }
}
