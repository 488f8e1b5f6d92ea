package latte.autodiff.dist;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;

import latte.autodiff.Var;
import latte.core.Rng;

/** Independent Bernoulli variables with p = sigmoid(logits), elementwise (no event axis). */
public final class Bernoulli {
    private final Var logits;

    public Bernoulli(Var logits) {
        this.logits = logits;
    }

    public Var logits() {
        return logits;
    }

    /** p = sigmoid(logits). */
    public Var mean() {
        return sigmoid(logits);
    }

    /** log p(x) = x l - softplus(l) (= x ln p + (1 - x) ln(1 - p), stable). Elementwise. */
    public Var logProb(Var x) {
        return sub(mul(x, logits), softplus(logits));
    }

    /** H = softplus(l) - l sigmoid(l). Elementwise. */
    public Var entropy() {
        return sub(softplus(logits), mul(logits, sigmoid(logits)));
    }

    /** 0/1 samples (a constant: no gradient). */
    public Var sample(Rng rng) {
        float[] l = logits.toArray();
        float[] x = new float[l.length];
        for (int i = 0; i < l.length; i++) x[i] = rng.nextDouble() < 1 / (1 + Math.exp(-l[i])) ? 1f : 0f;
        return Var.of(x, logits.shape());
    }
}
