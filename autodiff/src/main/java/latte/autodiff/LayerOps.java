package latte.autodiff;

import java.util.Arrays;
import latte.core.Backend;
import latte.core.Backends;
import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Gru;
import latte.core.kernels.Reduce;

import static latte.autodiff.Ops.rowBlocks;
import static latte.autodiff.Recorder.needs;
import static latte.autodiff.Recorder.record;
import static latte.autodiff.Recorder.result;

/**
 * The differentiable primitives of the layers, where the GEMM and convolution work is: the fused
 * dense layer, batched matmul, 2-D convolution and transposed convolution (NHWC), and the fused
 * GRU cell. Conventions as in {@link Ops}.
 *
 * <p>Every GEMM, convolution and GRU step here, forward and backward, runs on
 * {@link Backends#current()}, asked once per forward and once per backward (so a backend
 * installed with {@link Backends#use} for a scope sees the work of every thread). The CPU
 * backend runs the very kernels ({@code Gemm}, {@code Conv2d}, {@code ConvTranspose2d},
 * {@code Gru}) these ops called directly before, so the results are the same bits. The bias
 * gradients of the convolutions are a row sum ({@code backwardBias}) and stay on the CPU.
 */
public final class LayerOps {
    private LayerOps() {}

    /**
     * A dense layer with its activation fused: y = f(x W + b) for x [.., In], w [In, Out], b [Out]
     * or null -> [.., Out]. One GEMM, then b and f in place on its output, one block of rows at a
     * time (one pass over y for both). f is differentiated from y alone ({@link FusedActivation}), so the
     * layer keeps the one array y:
     * <pre>  dz = dy f'(y);  dx += dz W^T;  dW += x^T dz;  db += sum over rows of dz.</pre>
     * dz overwrites y's gradient, which the tape releases after this step anyway.
     */
    public static Var linear(Var x, Var w, Var b, FusedActivation f) {
        checkLinear("linear", x, w, b);
        int k = w.dim(0), n = w.dim(1), m = x.size / k;
        float[] y = new float[m * n];
        Backends.current().sgemm(false, false, m, n, k, 1f, x.data, x.off, k, w.data, w.off, n, 0f, y, 0, n);
        rowBlocks(m, n, (r0, r1) -> {
            if (b != null) Elementwise.addRow(b.data, b.off, y, r0 * n, r1 - r0, n);
            f.apply(y, r0 * n, (r1 - r0) * n);
        });
        return recordLinear(x, w, b, f, y, 0);
    }

    /**
     * {@link #linear} with its forward already done: {@code given} is an earlier result
     * f(x' W + b) whose first rows were computed from the rows of x (same values, same W and b),
     * for instance a pass under frozen parameters whose activations a second loss reuses. Only the
     * backward is recorded; the result shares {@code given}'s array.
     */
    public static Var linearFrom(Var x, Var w, Var b, FusedActivation f, Var given) {
        checkLinear("linearFrom", x, w, b);
        int k = w.dim(0), n = w.dim(1), m = x.size / k;
        if (given.dim(-1) != n || given.size < m * n)
            throw new IllegalArgumentException("linearFrom: given " + Shapes.str(given.shape) + " has fewer than " + m
                    + " rows of " + n + " (x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ")");
        return recordLinear(x, w, b, f, given.data, given.off);
    }

    private static void checkLinear(String op, Var x, Var w, Var b) {
        if (x.rank() < 1 || w.rank() != 2 || x.dim(-1) != w.dim(0) || b != null && (b.rank() != 1 || b.dim(0) != w.dim(1)))
            throw new IllegalArgumentException(op + ": x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ", b "
                    + (b == null ? "none" : Shapes.str(b.shape)) + ": expected x [.., In], w [In, Out], b [Out]");
    }

    /** The result y (rows at yOff of an array) of a fused dense layer and its backward. */
    private static Var recordLinear(Var x, Var w, Var b, FusedActivation f, float[] y, int yOff) {
        int k = w.dim(0), n = w.dim(1), m = x.size / k;
        int[] s = x.shape.clone();
        s[s.length - 1] = n;
        Var out = b == null ? new Var(y, yOff, s, needs(x, w)) : new Var(y, yOff, s, needs(x, w, b));
        return record("linear", out, () -> {
            float[] dz = out.grad;
            rowBlocks(m, n, (r0, r1) -> f.chain(y, yOff + r0 * n, dz, r0 * n, (r1 - r0) * n));
            if (b != null && b.requiresGrad) Reduce.sumRows(dz, 0, m, n, b.g(), b.goff, true);
            Backend be = Backends.current();
            if (x.requiresGrad) be.sgemm(false, true, m, k, n, 1f, dz, 0, n, w.data, w.off, n, 1f, x.g(), x.goff, k);
            if (w.requiresGrad) be.sgemm(true, false, k, n, m, 1f, x.data, x.off, k, dz, 0, n, 1f, w.g(), w.goff, n);
        });
    }

    /**
     * Batched matrix product y = a b: [.., M, K] x [.., K, N] -> [.., M, N], batch dims
     * broadcast. A rank-2 b is shared by all rows of a (folded into one GEMM: [R, K] x [K, N]).
     * da += dy b^T, db += a^T dy (summed over broadcast batches).
     */
    public static Var matmul(Var a, Var b) {
        if (a.rank() < 1 || b.rank() < 2)
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape) + ": need a of rank >= 1 and b of rank >= 2");
        int k = a.dim(-1), kb = b.dim(-2), n = b.dim(-1);
        if (k != kb) throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape) + ": inner dims " + k + " != " + kb);
        int[] s, ia, ib;
        int m, batches;
        if (b.rank() == 2) { // fold a's leading dims into the rows
            m = Shapes.size(Arrays.copyOf(a.shape, a.rank() - 1));
            batches = 1;
            s = a.shape.clone();
            s[s.length - 1] = n;
            ia = ib = new int[] {0};
        } else {
            if (a.rank() < 2) throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape) + ": batched b needs a of rank >= 2");
            m = a.dim(-2);
            int[] ba = Arrays.copyOf(a.shape, a.rank() - 2), bb = Arrays.copyOf(b.shape, b.rank() - 2);
            int[] bs = Shapes.broadcast("matmul", ba, bb);
            ia = Shapes.broadcastIndex(ba, bs);
            ib = Shapes.broadcastIndex(bb, bs);
            batches = ia.length;
            s = Arrays.copyOf(bs, bs.length + 2);
            s[bs.length] = m;
            s[bs.length + 1] = n;
        }
        final int M = m, B = batches;
        // Entry t multiplies block ia[t] of a by block ib[t] of b. When both step evenly (a plain
        // batch, or one operand broadcast: step 0) the batch is one strided sgemmBatched.
        int stepA = step(ia), stepB = step(ib), sa = stepA * M * k, sb = stepB * k * n;
        boolean strided = stepA >= 0 && stepB >= 0;
        float[] y = new float[B * M * n];
        Backend be = Backends.current();
        if (strided) be.sgemmBatched(false, false, M, n, k, 1f, a.data, a.off, k, sa, b.data, b.off, n, sb, 0f, y, 0, n, M * n, B);
        else for (int t = 0; t < B; t++)
            be.sgemm(false, false, M, n, k, 1f, a.data, a.off + ia[t] * M * k, k, b.data, b.off + ib[t] * k * n, n, 0f, y, t * M * n, n);
        Var out = result(y, s, a, b);
        return record("matmul", out, () -> {
            float[] dy = out.grad;
            Backend bb = Backends.current();
            if (strided && a != b) { // da and db are separate arrays: each still sums its batches in order t = 0, 1, ..
                if (a.requiresGrad) bb.sgemmBatched(false, true, M, k, n, 1f, dy, 0, n, M * n, b.data, b.off, n, sb, 1f, a.g(), a.goff, k, sa, B);
                if (b.requiresGrad) bb.sgemmBatched(true, false, k, n, M, 1f, a.data, a.off, k, sa, dy, 0, n, M * n, 1f, b.g(), b.goff, n, sb, B);
                return;
            }
            for (int t = 0; t < B; t++) {
                if (a.requiresGrad)
                    bb.sgemm(false, true, M, k, n, 1f, dy, t * M * n, n, b.data, b.off + ib[t] * k * n, n, 1f, a.g(), a.goff + ia[t] * M * k, k);
                if (b.requiresGrad)
                    bb.sgemm(true, false, k, n, M, 1f, a.data, a.off + ia[t] * M * k, k, dy, t * M * n, n, 1f, b.g(), b.goff + ib[t] * k * n, n);
            }
        });
    }

    // ---------------------------------------------------------------- convolutions (NHWC)

    /** s when block index {@code idx[t] = t s} for every t (0 for a broadcast operand), else -1. */
    private static int step(int[] idx) {
        int s = idx.length > 1 ? idx[1] : 0;
        for (int t = 0; t < idx.length; t++) if (idx[t] != t * s) return -1;
        return s;
    }

    /**
     * 2-D convolution (cross-correlation) over NHWC activations with HWIO weights, via the
     * im2col + GEMM kernels of {@link Conv2d}:
     * x [N, H, W, Cin], w [KH, KW, Cin, Cout], b [Cout] or null -> y [N, OH, OW, Cout] with
     * OH = (H + 2 padH - KH) / strideH + 1 and
     * y[n,oy,ox,co] = b[co] + sum_{ky,kx,ci} x[n, oy sh - ph + ky, ox sw - pw + kx, ci] w[ky,kx,ci,co].
     * dx += col2im(dy W^T), dw += col^T dy, db += sum_{n,oy,ox} dy.
     */
    public static Var conv2d(Var x, Var w, Var b, int strideH, int strideW, int padH, int padW) {
        if (x.rank() != 4 || w.rank() != 4 || w.shape[2] != x.shape[3] || b != null && (b.rank() != 1 || b.shape[0] != w.shape[3]))
            throw new IllegalArgumentException("conv2d: x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ", b "
                    + (b == null ? "none" : Shapes.str(b.shape)) + ": expected x [N,H,W,Cin], w [KH,KW,Cin,Cout], b [Cout]");
        ConvGeometry g = ConvGeometry.conv(x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[3], w.shape[0], w.shape[1], strideH, strideW, padH, padW);
        float[] y = new float[g.outSize()];
        Backends.current().conv2dForward(g, x.data, x.off, w.data, w.off, b == null ? null : b.data, b == null ? 0 : b.off, y, 0);
        Var out = b == null ? result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w)
                : result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w, b);
        return record("conv2d", out, () -> {
            Backend be = Backends.current();
            if (x.requiresGrad) be.conv2dBackwardInput(g, out.grad, 0, w.data, w.off, x.g(), x.goff, true);
            if (w.requiresGrad) be.conv2dBackwardWeight(g, x.data, x.off, out.grad, 0, w.g(), w.goff, true);
            if (b != null && b.requiresGrad) Conv2d.backwardBias(g, out.grad, 0, b.g(), b.goff, true);
        });
    }

    /** {@link #conv2d(Var, Var, Var, int, int, int, int)} with square stride and padding. */
    public static Var conv2d(Var x, Var w, Var b, int stride, int pad) {
        return conv2d(x, w, b, stride, stride, pad, pad);
    }

    /**
     * 2-D transposed convolution, the adjoint of conv2d (the decoder's upsampling), via
     * {@link ConvTranspose2d}: x [N, H, W, Cin], w [KH, KW, Cout, Cin], b [Cout] or null ->
     * y [N, OH, OW, Cout] with OH = (H - 1) strideH - 2 padH + KH + outPadH and
     * y[n, iy sh - ph + ky, ix sw - pw + kx, co] += sum_ci x[n,iy,ix,ci] w[ky,kx,co,ci] (+ b[co]).
     * dx += im2col(dy) W, dw += im2col(dy)^T x, db += sum_{n,oy,ox} dy.
     */
    public static Var convTranspose2d(Var x, Var w, Var b, int strideH, int strideW, int padH, int padW, int outPadH, int outPadW) {
        if (x.rank() != 4 || w.rank() != 4 || w.shape[3] != x.shape[3] || b != null && (b.rank() != 1 || b.shape[0] != w.shape[2]))
            throw new IllegalArgumentException("convTranspose2d: x " + Shapes.str(x.shape) + ", w " + Shapes.str(w.shape) + ", b "
                    + (b == null ? "none" : Shapes.str(b.shape)) + ": expected x [N,H,W,Cin], w [KH,KW,Cout,Cin], b [Cout]");
        ConvGeometry g = ConvGeometry.convTranspose(x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[2], w.shape[0], w.shape[1],
                strideH, strideW, padH, padW, outPadH, outPadW);
        float[] y = new float[g.outSize()];
        Backends.current().convTranspose2dForward(g, x.data, x.off, w.data, w.off, b == null ? null : b.data, b == null ? 0 : b.off, y, 0);
        Var out = b == null ? result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w)
                : result(y, new int[] {g.batch(), g.outH(), g.outW(), g.outC()}, x, w, b);
        return record("convTranspose2d", out, () -> {
            Backend be = Backends.current();
            if (x.requiresGrad) be.convTranspose2dBackwardInput(g, out.grad, 0, w.data, w.off, x.g(), x.goff, true);
            if (w.requiresGrad) be.convTranspose2dBackwardWeight(g, x.data, x.off, out.grad, 0, w.g(), w.goff, true);
            if (b != null && b.requiresGrad) ConvTranspose2d.backwardBias(g, out.grad, 0, b.g(), b.goff, true);
        });
    }

    /** {@link #convTranspose2d(Var, Var, Var, int, int, int, int, int, int)}, square, no padding. */
    public static Var convTranspose2d(Var x, Var w, Var b, int stride) {
        return convTranspose2d(x, w, b, stride, stride, 0, 0, 0, 0);
    }

    // ---------------------------------------------------------------- fused GRU cell

    /**
     * One GRU cell step fused into one kernel ({@link Gru}: two GEMMs and one vectorised gate
     * pass), PyTorch's GRUCell with weights as PyTorch stores them:
     * x [B, In], h [B, H], wi [3H, In], wh [3H, H], bi, bh [3H] or null -> h' [B, H], with
     * r = sigmoid(x wi_r^T + bi_r + h wh_r^T + bh_r), z likewise, n = tanh(x wi_n^T + bi_n + r (h wh_n^T + bh_n)),
     * h' = (1 - z) n + z h. The backward (in {@link Gru#backward}) accumulates dx, dh, dwi, dwh, dbi, dbh
     * from the saved gates [r, z, n, hn]. {@link Composites#gruCell} is the composed reference.
     */
    public static Var gruCell(Var x, Var h, Var wi, Var wh, Var bi, Var bh) {
        int bsz = x.rank() == 2 ? x.shape[0] : -1, in = x.dim(-1), hid = h.dim(-1);
        if (x.rank() != 2 || h.rank() != 2 || h.shape[0] != bsz || !Arrays.equals(wi.shape, new int[] {3 * hid, in})
                || !Arrays.equals(wh.shape, new int[] {3 * hid, hid}) || bi != null && bi.size != 3 * hid || bh != null && bh.size != 3 * hid)
            throw new IllegalArgumentException("gruCell: x " + Shapes.str(x.shape) + ", h " + Shapes.str(h.shape) + ", wi " + Shapes.str(wi.shape)
                    + ", wh " + Shapes.str(wh.shape) + ": expected x [B, In], h [B, H], wi [3H, In], wh [3H, H], biases [3H]");
        Var[] in6 = bi == null ? (bh == null ? new Var[] {x, h, wi, wh} : new Var[] {x, h, wi, wh, bh})
                : bh == null ? new Var[] {x, h, wi, wh, bi} : new Var[] {x, h, wi, wh, bi, bh};
        boolean rec = needs(in6);
        float[] y = new float[bsz * hid];
        float[] saved = rec ? new float[Gru.savedSize(bsz, hid)] : null;
        Backends.current().gruForward(bsz, in, hid, x.data, x.off, h.data, h.off, wi.data, wi.off, wh.data, wh.off,
                bi == null ? null : bi.data, bi == null ? 0 : bi.off, bh == null ? null : bh.data, bh == null ? 0 : bh.off, y, 0, saved, 0);
        Var out = new Var(y, 0, new int[] {bsz, hid}, rec);
        return record("gruCell", out, () -> Backends.current().gruBackward(bsz, in, hid, x.data, x.off, h.data, h.off, wi.data, wi.off, wh.data, wh.off,
                saved, 0, out.grad, 0,
                x.requiresGrad ? x.g() : null, x.goff, h.requiresGrad ? h.g() : null, h.goff,
                wi.requiresGrad ? wi.g() : null, wi.goff, wh.requiresGrad ? wh.g() : null, wh.goff,
                bi != null && bi.requiresGrad ? bi.g() : null, bi == null ? 0 : bi.goff,
                bh != null && bh.requiresGrad ? bh.g() : null, bh == null ? 0 : bh.goff, true));
    }
}
