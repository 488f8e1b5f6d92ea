package latte.autodiff.optim;

import latte.autodiff.ParamStore;

/** Gradient clipping over a whole {@link ParamStore}. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients by {@code min(1, maxNorm / (||g|| + 1e-6))} where {@code ||g||} is the
     * global L2 norm over every parameter (as PyTorch's {@code clip_grad_norm_}); returns the norm
     * before clipping (so training logs can show it). A non-finite norm leaves the grads untouched.
     */
    public static double globalNorm(ParamStore store, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("GradClip.globalNorm: maxNorm " + maxNorm + " must be > 0");
        double norm = store.gradNorm();
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1 && Double.isFinite(norm)) {
            float c = (float) coef;
            float[] g = store.grads();
            for (int i = 0; i < store.size(); i++) g[i] *= c;
        }
        return norm;
    }

    /**
     * Clamps every gradient to {@code [-clip, clip]} (clip by value, as TensorFlow's
     * {@code clip_by_value} in the World Models MDN-RNN, clip 1.0); returns how many were clamped.
     * A NaN gradient stays NaN.
     */
    public static int byValue(ParamStore store, double clip) {
        if (!(clip > 0)) throw new IllegalArgumentException("GradClip.byValue: clip " + clip + " must be > 0");
        float c = (float) clip;
        float[] g = store.grads();
        int clamped = 0;
        for (int i = 0; i < store.size(); i++) {
            if (g[i] > c) { g[i] = c; clamped++; }
            else if (g[i] < -c) { g[i] = -c; clamped++; }
        }
        return clamped;
    }
}
