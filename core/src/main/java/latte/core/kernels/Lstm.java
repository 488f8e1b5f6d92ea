package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import latte.core.Parallel;

/**
 * LSTM cell steps with PyTorch's {@code LSTMCell} semantics (gate blocks in PyTorch's order
 * i, f, g, o along the 4H axis), forward and backward, one step or a whole sequence, with the
 * gate arithmetic fused into one vectorised pass.
 *
 * <pre>
 *   x [B, I]   h, c [B, H]   wi [4H, I]   wh [4H, H]   bi, bh [4H]   (gate blocks i, f, g, o)
 *   a  = x · wiᵀ + h · whᵀ + bi + bh                // [B, 4H]
 *   i  = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * Backward, from {@code dh'} and {@code dc'} (either may be absent: zeros):
 * <pre>
 *   dcT = dc' + dh' ⊙ o ⊙ (1 − tanh²c')                  // everything that reaches c'
 *   a_i = dcT ⊙ g ⊙ i(1 − i)    a_f = dcT ⊙ c ⊙ f(1 − f)
 *   a_g = dcT ⊙ i ⊙ (1 − g²)    a_o = dh' ⊙ tanh c' ⊙ o(1 − o)
 *   dG = [a_i, a_f, a_g, a_o]                            // [B, 4H], the same for both products
 *   dx = dG · wi    dh = dG · wh    dc = dcT ⊙ f
 *   dwi = dGᵀ · x   dwh = dGᵀ · h   dbi = dbh = Σ_b dG
 * </pre>
 * The forward saves {@code [i, f, g, o, tanh c']} per row ({@link #savedSize}: 5H floats); the
 * pre-activations are computed into that same buffer (row stride 5H) and replaced in place by the
 * gates, so a step with a backward needs no scratch. Weights are PyTorch's {@code weight_ih} /
 * {@code weight_hh} as stored, so checkpoints map 1:1. There is no built-in forget-gate bias
 * (TensorFlow's {@code forget_bias = 1}): set it in the initial value of the f block of a bias.
 *
 * <p>The sequence variants ({@link #sequenceForward}, {@link #sequenceBackward}) run T steps in one
 * call, as {@code torch.nn.LSTM} does: the input products of all T·B rows are one GEMM, and so are
 * the three weight-gradient products of the backward; only {@code h · whᵀ} and {@code dG · wh}
 * stay per step. {@link #forwardScalar} / {@link #backwardScalar} are the plain-loop references;
 * a sequence is checked against them stepped by hand.
 */
public final class Lstm {
    private Lstm() {}

    /** Floats one step saves for the backward: {@code [B, 5H]} = i, f, g, o, tanh c'. */
    public static int savedSize(int batch, int hidden) {
        return 5 * batch * hidden;
    }

    // ---------------------------------------------------------------- one step

    /**
     * {@code (hOut, cOut) = LSTMCell(x, (h, c))} on at most {@code threads} threads. {@code c},
     * {@code bi} and {@code bh} may be null (zeros); {@code saved} may be null when no backward follows.
     * {@code hOut} may be {@code h} and {@code cOut} may be {@code c} (same array and offset) for
     * an in-place step.
     */
    public static void forward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff, float[] c, int cOff,
                               float[] wi, int wiOff, float[] wh, int whOff, float[] bi, int biOff, float[] bh, int bhOff,
                               float[] hOut, int hOutOff, float[] cOut, int cOutOff, float[] saved, int savedOff, int threads) {
        String op = "Lstm.forward";
        checkStep(op, batch, in, hidden, x, xOff, h, hOff, c, cOff, wi, wiOff, wh, whOff);
        checkBias(op, hidden, bi, biOff, bh, bhOff);
        Conv2d.checkArray(op, "hOut [" + batch + "," + hidden + "]", hOut, hOutOff, batch * hidden);
        Conv2d.checkArray(op, "cOut [" + batch + "," + hidden + "]", cOut, cOutOff, batch * hidden);
        checkAlias(op, "hOut", hOut, hOutOff, "h", h, hOff, batch * hidden);
        checkAlias(op, "cOut", cOut, cOutOff, "c", c, cOff, batch * hidden);
        if (saved != null) Conv2d.checkArray(op, "saved [" + batch + "," + 5 * hidden + "]", saved, savedOff, savedSize(batch, hidden));
        int ld = 5 * hidden;
        // the Gru scratch slot: this kernel never runs inside a Gru call, nor a Gru inside this one
        float[] s = saved != null ? saved : Scratch.get(Scratch.GRU, batch * ld);
        int so = saved != null ? savedOff : 0;
        Gemm.sgemm(false, true, batch, 4 * hidden, in, 1f, x, xOff, in, wi, wiOff, in, 0f, s, so, ld, threads);
        Gemm.sgemm(false, true, batch, 4 * hidden, hidden, 1f, h, hOff, hidden, wh, whOff, hidden, 1f, s, so, ld, threads);
        gatePass(batch, hidden, s, so, bi, biOff, bh, bhOff, c, cOff, hOut, hOutOff, cOut, cOutOff, threads);
    }

    /** Adds the biases, applies the gates in place (row stride 5H) and writes c', h' for every row. */
    private static void gatePass(int batch, int H, float[] s, int so, float[] bi, int biOff, float[] bh, int bhOff,
                                 float[] c, int cOff, float[] hOut, int hOutOff, float[] cOut, int cOutOff, int threads) {
        // a missing bias (or initial c) reads as zeros: no branch on vectors inside the gate loop
        float[] bI = bi == null ? Gru.zeros(4 * H) : bi, bH = bh == null ? Gru.zeros(4 * H) : bh;
        int bIOff = bi == null ? 0 : biOff, bHOff = bh == null ? 0 : bhOff;
        float[] cc = c == null ? Gru.zeros(batch * H) : c;
        int ccOff = c == null ? 0 : cOff;
        Parallel.forRange(batch, gateParts(threads, batch, H), (lo, hi) -> {
            for (int b = lo; b < hi; b++)
                gatesRow(H, s, so + b * 5 * H, bI, bIOff, bH, bHOff, cc, ccOff + b * H, hOut, hOutOff + b * H,
                        cOut, cOutOff + b * H);
        });
    }

    /**
     * The fused gate pass of one row: pre-activations at {@code s[so, so + 4H)} (without biases) in,
     * gates {@code [i, f, g, o, tanh c']} out at {@code s[so, so + 5H)}, and {@code h', c'}. No vector
     * variable is reassigned under a branch (C2 would box it on every iteration).
     */
    static void gatesRow(int H, float[] s, int so, float[] bi, int bio, float[] bh, int bho, float[] c, int co,
                         float[] hOut, int ho, float[] cOut, int cOutO) {
        int j = 0;
        for (int bound = Simd.F.loopBound(H); j < bound; j += Simd.LANES) {
            FloatVector i = VecMath.sigmoid(pre(s, so + j, bi, bio + j, bh, bho + j));
            FloatVector f = VecMath.sigmoid(pre(s, so + H + j, bi, bio + H + j, bh, bho + H + j));
            FloatVector g = VecMath.tanh(pre(s, so + 2 * H + j, bi, bio + 2 * H + j, bh, bho + 2 * H + j));
            FloatVector o = VecMath.sigmoid(pre(s, so + 3 * H + j, bi, bio + 3 * H + j, bh, bho + 3 * H + j));
            FloatVector cn = f.fma(FloatVector.fromArray(Simd.F, c, co + j), i.mul(g));
            FloatVector tc = VecMath.tanh(cn);
            i.intoArray(s, so + j);
            f.intoArray(s, so + H + j);
            g.intoArray(s, so + 2 * H + j);
            o.intoArray(s, so + 3 * H + j);
            tc.intoArray(s, so + 4 * H + j);
            cn.intoArray(cOut, cOutO + j);
            o.mul(tc).intoArray(hOut, ho + j);
        }
        for (; j < H; j++) {
            float i = VecMath.sigmoid(s[so + j] + bi[bio + j] + bh[bho + j]);
            float f = VecMath.sigmoid(s[so + H + j] + bi[bio + H + j] + bh[bho + H + j]);
            float g = VecMath.tanh(s[so + 2 * H + j] + bi[bio + 2 * H + j] + bh[bho + 2 * H + j]);
            float o = VecMath.sigmoid(s[so + 3 * H + j] + bi[bio + 3 * H + j] + bh[bho + 3 * H + j]);
            float cn = Math.fma(f, c[co + j], i * g), tc = VecMath.tanh(cn);
            s[so + j] = i;
            s[so + H + j] = f;
            s[so + 2 * H + j] = g;
            s[so + 3 * H + j] = o;
            s[so + 4 * H + j] = tc;
            cOut[cOutO + j] = cn;
            hOut[ho + j] = o * tc;
        }
    }

    private static FloatVector pre(float[] s, int si, float[] bi, int bio, float[] bh, int bho) {
        return FloatVector.fromArray(Simd.F, s, si).add(FloatVector.fromArray(Simd.F, bi, bio))
                .add(FloatVector.fromArray(Simd.F, bh, bho));
    }

    /**
     * Gradients of one step from {@code dhOut = ∂L/∂h'} and {@code dcOut = ∂L/∂c'} (either may be
     * null: zero), using what {@link #forward} saved (left unchanged). Any of
     * {@code dx, dh, dc, dwi, dwh, dbi, dbh} may be null (not wanted); {@code accumulate} adds into
     * the wanted ones instead of overwriting them.
     */
    public static void backward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff, float[] c, int cOff,
                                float[] wi, int wiOff, float[] wh, int whOff, float[] saved, int savedOff,
                                float[] dhOut, int dhOutOff, float[] dcOut, int dcOutOff,
                                float[] dx, int dxOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi, int dbiOff,
                                float[] dbh, int dbhOff, boolean accumulate, int threads) {
        String op = "Lstm.backward";
        checkStep(op, batch, in, hidden, x, xOff, h, hOff, c, cOff, wi, wiOff, wh, whOff);
        checkGrads(op, batch, in, hidden, saved, savedOff, 1, dhOut, dhOutOff, dcOut, dcOutOff, dx, dxOff, dh, dhOff,
                dc, dcOff, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff);
        if (dh == h) throw new IllegalArgumentException(op + ": dh must not share the array of h (h is read by"
                + " the weight gradient after dh is written)");
        int H = hidden, g4 = 4 * H;
        float[] dg = Scratch.get(Scratch.GRU, batch * g4);
        float[] dH = dhOut == null ? Gru.zeros(batch * H) : dhOut, dC = dcOut == null ? Gru.zeros(batch * H) : dcOut;
        int dHOff = dhOut == null ? 0 : dhOutOff, dCOff = dcOut == null ? 0 : dcOutOff;
        float[] cc = c == null ? Gru.zeros(batch * H) : c;
        int ccOff = c == null ? 0 : cOff;
        Parallel.forRange(batch, gateParts(threads, batch, H), (lo, hi) -> {
            for (int b = lo; b < hi; b++)
                gateGradRow(H, dH, dHOff + b * H, dC, dCOff + b * H, cc, ccOff + b * H, saved, savedOff + b * 5 * H,
                        dg, b * g4, dc, dc == null ? 0 : dcOff + b * H, accumulate);
        });
        float beta = accumulate ? 1f : 0f;
        // weight gradients first: they read x and h, so dx and dh may then reuse their storage
        if (dwi != null) Gemm.sgemm(true, false, g4, in, batch, 1f, dg, 0, g4, x, xOff, in, beta, dwi, dwiOff, in, threads);
        if (dwh != null) Gemm.sgemm(true, false, g4, H, batch, 1f, dg, 0, g4, h, hOff, H, beta, dwh, dwhOff, H, threads);
        if (dx != null) Gemm.sgemm(false, false, batch, in, g4, 1f, dg, 0, g4, wi, wiOff, in, beta, dx, dxOff, in, threads);
        if (dh != null) Gemm.sgemm(false, false, batch, H, g4, 1f, dg, 0, g4, wh, whOff, H, beta, dh, dhOff, H, threads);
        if (dbi != null) Reduce.sumRows(dg, 0, batch, g4, dbi, dbiOff, accumulate);
        if (dbh != null) Reduce.sumRows(dg, 0, batch, g4, dbh, dbhOff, accumulate);
    }

    /**
     * The fused backward gate pass of one row: writes {@code dG} at {@code dg[dgO, dgO + 4H)} and
     * (if wanted) {@code dc (+)= dcT ⊙ f}. {@code dg} may be the saved row itself (same array and
     * offset): each element's gates are read before its gradients are written.
     */
    static void gateGradRow(int H, float[] dho, int dhoO, float[] dco, int dcoO, float[] c, int co, float[] saved, int so,
                            float[] dg, int dgO, float[] dc, int dcO, boolean accumulate) {
        FloatVector one = FloatVector.broadcast(Simd.F, 1f);
        int j = 0;
        for (int bound = Simd.F.loopBound(H); j < bound; j += Simd.LANES) {
            FloatVector gh = FloatVector.fromArray(Simd.F, dho, dhoO + j);
            FloatVector i = FloatVector.fromArray(Simd.F, saved, so + j);
            FloatVector f = FloatVector.fromArray(Simd.F, saved, so + H + j);
            FloatVector g = FloatVector.fromArray(Simd.F, saved, so + 2 * H + j);
            FloatVector o = FloatVector.fromArray(Simd.F, saved, so + 3 * H + j);
            FloatVector tc = FloatVector.fromArray(Simd.F, saved, so + 4 * H + j);
            FloatVector dcT = gh.mul(o).mul(one.sub(tc.mul(tc))).add(FloatVector.fromArray(Simd.F, dco, dcoO + j));
            FloatVector cv = FloatVector.fromArray(Simd.F, c, co + j);
            dcT.mul(g).mul(i.mul(one.sub(i))).intoArray(dg, dgO + j);
            dcT.mul(cv).mul(f.mul(one.sub(f))).intoArray(dg, dgO + H + j);
            dcT.mul(i).mul(one.sub(g.mul(g))).intoArray(dg, dgO + 2 * H + j);
            gh.mul(tc).mul(o.mul(one.sub(o))).intoArray(dg, dgO + 3 * H + j);
            if (dc != null && accumulate) dcT.fma(f, FloatVector.fromArray(Simd.F, dc, dcO + j)).intoArray(dc, dcO + j);
            else if (dc != null) dcT.mul(f).intoArray(dc, dcO + j);
        }
        for (; j < H; j++) {
            float gh = dho[dhoO + j], i = saved[so + j], f = saved[so + H + j], g = saved[so + 2 * H + j];
            float o = saved[so + 3 * H + j], tc = saved[so + 4 * H + j];
            float dcT = gh * o * (1 - tc * tc) + dco[dcoO + j];
            float cv = c[co + j];
            dg[dgO + j] = dcT * g * (i * (1 - i));
            dg[dgO + H + j] = dcT * cv * (f * (1 - f));
            dg[dgO + 2 * H + j] = dcT * i * (1 - g * g);
            dg[dgO + 3 * H + j] = gh * tc * (o * (1 - o));
            if (dc != null) dc[dcO + j] = accumulate ? Math.fma(dcT, f, dc[dcO + j]) : dcT * f;
        }
    }

    // ---------------------------------------------------------------- a sequence

    /**
     * T steps from {@code (h0, c0)} (either null: zeros): {@code x [T, B, I]} in,
     * {@code hs, cs [T, B, H]} (every step's state) out. {@code saved [T, B, 5H]} may be null when
     * no backward follows; with it, the input products of all steps run as one GEMM.
     */
    public static void sequenceForward(int steps, int batch, int in, int hidden, float[] x, int xOff,
                                       float[] h0, int h0Off, float[] c0, int c0Off, float[] wi, int wiOff,
                                       float[] wh, int whOff, float[] bi, int biOff, float[] bh, int bhOff,
                                       float[] hs, int hsOff, float[] cs, int csOff, float[] saved, int savedOff, int threads) {
        String op = "Lstm.sequenceForward";
        checkSequence(op, steps, batch, in, hidden, x, xOff, h0, h0Off, c0, c0Off, wi, wiOff, wh, whOff, hs, hsOff, cs, csOff);
        checkBias(op, hidden, bi, biOff, bh, bhOff);
        int H = hidden, bh1 = batch * H, ld = 5 * H;
        if (saved == null) {                                   // inference: one step at a time, scratch gates
            float[] hz = h0 == null ? Gru.zeros(bh1) : h0, cz = c0 == null ? Gru.zeros(bh1) : c0;
            for (int t = 0; t < steps; t++)
                forward(batch, in, H, x, xOff + t * batch * in, t == 0 ? hz : hs, t == 0 ? (h0 == null ? 0 : h0Off) : hsOff + (t - 1) * bh1,
                        t == 0 ? cz : cs, t == 0 ? (c0 == null ? 0 : c0Off) : csOff + (t - 1) * bh1, wi, wiOff, wh, whOff,
                        bi, biOff, bh, bhOff, hs, hsOff + t * bh1, cs, csOff + t * bh1, null, 0, threads);
            return;
        }
        Conv2d.checkArray(op, "saved [" + steps + "," + batch + "," + ld + "]", saved, savedOff, steps * savedSize(batch, H));
        int rows = steps * batch;
        Gemm.sgemm(false, true, rows, 4 * H, in, 1f, x, xOff, in, wi, wiOff, in, 0f, saved, savedOff, ld, threads);
        for (int t = 0; t < steps; t++) {
            int st = savedOff + t * batch * ld;
            if (t > 0) Gemm.sgemm(false, true, batch, 4 * H, H, 1f, hs, hsOff + (t - 1) * bh1, H, wh, whOff, H, 1f, saved, st, ld, threads);
            else if (h0 != null) Gemm.sgemm(false, true, batch, 4 * H, H, 1f, h0, h0Off, H, wh, whOff, H, 1f, saved, st, ld, threads);
            gatePass(batch, H, saved, st, bi, biOff, bh, bhOff, t == 0 ? c0 : cs, t == 0 ? c0Off : csOff + (t - 1) * bh1,
                    hs, hsOff + t * bh1, cs, csOff + t * bh1, threads);
        }
    }

    /**
     * Backpropagation through the T steps of {@link #sequenceForward}, from {@code dhs, dcs [T, B, H]}
     * (the gradients of its outputs; either may be null: zeros). <b>Consumes {@code saved}</b>: the
     * gate block of every row is overwritten by its gate gradients {@code dG}, so the three
     * weight-gradient products run as single GEMMs over all T·B rows without a T·B·4H scratch.
     * Any of {@code dx, dh0, dc0, dwi, dwh, dbi, dbh} may be null; {@code accumulate} adds into the
     * wanted ones. {@code h0}/{@code c0} must be what the forward got (null: zeros).
     */
    public static void sequenceBackward(int steps, int batch, int in, int hidden, float[] x, int xOff,
                                        float[] h0, int h0Off, float[] c0, int c0Off, float[] wi, int wiOff,
                                        float[] wh, int whOff, float[] hs, int hsOff, float[] cs, int csOff,
                                        float[] saved, int savedOff, float[] dhs, int dhsOff, float[] dcs, int dcsOff,
                                        float[] dx, int dxOff, float[] dh0, int dh0Off, float[] dc0, int dc0Off,
                                        float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi, int dbiOff,
                                        float[] dbh, int dbhOff, boolean accumulate, int threads) {
        String op = "Lstm.sequenceBackward";
        checkSequence(op, steps, batch, in, hidden, x, xOff, h0, h0Off, c0, c0Off, wi, wiOff, wh, whOff, hs, hsOff, cs, csOff);
        checkGrads(op, batch, in, hidden, saved, savedOff, steps, dhs, dhsOff, dcs, dcsOff, dx, dxOff, dh0, dh0Off,
                dc0, dc0Off, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff);
        int H = hidden, bh1 = batch * H, ld = 5 * H, g4 = 4 * H, rows = steps * batch;
        float[] s = Scratch.get(Scratch.GRU, 2 * bh1 + g4);
        int dhT = 0, dcC = bh1, dbTmp = 2 * bh1;                // dL/dh_t in all, the carried dL/dc_t, the bias sum
        java.util.Arrays.fill(s, 0, 2 * bh1, 0f);
        if (dhs != null) System.arraycopy(dhs, dhsOff + (steps - 1) * bh1, s, dhT, bh1);
        float[] cz = c0 == null ? Gru.zeros(bh1) : c0;
        for (int t = steps - 1; t >= 0; t--) {
            int st = savedOff + t * batch * ld;
            if (dcs != null) Conv2d.addInto(dcs, dcsOff + t * bh1, s, dcC, bh1);
            float[] cp = t == 0 ? cz : cs;
            int cpOff = t == 0 ? (c0 == null ? 0 : c0Off) : csOff + (t - 1) * bh1;
            Parallel.forRange(batch, gateParts(threads, batch, H), (lo, hi) -> {
                for (int b = lo; b < hi; b++)
                    gateGradRow(H, s, dhT + b * H, s, dcC + b * H, cp, cpOff + b * H, saved, st + b * ld,
                            saved, st + b * ld, s, dcC + b * H, false);
            });
            if (t > 0) {                                          // dL/dh_{t-1} = dhs[t-1] + dG_t · wh
                if (dhs != null) System.arraycopy(dhs, dhsOff + (t - 1) * bh1, s, dhT, bh1);
                else java.util.Arrays.fill(s, dhT, dhT + bh1, 0f);
                Gemm.sgemm(false, false, batch, H, g4, 1f, saved, st, ld, wh, whOff, H, 1f, s, dhT, H, threads);
            } else {
                if (dh0 != null) Gemm.sgemm(false, false, batch, H, g4, 1f, saved, st, ld, wh, whOff, H,
                        accumulate ? 1f : 0f, dh0, dh0Off, H, threads);
                if (dc0 != null) {
                    if (accumulate) Conv2d.addInto(s, dcC, dc0, dc0Off, bh1);
                    else System.arraycopy(s, dcC, dc0, dc0Off, bh1);
                }
            }
        }
        float beta = accumulate ? 1f : 0f;
        if (dwi != null) Gemm.sgemm(true, false, g4, in, rows, 1f, saved, savedOff, ld, x, xOff, in, beta, dwi, dwiOff, in, threads);
        if (dwh != null) {                                        // Σ_t dG_tᵀ h_{t-1}: steps 1.. against hs[0..T-2], step 0 against h0
            if (steps > 1) Gemm.sgemm(true, false, g4, H, rows - batch, 1f, saved, savedOff + batch * ld, ld, hs, hsOff, H,
                    beta, dwh, dwhOff, H, threads);
            else if (!accumulate) java.util.Arrays.fill(dwh, dwhOff, dwhOff + g4 * H, 0f);
            if (h0 != null) Gemm.sgemm(true, false, g4, H, batch, 1f, saved, savedOff, ld, h0, h0Off, H, 1f, dwh, dwhOff, H, threads);
        }
        if (dx != null) Gemm.sgemm(false, false, rows, in, g4, 1f, saved, savedOff, ld, wi, wiOff, in, beta, dx, dxOff, in, threads);
        if (dbi != null || dbh != null) {
            java.util.Arrays.fill(s, dbTmp, dbTmp + g4, 0f);
            for (int r = 0; r < rows; r++) Conv2d.addInto(saved, savedOff + r * ld, s, dbTmp, g4);
            if (dbi != null) putBias(s, dbTmp, g4, dbi, dbiOff, accumulate);
            if (dbh != null) putBias(s, dbTmp, g4, dbh, dbhOff, accumulate);
        }
    }

    private static void putBias(float[] sum, int sumOff, int n, float[] db, int dbOff, boolean accumulate) {
        if (accumulate) Conv2d.addInto(sum, sumOff, db, dbOff, n);
        else System.arraycopy(sum, sumOff, db, dbOff, n);
    }

    // ---------------------------------------------------------------- scalar references

    /** Reference for {@link #forward}: plain loops, {@code Math.exp}/{@code Math.tanh} in double. */
    public static void forwardScalar(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff, float[] c, int cOff,
                                     float[] wi, int wiOff, float[] wh, int whOff, float[] bi, int biOff, float[] bh, int bhOff,
                                     float[] hOut, int hOutOff, float[] cOut, int cOutOff, float[] saved, int savedOff) {
        String op = "Lstm.forwardScalar";
        checkStep(op, batch, in, hidden, x, xOff, h, hOff, c, cOff, wi, wiOff, wh, whOff);
        checkBias(op, hidden, bi, biOff, bh, bhOff);
        int H = hidden;
        float[] a = new float[4 * H], hRow = new float[H], cRow = new float[H];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < 4 * H; k++) {
                float si = 0f, sh = 0f;
                for (int p = 0; p < in; p++) si += x[xOff + b * in + p] * wi[wiOff + k * in + p];
                for (int p = 0; p < H; p++) sh += h[hOff + b * H + p] * wh[whOff + k * H + p];
                a[k] = si + sh + (bi == null ? 0f : bi[biOff + k]) + (bh == null ? 0f : bh[bhOff + k]);
            }
            for (int j = 0; j < H; j++) {
                double i = sigmoid(a[j]), f = sigmoid(a[H + j]), g = Math.tanh(a[2 * H + j]), o = sigmoid(a[3 * H + j]);
                double cn = f * (c == null ? 0 : c[cOff + b * H + j]) + i * g, tc = Math.tanh(cn);
                cRow[j] = (float) cn;
                hRow[j] = (float) (o * tc);
                if (saved != null) {
                    int so = savedOff + b * 5 * H;
                    saved[so + j] = (float) i;
                    saved[so + H + j] = (float) f;
                    saved[so + 2 * H + j] = (float) g;
                    saved[so + 3 * H + j] = (float) o;
                    saved[so + 4 * H + j] = (float) tc;
                }
            }
            System.arraycopy(hRow, 0, hOut, hOutOff + b * H, H);    // after the row is done: outputs may alias inputs
            System.arraycopy(cRow, 0, cOut, cOutOff + b * H, H);
        }
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** Reference for {@link #backward}: the gate gradients element by element in double, the products by {@link Gemm#scalar}. */
    public static void backwardScalar(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff, float[] c, int cOff,
                                      float[] wi, int wiOff, float[] wh, int whOff, float[] saved, int savedOff,
                                      float[] dhOut, int dhOutOff, float[] dcOut, int dcOutOff,
                                      float[] dx, int dxOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                      float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi, int dbiOff,
                                      float[] dbh, int dbhOff, boolean accumulate) {
        String op = "Lstm.backwardScalar";
        checkStep(op, batch, in, hidden, x, xOff, h, hOff, c, cOff, wi, wiOff, wh, whOff);
        checkGrads(op, batch, in, hidden, saved, savedOff, 1, dhOut, dhOutOff, dcOut, dcOutOff, dx, dxOff, dh, dhOff,
                dc, dcOff, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff);
        int H = hidden, g4 = 4 * H;
        double[] dg = new double[batch * g4];
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < H; j++) {
                int so = savedOff + b * 5 * H;
                double i = saved[so + j], f = saved[so + H + j], g = saved[so + 2 * H + j], o = saved[so + 3 * H + j];
                double tc = saved[so + 4 * H + j], cv = c == null ? 0 : c[cOff + b * H + j];
                double gh = dhOut == null ? 0 : dhOut[dhOutOff + b * H + j], gc = dcOut == null ? 0 : dcOut[dcOutOff + b * H + j];
                double dcT = gc + gh * o * (1 - tc * tc);
                dg[b * g4 + j] = dcT * g * i * (1 - i);
                dg[b * g4 + H + j] = dcT * cv * f * (1 - f);
                dg[b * g4 + 2 * H + j] = dcT * i * (1 - g * g);
                dg[b * g4 + 3 * H + j] = gh * tc * o * (1 - o);
                if (dc != null) dc[dcOff + b * H + j] = (float) ((accumulate ? dc[dcOff + b * H + j] : 0) + dcT * f);
            }
        float[] dgf = new float[dg.length];                       // the products by the reference GEMM
        for (int i = 0; i < dg.length; i++) dgf[i] = (float) dg[i];
        float beta = accumulate ? 1f : 0f;
        if (dx != null) Gemm.scalar(false, false, batch, in, g4, 1f, dgf, 0, g4, wi, wiOff, in, beta, dx, dxOff, in);
        if (dh != null) Gemm.scalar(false, false, batch, H, g4, 1f, dgf, 0, g4, wh, whOff, H, beta, dh, dhOff, H);
        if (dwi != null) Gemm.scalar(true, false, g4, in, batch, 1f, dgf, 0, g4, x, xOff, in, beta, dwi, dwiOff, in);
        if (dwh != null) Gemm.scalar(true, false, g4, H, batch, 1f, dgf, 0, g4, h, hOff, H, beta, dwh, dwhOff, H);
        for (int k = 0; k < g4; k++) {
            double sb = 0;
            for (int b = 0; b < batch; b++) sb += dg[b * g4 + k];
            if (dbi != null) dbi[dbiOff + k] = (float) ((accumulate ? dbi[dbiOff + k] : 0) + sb);
            if (dbh != null) dbh[dbhOff + k] = (float) ((accumulate ? dbh[dbhOff + k] : 0) + sb);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Gate-pass parts: rows of {@code 4H} transcendental-heavy work; no part under ~8K elements. */
    private static int gateParts(int threads, int batch, int hidden) {
        return (int) Math.max(1, Math.min(threads, (long) batch * hidden / 8192));
    }

    private static void checkSizes(String op, int batch, int in, int hidden) {
        if (batch < 1 || in < 1 || hidden < 1)
            throw new IllegalArgumentException(op + ": batch, in and hidden must be >= 1, got batch=" + batch
                    + " in=" + in + " hidden=" + hidden);
    }

    private static void checkWeights(String op, int in, int H, float[] wi, int wiOff, float[] wh, int whOff) {
        Conv2d.checkArray(op, "wi [" + 4 * H + "," + in + "]", wi, wiOff, 4 * H * in);
        Conv2d.checkArray(op, "wh [" + 4 * H + "," + H + "]", wh, whOff, 4 * H * H);
    }

    private static void checkStep(String op, int batch, int in, int H, float[] x, int xOff, float[] h, int hOff,
                                  float[] c, int cOff, float[] wi, int wiOff, float[] wh, int whOff) {
        checkSizes(op, batch, in, H);
        Conv2d.checkArray(op, "x [" + batch + "," + in + "]", x, xOff, batch * in);
        Conv2d.checkArray(op, "h [" + batch + "," + H + "]", h, hOff, batch * H);
        if (c != null) Conv2d.checkArray(op, "c [" + batch + "," + H + "]", c, cOff, batch * H);
        checkWeights(op, in, H, wi, wiOff, wh, whOff);
    }

    private static void checkBias(String op, int H, float[] bi, int biOff, float[] bh, int bhOff) {
        if (bi != null) Conv2d.checkArray(op, "bi [" + 4 * H + "]", bi, biOff, 4 * H);
        if (bh != null) Conv2d.checkArray(op, "bh [" + 4 * H + "]", bh, bhOff, 4 * H);
    }

    private static void checkSequence(String op, int steps, int batch, int in, int H, float[] x, int xOff, float[] h0, int h0Off,
                                      float[] c0, int c0Off, float[] wi, int wiOff, float[] wh, int whOff,
                                      float[] hs, int hsOff, float[] cs, int csOff) {
        if (steps < 1) throw new IllegalArgumentException(op + ": steps must be >= 1, got " + steps);
        checkSizes(op, batch, in, H);
        Conv2d.checkArray(op, "x [" + steps + "," + batch + "," + in + "]", x, xOff, steps * batch * in);
        if (h0 != null) Conv2d.checkArray(op, "h0 [" + batch + "," + H + "]", h0, h0Off, batch * H);
        if (c0 != null) Conv2d.checkArray(op, "c0 [" + batch + "," + H + "]", c0, c0Off, batch * H);
        checkWeights(op, in, H, wi, wiOff, wh, whOff);
        Conv2d.checkArray(op, "hs [" + steps + "," + batch + "," + H + "]", hs, hsOff, steps * batch * H);
        Conv2d.checkArray(op, "cs [" + steps + "," + batch + "," + H + "]", cs, csOff, steps * batch * H);
        if (hs == cs && Math.abs(hsOff - csOff) < steps * batch * H)
            throw new IllegalArgumentException(op + ": hs and cs overlap (offsets " + hsOff + ", " + csOff + ")");
    }

    private static void checkGrads(String op, int batch, int in, int H, float[] saved, int savedOff, int steps,
                                   float[] dhOut, int dhOutOff, float[] dcOut, int dcOutOff, float[] dx, int dxOff,
                                   float[] dh, int dhOff, float[] dc, int dcOff, float[] dwi, int dwiOff, float[] dwh, int dwhOff,
                                   float[] dbi, int dbiOff, float[] dbh, int dbhOff) {
        String t = steps == 1 ? "" : steps + ",";
        int n = steps * batch * H;
        Conv2d.checkArray(op, "saved [" + t + batch + "," + 5 * H + "]", saved, savedOff, steps * savedSize(batch, H));
        if (dhOut != null) Conv2d.checkArray(op, "dh' [" + t + batch + "," + H + "]", dhOut, dhOutOff, n);
        if (dcOut != null) Conv2d.checkArray(op, "dc' [" + t + batch + "," + H + "]", dcOut, dcOutOff, n);
        if (dx != null) Conv2d.checkArray(op, "dx [" + t + batch + "," + in + "]", dx, dxOff, steps * batch * in);
        if (dh != null) Conv2d.checkArray(op, "dh [" + batch + "," + H + "]", dh, dhOff, batch * H);
        if (dc != null) Conv2d.checkArray(op, "dc [" + batch + "," + H + "]", dc, dcOff, batch * H);
        if (dwi != null) Conv2d.checkArray(op, "dwi [" + 4 * H + "," + in + "]", dwi, dwiOff, 4 * H * in);
        if (dwh != null) Conv2d.checkArray(op, "dwh [" + 4 * H + "," + H + "]", dwh, dwhOff, 4 * H * H);
        if (dbi != null) Conv2d.checkArray(op, "dbi [" + 4 * H + "]", dbi, dbiOff, 4 * H);
        if (dbh != null) Conv2d.checkArray(op, "dbh [" + 4 * H + "]", dbh, dbhOff, 4 * H);
    }

    private static void checkAlias(String op, String outName, float[] out, int outOff, String inName, float[] inArr, int inOff, int n) {
        if (out == inArr && outOff != inOff && Math.abs(outOff - inOff) < n)
            throw new IllegalArgumentException(op + ": " + outName + " overlaps " + inName + " at a different offset (" + outOff
                    + " vs " + inOff + "); use the same offset for an in-place step or separate storage");
    }
}
