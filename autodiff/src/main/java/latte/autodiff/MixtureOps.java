package latte.autodiff;

import java.util.Arrays;
import latte.core.Parallel;
import latte.core.kernels.Mixture;

/**
 * The fused log-likelihood of one-dimensional Gaussian mixtures ({@link Mixture}): the MDN loss
 * of World Models in one forward and one backward pass instead of a dozen primitives.
 * {@link latte.autodiff.dist.MixtureGaussian1d} uses it for packed parameters; its composed
 * {@code logProb} is the reference.
 */
public final class MixtureOps {
    private MixtureOps() {}

    /**
     * y = log Σ_k softmax(l)_k N(x; μ_k, e^{s_k}) per element: params [.., 3K] = [l | μ | s],
     * x [..] -> y [..]. Backward with the responsibilities γ_k = e^{t_k − y}:
     * dl_k += dy (γ_k − π_k), dμ_k += dy γ_k u_k e^{−s_k}, ds_k += dy γ_k (u_k² − 1), dx += −Σ_k dμ_k,
     * u_k = (x − μ_k) e^{−s_k}.
     */
    public static Var gaussianMixtureLogProb(Var params, Var x, int k) {
        int[] want = Arrays.copyOf(params.shape, Math.max(0, params.rank() - 1));
        if (k < 1 || params.rank() < 1 || params.dim(-1) != 3 * k || !Arrays.equals(x.shape, want))
            throw new IllegalArgumentException("gaussianMixtureLogProb: params " + Shapes.str(params.shape) + ", x " + Shapes.str(x.shape)
                    + ", K = " + k + ": expected params [.., 3K] and x [..]");
        int rows = x.size;
        float[] y = new float[rows];
        Mixture.logProb(rows, k, params.data, params.off, x.data, x.off, y, 0, Parallel.threads());
        boolean rec = Tape.current() != null && (params.requiresGrad || x.requiresGrad);
        Var out = new Var(y, 0, want, rec);
        if (rec) Tape.current().add("gaussianMixtureLogProb", out, () -> Mixture.logProbBackward(rows, k, params.data, params.off,
                x.data, x.off, y, 0, out.grad, out.goff, params.requiresGrad ? params.g() : null, params.goff,
                x.requiresGrad ? x.g() : null, x.goff, Parallel.threads()));
        return out;
    }
}
