package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import latte.core.Parallel;

/**
 * One GRU cell step with PyTorch's {@code GRUCell} semantics, forward and backward, with the gate
 * arithmetic fused into one vectorised pass.
 *
 * <pre>
 *   x [B, I]   h [B, H]   wi [3H, I]   wh [3H, H]   bi [3H]   bh [3H]   (gate blocks in order r, z, n)
 *   gi = x · wiᵀ                                   // [B, 3H]
 *   gh = h · whᵀ                                   // [B, 3H]
 *   r  = σ(gi_r + bi_r + gh_r + bh_r)
 *   z  = σ(gi_z + bi_z + gh_z + bh_z)
 *   hn = gh_n + bh_n
 *   n  = tanh(gi_n + bi_n + r ⊙ hn)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Backward, from {@code dh'}:
 * <pre>
 *   dn = dh' ⊙ (1 − z)        dz = dh' ⊙ (h − n)           dh_direct = dh' ⊙ z
 *   a_n = dn ⊙ (1 − n²)       a_r = a_n ⊙ hn ⊙ r(1 − r)     a_z = dz ⊙ z(1 − z)
 *   dgi = [a_r, a_z, a_n]     dgh = [a_r, a_z, a_n ⊙ r]      // [B, 3H]
 *   dx = dgi · wi    dh = dh_direct + dgh · wh    dwi = dgiᵀ · x    dwh = dghᵀ · h
 *   dbi = Σ_b dgi    dbh = Σ_b dgh
 * </pre>
 * The forward saves {@code [r, z, n, hn]} per row ({@link #savedSize} floats) for the backward.
 * Weights are PyTorch's {@code weight_ih} / {@code weight_hh} as stored, so checkpoints map 1:1.
 * The two products run on {@link Gemm#sgemm}; the gate pass uses {@link VecMath#sigmoid} and {@link VecMath#tanh}.
 * {@link #forwardScalar} / {@link #backwardScalar} are the plain-loop references.
 */
public final class Gru {
    private Gru() {}

    /** Floats the forward saves for the backward: {@code [B, 4H]} = r, z, n, hn. */
    public static int savedSize(int batch, int hidden) {
        return 4 * batch * hidden;
    }

    // ---------------------------------------------------------------- forward

    /** The forward step on {@link Parallel#threads()} threads; see the overload with {@code threads}. */
    public static void forward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                               float[] wi, int wiOff, float[] wh, int whOff, float[] bi, int biOff,
                               float[] bh, int bhOff, float[] hOut, int hOutOff, float[] saved, int savedOff) {
        forward(batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, bi, biOff, bh, bhOff,
                hOut, hOutOff, saved, savedOff, Parallel.threads());
    }

    /**
     * {@code hOut = GRUCell(x, h)}. {@code bi}/{@code bh} may be null (no bias); {@code saved}
     * may be null when no backward follows (acting, planning). {@code hOut} may be {@code h}
     * itself (same array and offset) for an in-place step.
     */
    public static void forward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                               float[] wi, int wiOff, float[] wh, int whOff, float[] bi, int biOff,
                               float[] bh, int bhOff, float[] hOut, int hOutOff, float[] saved, int savedOff,
                               int threads) {
        String op = "Gru.forward";
        checkForward(op, batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, bi, biOff, bh, bhOff,
                hOut, hOutOff);
        if (saved != null) Conv2d.checkArray(op, "saved", saved, savedOff, savedSize(batch, hidden));
        int g3 = 3 * hidden;
        float[] s = Scratch.get(Scratch.GRU, 2 * batch * g3);
        int giOff = 0, ghOff = batch * g3;
        Gemm.sgemm(false, true, batch, g3, in, 1f, x, xOff, in, wi, wiOff, in, 0f, s, giOff, g3, threads);
        Gemm.sgemm(false, true, batch, g3, hidden, 1f, h, hOff, hidden, wh, whOff, hidden, 0f, s, ghOff, g3, threads);
        // a missing bias reads as zeros: no branch on vectors inside the gate loop
        float[] bI = bi == null ? zeros(g3) : bi, bH = bh == null ? zeros(g3) : bh;
        int bIOff = bi == null ? 0 : biOff, bHOff = bh == null ? 0 : bhOff;
        Parallel.forRange(batch, gateParts(threads, batch, hidden), (lo, hi) -> {
            for (int b = lo; b < hi; b++)
                gatesRow(hidden, s, giOff + b * g3, s, ghOff + b * g3, bI, bIOff, bH, bHOff, h, hOff + b * hidden,
                        hOut, hOutOff + b * hidden, saved, saved == null ? 0 : savedOff + b * 4 * hidden);
        });
    }

    /**
     * The fused gate pass for one row: pre-activations {@code gi, gh} (without biases) and the
     * biases in, {@code h'} and (if {@code saved != null}) {@code [r, z, n, hn]} out. No vector
     * variable is reassigned under a branch: C2 would box such a vector on every iteration.
     */
    static void gatesRow(int H, float[] gi, int gio, float[] gh, int gho, float[] bi, int bio, float[] bh, int bho,
                         float[] h, int ho, float[] hOut, int hOutO, float[] saved, int so) {
        int j = 0;
        for (int bound = Simd.F.loopBound(H); j < bound; j += Simd.LANES) {
            FloatVector ar = FloatVector.fromArray(Simd.F, gi, gio + j).add(FloatVector.fromArray(Simd.F, gh, gho + j))
                    .add(FloatVector.fromArray(Simd.F, bi, bio + j)).add(FloatVector.fromArray(Simd.F, bh, bho + j));
            FloatVector az = FloatVector.fromArray(Simd.F, gi, gio + H + j)
                    .add(FloatVector.fromArray(Simd.F, gh, gho + H + j))
                    .add(FloatVector.fromArray(Simd.F, bi, bio + H + j))
                    .add(FloatVector.fromArray(Simd.F, bh, bho + H + j));
            FloatVector hn = FloatVector.fromArray(Simd.F, gh, gho + 2 * H + j)
                    .add(FloatVector.fromArray(Simd.F, bh, bho + 2 * H + j));
            FloatVector an = FloatVector.fromArray(Simd.F, gi, gio + 2 * H + j)
                    .add(FloatVector.fromArray(Simd.F, bi, bio + 2 * H + j));
            FloatVector r = VecMath.sigmoid(ar);
            FloatVector z = VecMath.sigmoid(az);
            FloatVector n = VecMath.tanh(r.fma(hn, an));
            FloatVector hv = FloatVector.fromArray(Simd.F, h, ho + j);
            // written as n + z (h - n): one FMA, and the same value as (1 - z) n + z h up to rounding
            hv.sub(n).fma(z, n).intoArray(hOut, hOutO + j);
            if (saved != null) {
                r.intoArray(saved, so + j);
                z.intoArray(saved, so + H + j);
                n.intoArray(saved, so + 2 * H + j);
                hn.intoArray(saved, so + 3 * H + j);
            }
        }
        for (; j < H; j++) {
            float ar = gi[gio + j] + gh[gho + j] + bi[bio + j] + bh[bho + j];
            float az = gi[gio + H + j] + gh[gho + H + j] + bi[bio + H + j] + bh[bho + H + j];
            float hn = gh[gho + 2 * H + j] + bh[bho + 2 * H + j], an = gi[gio + 2 * H + j] + bi[bio + 2 * H + j];
            float r = VecMath.sigmoid(ar), z = VecMath.sigmoid(az), n = VecMath.tanh(Math.fma(r, hn, an));
            float hv = h[ho + j];
            hOut[hOutO + j] = Math.fma(hv - n, z, n);
            if (saved != null) {
                saved[so + j] = r;
                saved[so + H + j] = z;
                saved[so + 2 * H + j] = n;
                saved[so + 3 * H + j] = hn;
            }
        }
    }

    // ---------------------------------------------------------------- backward

    /** The backward step on {@link Parallel#threads()} threads; see the overload with {@code threads}. */
    public static void backward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                                float[] wi, int wiOff, float[] wh, int whOff, float[] saved, int savedOff,
                                float[] dhOut, int dhOutOff, float[] dx, int dxOff, float[] dh, int dhOff,
                                float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi, int dbiOff,
                                float[] dbh, int dbhOff, boolean accumulate) {
        backward(batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, saved, savedOff, dhOut, dhOutOff,
                dx, dxOff, dh, dhOff, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff, accumulate,
                Parallel.threads());
    }

    /**
     * Gradients of one step from {@code dhOut = ∂L/∂h'}, using what {@link #forward} saved. Any
     * of {@code dx, dh, dwi, dwh, dbi, dbh} may be null (not wanted); {@code accumulate} adds into
     * the wanted ones instead of overwriting them.
     */
    public static void backward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                                float[] wi, int wiOff, float[] wh, int whOff, float[] saved, int savedOff,
                                float[] dhOut, int dhOutOff, float[] dx, int dxOff, float[] dh, int dhOff,
                                float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi, int dbiOff,
                                float[] dbh, int dbhOff, boolean accumulate, int threads) {
        String op = "Gru.backward";
        checkBackward(op, batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, saved, savedOff, dhOut,
                dhOutOff, dx, dxOff, dh, dhOff, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff);
        int g3 = 3 * hidden;
        float[] s = Scratch.get(Scratch.GRU, 2 * batch * g3);
        int dgiOff = 0, dghOff = batch * g3;
        Parallel.forRange(batch, gateParts(threads, batch, hidden), (lo, hi) -> {
            for (int b = lo; b < hi; b++)
                gateGradRow(hidden, dhOut, dhOutOff + b * hidden, h, hOff + b * hidden, saved,
                        savedOff + b * 4 * hidden, s, dgiOff + b * g3, s, dghOff + b * g3,
                        dh, dh == null ? 0 : dhOff + b * hidden, accumulate);
        });
        float beta = accumulate ? 1f : 0f;
        // weight gradients first: they read x, so dx may then reuse x's storage
        if (dwi != null) Gemm.sgemm(true, false, g3, in, batch, 1f, s, dgiOff, g3, x, xOff, in, beta, dwi, dwiOff, in, threads);
        if (dwh != null) Gemm.sgemm(true, false, g3, hidden, batch, 1f, s, dghOff, g3, h, hOff, hidden, beta, dwh, dwhOff, hidden, threads);
        if (dx != null) Gemm.sgemm(false, false, batch, in, g3, 1f, s, dgiOff, g3, wi, wiOff, in, beta, dx, dxOff, in, threads);
        if (dh != null) Gemm.sgemm(false, false, batch, hidden, g3, 1f, s, dghOff, g3, wh, whOff, hidden, 1f, dh, dhOff, hidden, threads);
        if (dbi != null) Reduce.sumRows(s, dgiOff, batch, g3, dbi, dbiOff, accumulate);
        if (dbh != null) Reduce.sumRows(s, dghOff, batch, g3, dbh, dbhOff, accumulate);
    }

    /** The fused backward gate pass for one row: writes dgi, dgh and (if wanted) dh (+)= dh' ⊙ z. */
    static void gateGradRow(int H, float[] dho, int dhoO, float[] h, int ho, float[] saved, int so,
                            float[] dgi, int dgiO, float[] dgh, int dghO, float[] dh, int dhO, boolean accumulate) {
        FloatVector one = FloatVector.broadcast(Simd.F, 1f);
        int j = 0;
        for (int bound = Simd.F.loopBound(H); j < bound; j += Simd.LANES) {
            FloatVector g = FloatVector.fromArray(Simd.F, dho, dhoO + j);
            FloatVector r = FloatVector.fromArray(Simd.F, saved, so + j);
            FloatVector z = FloatVector.fromArray(Simd.F, saved, so + H + j);
            FloatVector n = FloatVector.fromArray(Simd.F, saved, so + 2 * H + j);
            FloatVector hn = FloatVector.fromArray(Simd.F, saved, so + 3 * H + j);
            FloatVector hv = FloatVector.fromArray(Simd.F, h, ho + j);
            FloatVector an = g.mul(one.sub(z)).mul(one.sub(n.mul(n)));
            FloatVector ar = an.mul(hn).mul(r.mul(one.sub(r)));
            FloatVector az = g.mul(hv.sub(n)).mul(z.mul(one.sub(z)));
            ar.intoArray(dgi, dgiO + j);
            az.intoArray(dgi, dgiO + H + j);
            an.intoArray(dgi, dgiO + 2 * H + j);
            ar.intoArray(dgh, dghO + j);
            az.intoArray(dgh, dghO + H + j);
            an.mul(r).intoArray(dgh, dghO + 2 * H + j);
            if (dh != null && accumulate) g.fma(z, FloatVector.fromArray(Simd.F, dh, dhO + j)).intoArray(dh, dhO + j);
            else if (dh != null) g.mul(z).intoArray(dh, dhO + j);
        }
        for (; j < H; j++) {
            float g = dho[dhoO + j], r = saved[so + j], z = saved[so + H + j], n = saved[so + 2 * H + j];
            float hn = saved[so + 3 * H + j], hv = h[ho + j];
            float an = g * (1 - z) * (1 - n * n);
            float ar = an * hn * (r * (1 - r));
            float az = g * (hv - n) * (z * (1 - z));
            dgi[dgiO + j] = ar;
            dgi[dgiO + H + j] = az;
            dgi[dgiO + 2 * H + j] = an;
            dgh[dghO + j] = ar;
            dgh[dghO + H + j] = az;
            dgh[dghO + 2 * H + j] = an * r;
            if (dh != null) dh[dhO + j] = accumulate ? Math.fma(g, z, dh[dhO + j]) : g * z;
        }
    }

    // ---------------------------------------------------------------- scalar references

    /** Reference for {@link #forward}: plain loops, {@code Math.exp}/{@code Math.tanh} in double. */
    public static void forwardScalar(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                                     float[] wi, int wiOff, float[] wh, int whOff, float[] bi, int biOff,
                                     float[] bh, int bhOff, float[] hOut, int hOutOff, float[] saved, int savedOff) {
        String op = "Gru.forwardScalar";
        checkForward(op, batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, bi, biOff, bh, bhOff,
                hOut, hOutOff);
        if (saved != null) Conv2d.checkArray(op, "saved", saved, savedOff, savedSize(batch, hidden));
        int H = hidden;
        float[] gi = new float[3 * H], gh = new float[3 * H];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < 3 * H; k++) {
                float si = 0f, sh = 0f;
                for (int p = 0; p < in; p++) si += x[xOff + b * in + p] * wi[wiOff + k * in + p];
                for (int p = 0; p < H; p++) sh += h[hOff + b * H + p] * wh[whOff + k * H + p];
                gi[k] = si + (bi == null ? 0f : bi[biOff + k]);
                gh[k] = sh + (bh == null ? 0f : bh[bhOff + k]);
            }
            float[] row = new float[H];
            for (int j = 0; j < H; j++) {
                double r = 1 / (1 + Math.exp(-(gi[j] + gh[j])));
                double z = 1 / (1 + Math.exp(-(gi[H + j] + gh[H + j])));
                double n = Math.tanh(gi[2 * H + j] + r * gh[2 * H + j]);
                row[j] = (float) ((1 - z) * n + z * h[hOff + b * H + j]);
                if (saved != null) {
                    int so = savedOff + b * 4 * H;
                    saved[so + j] = (float) r;
                    saved[so + H + j] = (float) z;
                    saved[so + 2 * H + j] = (float) n;
                    saved[so + 3 * H + j] = gh[2 * H + j];
                }
            }
            System.arraycopy(row, 0, hOut, hOutOff + b * H, H); // after the row is done: hOut may alias h
        }
    }

    /** Reference for {@link #backward}: the chain rule written out element by element. */
    public static void backwardScalar(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff,
                                      float[] wi, int wiOff, float[] wh, int whOff, float[] saved, int savedOff,
                                      float[] dhOut, int dhOutOff, float[] dx, int dxOff, float[] dh, int dhOff,
                                      float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi, int dbiOff,
                                      float[] dbh, int dbhOff, boolean accumulate) {
        checkBackward("Gru.backwardScalar", batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, saved,
                savedOff, dhOut, dhOutOff, dx, dxOff, dh, dhOff, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff);
        int H = hidden, g3 = 3 * H;
        float[] dgi = new float[batch * g3], dgh = new float[batch * g3], dhd = new float[batch * H];
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < H; j++) {
                int so = savedOff + b * 4 * H;
                double r = saved[so + j], z = saved[so + H + j], n = saved[so + 2 * H + j], hn = saved[so + 3 * H + j];
                double g = dhOut[dhOutOff + b * H + j], hv = h[hOff + b * H + j];
                double dn = g * (1 - z), dz = g * (hv - n);
                double an = dn * (1 - n * n), dr = an * hn;
                dgi[b * g3 + j] = (float) (dr * r * (1 - r));
                dgi[b * g3 + H + j] = (float) (dz * z * (1 - z));
                dgi[b * g3 + 2 * H + j] = (float) an;
                dgh[b * g3 + j] = dgi[b * g3 + j];
                dgh[b * g3 + H + j] = dgi[b * g3 + H + j];
                dgh[b * g3 + 2 * H + j] = (float) (an * r);
                dhd[b * H + j] = (float) (g * z);
            }
        for (int b = 0; b < batch; b++) {
            if (dx != null)
                for (int p = 0; p < in; p++) {
                    float acc = 0f;
                    for (int k = 0; k < g3; k++) acc += dgi[b * g3 + k] * wi[wiOff + k * in + p];
                    int i = dxOff + b * in + p;
                    dx[i] = accumulate ? dx[i] + acc : acc;
                }
            if (dh != null)
                for (int p = 0; p < H; p++) {
                    float acc = dhd[b * H + p];
                    for (int k = 0; k < g3; k++) acc += dgh[b * g3 + k] * wh[whOff + k * H + p];
                    int i = dhOff + b * H + p;
                    dh[i] = accumulate ? dh[i] + acc : acc;
                }
        }
        for (int k = 0; k < g3; k++) {
            if (dwi != null)
                for (int p = 0; p < in; p++) {
                    float acc = 0f;
                    for (int b = 0; b < batch; b++) acc += dgi[b * g3 + k] * x[xOff + b * in + p];
                    int i = dwiOff + k * in + p;
                    dwi[i] = accumulate ? dwi[i] + acc : acc;
                }
            if (dwh != null)
                for (int p = 0; p < H; p++) {
                    float acc = 0f;
                    for (int b = 0; b < batch; b++) acc += dgh[b * g3 + k] * h[hOff + b * H + p];
                    int i = dwhOff + k * H + p;
                    dwh[i] = accumulate ? dwh[i] + acc : acc;
                }
            float si = 0f, sh = 0f;
            for (int b = 0; b < batch; b++) {
                si += dgi[b * g3 + k];
                sh += dgh[b * g3 + k];
            }
            if (dbi != null) dbi[dbiOff + k] = accumulate ? dbi[dbiOff + k] + si : si;
            if (dbh != null) dbh[dbhOff + k] = accumulate ? dbh[dbhOff + k] + sh : sh;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Shared all-zero array of at least {@code n} floats (never written): the missing-bias stand-in. */
    private static volatile float[] zeroes = new float[0];

    static float[] zeros(int n) {
        float[] z = zeroes;
        if (z.length < n) zeroes = z = new float[n];
        return z;
    }

    /** Gate-pass parts: rows of {@code 3H} transcendental-heavy work; no part under ~8K elements. */
    private static int gateParts(int threads, int batch, int hidden) {
        return (int) Math.max(1, Math.min(threads, (long) batch * hidden / 8192));
    }

    private static void checkSizes(String op, int batch, int in, int hidden) {
        if (batch < 1 || in < 1 || hidden < 1)
            throw new IllegalArgumentException(op + ": batch, in and hidden must be >= 1, got batch=" + batch
                    + " in=" + in + " hidden=" + hidden);
    }

    private static void checkForward(String op, int batch, int in, int hidden, float[] x, int xOff, float[] h,
                                     int hOff, float[] wi, int wiOff, float[] wh, int whOff, float[] bi, int biOff,
                                     float[] bh, int bhOff, float[] hOut, int hOutOff) {
        checkSizes(op, batch, in, hidden);
        Conv2d.checkArray(op, "x [" + batch + "," + in + "]", x, xOff, batch * in);
        Conv2d.checkArray(op, "h [" + batch + "," + hidden + "]", h, hOff, batch * hidden);
        Conv2d.checkArray(op, "wi [" + 3 * hidden + "," + in + "]", wi, wiOff, 3 * hidden * in);
        Conv2d.checkArray(op, "wh [" + 3 * hidden + "," + hidden + "]", wh, whOff, 3 * hidden * hidden);
        if (bi != null) Conv2d.checkArray(op, "bi [" + 3 * hidden + "]", bi, biOff, 3 * hidden);
        if (bh != null) Conv2d.checkArray(op, "bh [" + 3 * hidden + "]", bh, bhOff, 3 * hidden);
        Conv2d.checkArray(op, "hOut [" + batch + "," + hidden + "]", hOut, hOutOff, batch * hidden);
        if (hOut == h && hOutOff != hOff && Math.abs(hOutOff - hOff) < batch * hidden)
            throw new IllegalArgumentException(op + ": hOut overlaps h at a different offset (" + hOutOff + " vs "
                    + hOff + "); use the same offset for an in-place step or separate storage");
    }

    private static void checkBackward(String op, int batch, int in, int hidden, float[] x, int xOff, float[] h,
                                      int hOff, float[] wi, int wiOff, float[] wh, int whOff, float[] saved,
                                      int savedOff, float[] dhOut, int dhOutOff, float[] dx, int dxOff, float[] dh,
                                      int dhOff, float[] dwi, int dwiOff, float[] dwh, int dwhOff, float[] dbi,
                                      int dbiOff, float[] dbh, int dbhOff) {
        checkSizes(op, batch, in, hidden);
        int H = hidden;
        Conv2d.checkArray(op, "x [" + batch + "," + in + "]", x, xOff, batch * in);
        Conv2d.checkArray(op, "h [" + batch + "," + H + "]", h, hOff, batch * H);
        Conv2d.checkArray(op, "wi [" + 3 * H + "," + in + "]", wi, wiOff, 3 * H * in);
        Conv2d.checkArray(op, "wh [" + 3 * H + "," + H + "]", wh, whOff, 3 * H * H);
        Conv2d.checkArray(op, "saved [" + batch + "," + 4 * H + "]", saved, savedOff, savedSize(batch, H));
        Conv2d.checkArray(op, "dhOut [" + batch + "," + H + "]", dhOut, dhOutOff, batch * H);
        if (dx != null) Conv2d.checkArray(op, "dx [" + batch + "," + in + "]", dx, dxOff, batch * in);
        if (dh != null) Conv2d.checkArray(op, "dh [" + batch + "," + H + "]", dh, dhOff, batch * H);
        if (dwi != null) Conv2d.checkArray(op, "dwi [" + 3 * H + "," + in + "]", dwi, dwiOff, 3 * H * in);
        if (dwh != null) Conv2d.checkArray(op, "dwh [" + 3 * H + "," + H + "]", dwh, dwhOff, 3 * H * H);
        if (dbi != null) Conv2d.checkArray(op, "dbi [" + 3 * H + "]", dbi, dbiOff, 3 * H);
        if (dbh != null) Conv2d.checkArray(op, "dbh [" + 3 * H + "]", dbh, dbhOff, 3 * H);
        if (dh == h) throw new IllegalArgumentException(op + ": dh must not share the array of h (h is read by"
                + " the weight gradient after dh is written)");
    }
}
