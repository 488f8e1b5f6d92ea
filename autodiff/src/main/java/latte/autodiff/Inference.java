package latte.autodiff;

import latte.core.kernels.Elementwise;
import latte.core.kernels.Gemm;
import latte.core.kernels.Gru;

/**
 * Tape-free forward passes that write into caller-owned buffers, on the calling thread. A hot
 * inference loop (CEM planning scores a thousand candidates through a dozen model steps, ten
 * times per action) spends more on allocating and filling a fresh {@link Var} per op than on
 * some of the arithmetic; these run the same kernels as {@link LayerOps} into buffers reused across
 * calls. Parameters are read in place, so the values are always the current ones.
 *
 * <p>They call the CPU kernels on one thread directly, not the {@link latte.core.Backend}: the
 * planner runs them from its own parallel loop over blocks of candidates, and each product is a
 * few MFLOP, far below what pays for a copy to a GPU.
 */
public final class Inference {
    private Inference() {}

    /**
     * {@code y[rows, out] = x[rows, in] · w[in, out] + b[out]} ({@link latte.autodiff.Composites#linear}).
     * {@code b} may be null.
     */
    public static void linear(float[] x, int rows, Var w, Var b, float[] y) {
        if (w.rank() != 2 || b != null && b.size != w.shape[1])
            throw new IllegalArgumentException("Inference.linear: weight " + Shapes.str(w.shape) + ", bias "
                    + (b == null ? "none" : Shapes.str(b.shape)) + ", expected [in, out] and [out]");
        int in = w.shape[0], out = w.shape[1];
        checkLength("x", x, rows * in);
        checkLength("y", y, rows * out);
        Gemm.sgemm(false, false, rows, out, in, 1f, x, 0, in, w.data, w.off, out, 0f, y, 0, out, 1);
        if (b != null)
            for (int r = 0; r < rows; r++) Elementwise.add(y, r * out, b.data, b.off, y, r * out, out);
    }

    /**
     * {@code h ← GRUCell(x, h)} in place, {@code x [rows, in]}, {@code h [rows, H]}, weights laid
     * out as {@link LayerOps#gruCell}'s ({@code wi [3H, in]}, {@code wh [3H, H]}, biases {@code [3H]}
     * or null).
     */
    public static void gruCell(float[] x, float[] h, int rows, Var wi, Var wh, Var bi, Var bh) {
        int hid = wh.rank() == 2 ? wh.shape[1] : -1, in = wi.rank() == 2 ? wi.shape[1] : -1;
        if (hid < 1 || in < 1 || wh.shape[0] != 3 * hid || wi.shape[0] != 3 * hid)
            throw new IllegalArgumentException("Inference.gruCell: wi " + Shapes.str(wi.shape) + ", wh "
                    + Shapes.str(wh.shape) + ", expected [3H, in] and [3H, H]");
        checkLength("x", x, rows * in);
        checkLength("h", h, rows * hid);
        Gru.forward(rows, in, hid, x, 0, h, 0, wi.data, wi.off, wh.data, wh.off,
                bi == null ? null : bi.data, bi == null ? 0 : bi.off, bh == null ? null : bh.data, bh == null ? 0 : bh.off,
                h, 0, null, 0, 1);
    }

    private static void checkLength(String name, float[] a, int need) {
        if (a.length < need)
            throw new IllegalArgumentException("Inference: buffer " + name + " holds " + a.length + " floats, needs " + need);
    }

}
