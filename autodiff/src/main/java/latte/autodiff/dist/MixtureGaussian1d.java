package latte.autodiff.dist;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;
import static latte.autodiff.ReduceOps.*;

import java.util.Arrays;
import latte.autodiff.Composites;
import latte.autodiff.MixtureOps;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * Per element of a tensor {@code [..]}, a mixture of K one-dimensional Gaussians: the output of a
 * mixture density network (Bishop 1994), as World Models' M predicts each latent dimension of the
 * next z (Ha and Schmidhuber 2018, section 2.2; 5 components per dimension):
 * <pre>
 *   p(x) = Σ_k π_k N(x; μ_k, σ_k),     π = softmax(logits),  σ = exp(log σ),  parameters [.., K]
 *   log p(x) = logsumexp_k( log π_k − (x − μ_k)² / (2 σ_k²) − log σ_k − ½ log 2π )
 * </pre>
 * The log-likelihood goes through {@link latte.autodiff.Ops#logsumexp} (max-shifted, so a point far
 * from every component gives a large negative number, not −∞) and is differentiable in the
 * logits, μ, log σ and x. Sampling with temperature τ (the paper's dreams, section 4.4): the
 * component from softmax(log π / τ), then {@code x = μ + σ √τ ε}, ε ~ N(0, 1).
 */
public final class MixtureGaussian1d {
    static final float HALF_LOG_2PI = (float) (0.5 * Math.log(2 * Math.PI));

    private final int k;
    private final int[] shape;                // [.., K]
    private final Var packed;                 // [.., 3K] when built by split: logProb runs the fused kernel on it
    private Var logPi, mu, logSigma;          // from packed: sliced on first use (training reads only logProb)

    /** Mixture logits (normalised here), means and log standard deviations, each [.., K]. */
    public MixtureGaussian1d(Var logits, Var mu, Var logSigma) {
        if (!Arrays.equals(logits.shape(), mu.shape()) || !Arrays.equals(mu.shape(), logSigma.shape()) || mu.rank() < 1)
            throw new IllegalArgumentException("MixtureGaussian1d: logits " + Arrays.toString(logits.shape()) + ", mu "
                    + Arrays.toString(mu.shape()) + ", logSigma " + Arrays.toString(logSigma.shape()) + ": expected one shape [.., K]");
        this.k = mu.dim(-1);
        this.shape = mu.shape();
        this.packed = null;
        this.logPi = Composites.logSoftmax(logits, -1);
        this.mu = mu;
        this.logSigma = logSigma;
    }

    private MixtureGaussian1d(Var params, int k) {
        this.k = k;
        this.shape = params.shape();
        this.shape[shape.length - 1] = k;
        this.packed = params;
    }

    /**
     * The World Models layout: {@code params [.., 3K]} = [logits | μ | log σ] along the last axis
     * (the MDN-RNN's output reshaped to one row of 3K per latent dimension). Its {@link #logProb}
     * runs the fused {@link MixtureOps#gaussianMixtureLogProb} on {@code params}.
     */
    public static MixtureGaussian1d split(Var params, int k) {
        if (k < 1 || params.rank() < 1 || params.dim(-1) != 3 * k)
            throw new IllegalArgumentException("MixtureGaussian1d.split: params " + Arrays.toString(params.shape())
                    + " with K = " + k + ", expected [.., 3K] = [.., " + 3 * k + "]");
        return new MixtureGaussian1d(params, k);
    }

    private void unpack() {
        if (logPi != null) return;
        logPi = Composites.logSoftmax(slice(packed, -1, 0, k), -1);
        mu = slice(packed, -1, k, 2 * k);
        logSigma = slice(packed, -1, 2 * k, 3 * k);
    }

    /** Number of components K. */
    public int components() {
        return k;
    }

    /** log π, normalised: [.., K]. */
    public Var logPi() {
        unpack();
        return logPi;
    }

    public Var mu() {
        unpack();
        return mu;
    }

    public Var logSigma() {
        unpack();
        return logSigma;
    }

    /** log p(x) per element: x [..] -> [..], stable through logsumexp over the K components. */
    public Var logProb(Var x) {
        checkX(x);
        return packed != null ? MixtureOps.gaussianMixtureLogProb(packed, x, k) : logProbComposed(x);
    }

    private int[] checkX(Var x) {
        int[] want = Arrays.copyOf(shape, shape.length - 1);
        if (!Arrays.equals(x.shape(), want))
            throw new IllegalArgumentException("MixtureGaussian1d.logProb: x " + Arrays.toString(x.shape()) + ", expected "
                    + Arrays.toString(want) + " for components " + Arrays.toString(shape));
        return want;
    }

    /** {@link #logProb} composed from primitives (the reference of the fused kernel). */
    public Var logProbComposed(Var x) {
        int[] want = checkX(x);
        unpack();
        int[] col = Arrays.copyOf(want, want.length + 1);
        col[want.length] = 1;
        Var z = mul(sub(reshape(x, col), mu), exp(neg(logSigma)));                 // (x - μ) / σ      [.., K]
        Var logN = addScalar(neg(add(scale(square(z), 0.5f), logSigma)), -HALF_LOG_2PI); // log N(x; μ, σ) [.., K]
        return logsumexp(add(logPi, logN), -1, false);                            // [..]
    }

    /** E[x] = Σ_k π_k μ_k: [..]. */
    public Var mean() {
        return sum(mul(exp(logPi()), mu()), -1);
    }

    /**
     * One sample per element with temperature {@code tau} > 0 (a constant: no gradient): the
     * component from softmax(log π / τ), then μ + σ √τ ε. Small τ concentrates on the most likely
     * component and shrinks the noise; τ = 1 samples the mixture itself. [..].
     */
    public Var sample(Rng rng, float tau) {
        if (!(tau > 0) || !Float.isFinite(tau))
            throw new IllegalArgumentException("MixtureGaussian1d.sample: temperature tau = " + tau + ", expected a finite tau > 0");
        float[] lp = logPi().toArray(), m = mu().toArray(), ls = logSigma().toArray();
        int rows = lp.length / k;
        float[] x = new float[rows];
        double[] w = new double[k];
        double noise = Math.sqrt(tau);
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            double max = Double.NEGATIVE_INFINITY, total = 0;
            for (int j = 0; j < k; j++) max = Math.max(max, lp[o + j] / (double) tau);
            for (int j = 0; j < k; j++) total += w[j] = Math.exp(lp[o + j] / (double) tau - max);
            double u = rng.nextDouble() * total, acc = 0;
            int pick = k - 1;                                 // rounding in the running sum: the last component
            for (int j = 0; j < k - 1; j++) {
                acc += w[j];
                if (u < acc) { pick = j; break; }
            }
            x[r] = (float) (m[o + pick] + Math.exp(ls[o + pick]) * noise * rng.normal());
        }
        return Var.of(x, Arrays.copyOf(shape, shape.length - 1));
    }
}
