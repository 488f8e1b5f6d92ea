package latte.autodiff.dist;

import static latte.autodiff.Composites.logSoftmax;
import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;
import static latte.autodiff.ShapeOps.*;

import latte.autodiff.Var;
import latte.core.Rng;

/**
 * A categorical distribution over the last axis of {@code logits} [.., K] (DreamerV2 uses
 * [B, 32, 32]: 32 latents of 32 classes). Sampling with a straight-through gradient:
 * {@code onehot + p - stopGradient(p)} has the one-hot's value and the gradient of p.
 */
public final class Categorical {
    private final Var logits;
    private final Var logProbs;
    private final int classes;

    public Categorical(Var logits) {
        this.logits = logits;
        this.classes = logits.dim(-1);
        this.logProbs = logSoftmax(logits, -1);
    }

    public Var logits() {
        return logits;
    }

    /** log p_k = logits_k - logsumexp(logits). [.., K]. */
    public Var logProbs() {
        return logProbs;
    }

    /** p = softmax(logits). [.., K]. */
    public Var probs() {
        return exp(logProbs);
    }

    /** log p(x) for one-hot (or soft) x: sum_K x * log p. [.., K] -> [..]. */
    public Var logProb(Var oneHot) {
        return sum(mul(oneHot, logProbs), -1);
    }

    /** log p(k) for class indices, one per row of [.., K]. -> [..]. */
    public Var logProb(int[] index) {
        Var lp = reshape(logProbs, -1, classes);                                   // [R, K]
        int[] shape = logits.shape();
        return reshape(gather(lp, 1, index), java.util.Arrays.copyOf(shape, shape.length - 1));
    }

    /** H = -sum_K p log p. [.., K] -> [..]. */
    public Var entropy() {
        return neg(sum(mul(exp(logProbs), logProbs), -1));
    }

    /** KL(p || q) = sum_K p (log p - log q). [.., K] -> [..]. */
    public static Var kl(Categorical p, Categorical q) {
        return sum(mul(exp(p.logProbs), sub(p.logProbs, q.logProbs)), -1);
    }

    /** One class index per row, drawn by inverse CDF with {@code rng}. */
    public int[] sampleIndices(Rng rng) {
        float[] lp = logProbs.toArray();
        int rows = lp.length / classes;
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++) {
            double u = rng.nextDouble(), c = 0;
            int k = 0;
            for (; k < classes - 1; k++) {
                c += Math.exp(lp[r * classes + k]);
                if (u < c) break;
            }
            idx[r] = k;
        }
        return idx;
    }

    /** A one-hot sample whose gradient is that of the probabilities (straight-through). [.., K]. */
    public Var rsampleStraightThrough(Rng rng) {
        Var p = probs();
        return add(oneHot(sampleIndices(rng)), sub(p, stopGradient(p)));
    }

    /** The one-hot of the most probable class (first on ties). [.., K]. */
    public Var mode() {
        float[] lp = logProbs.toArray();
        int rows = lp.length / classes;
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++)
            for (int k = 1; k < classes; k++) if (lp[r * classes + k] > lp[r * classes + idx[r]]) idx[r] = k;
        return oneHot(idx);
    }

    private Var oneHot(int[] idx) {
        float[] h = new float[idx.length * classes];
        for (int r = 0; r < idx.length; r++) h[r * classes + idx[r]] = 1f;
        return Var.of(h, logits.shape());
    }
}
