package latte.models.worldmodels;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;
import static latte.autodiff.ReduceOps.*;

import latte.autodiff.LstmState;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.dist.Bernoulli;
import latte.autodiff.dist.MixtureGaussian1d;
import latte.autodiff.nn.Linear;
import latte.autodiff.nn.LstmCell;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Rng;

/**
 * World Models' memory M (Ha and Schmidhuber 2018, section 2.2 and appendix A.2): an LSTM over
 * [z_t, a_t] whose output h_{t+1} parameterises a mixture density over the next latent
 * P(z_{t+1} | a_t, z_t, h_t), K one-dimensional Gaussians per latent dimension, plus a reward head
 * and a done head (Doom's M predicts "done"; the reward head serves dreams of reward tasks).
 * <pre>
 *   h_{t+1}, c_{t+1} = LSTM([z_t, a_t], (h_t, c_t))                     LSTM 256 (Doom 512), forget bias 1
 *   [log π, μ, log σ] = dense(h_{t+1})  -> [z, 3K]                      K = 5
 *   r̂_t = dense(h_{t+1}),  d_t-logit = dense(h_{t+1})
 *   loss = w_mdn · mean_{t,b,i} −log Σ_k π_k N(z_{t+1,i}; μ_k, σ_k)
 *        + w_r · mean (r̂ − r)²  + w_d · mean BCE(d-logit, done)
 * </pre>
 * Trained on sequences of z sampled from V's (μ, σ) afresh for every batch ({@link #sequences}),
 * Adam 1e-3, gradients clipped by value to 1.0 ({@link #trainStep}). {@link #step} advances one
 * step at a time with the state carried by the caller (acting with C, dreaming in {@link DreamEnv}).
 */
public final class MdnRnn {
    /**
     * Sizes of M.
     *
     * @param latent   z (32 CarRacing, 64 Doom)
     * @param actions  action inputs (3 CarRacing; a discrete task feeds a one-hot)
     * @param hidden   LSTM units (256 CarRacing, 512 Doom)
     * @param mixtures Gaussians per latent dimension (5)
     */
    public record Size(int latent, int actions, int hidden, int mixtures) {
        public Size {
            if (latent < 1 || actions < 1 || hidden < 1 || mixtures < 1)
                throw new IllegalArgumentException("MdnRnn.Size: latent " + latent + ", actions " + actions + ", hidden " + hidden
                        + ", mixtures " + mixtures + ": all must be >= 1");
        }

        /** The paper's CarRacing M: z 32, 3 actions, LSTM 256, 5 mixtures. */
        public static Size paper() {
            return new Size(32, 3, 256, 5);
        }

        /** Tiny, for tests. */
        public static Size debug() {
            return new Size(3, 2, 8, 2);
        }
    }

    /** Loss weights of the three heads. */
    public record Weights(float mdn, float reward, float done) {
        public Weights {
            if (!(mdn >= 0 && reward >= 0 && done >= 0))
                throw new IllegalArgumentException("MdnRnn.Weights: mdn " + mdn + ", reward " + reward + ", done " + done + " must be >= 0");
        }

        /** Every head at weight 1. */
        public static Weights all() {
            return new Weights(1, 1, 1);
        }

        /** Only the MDN (the paper's CarRacing M). */
        public static Weights mdnOnly() {
            return new Weights(1, 0, 0);
        }
    }

    /**
     * A training batch: z [T, B, z] (inputs), actions [T, B, A], nextZ [T, B, z] (targets),
     * rewards [T, B] and dones [T, B] (0/1) of the transitions t -> t + 1.
     */
    public record Sequences(Var z, Var actions, Var nextZ, Var rewards, Var dones) {}

    /** The three losses (batch means); {@code total} carries the graph. */
    public record Losses(Var total, float mdn, float reward, float done) {}

    /** One step's prediction: the new state, p(z_{t+1}) [B, z] (K components each), r̂ [B], done logits [B]. */
    public record Prediction(LstmState state, MixtureGaussian1d next, Var reward, Var doneLogits) {}

    /** TensorFlow's {@code forget_bias} of the paper's LSTM cell, as an initial f-gate bias. */
    public static final float FORGET_BIAS = 1f;

    private final Size size;
    private final ParamStore store = new ParamStore();
    private final LstmCell lstm;
    private final Linear mdn, reward, done;

    public MdnRnn(Size size, Rng rng) {
        this.size = size;
        this.lstm = new LstmCell(store.scope("lstm"), size.latent() + size.actions(), size.hidden(), FORGET_BIAS, rng);
        this.mdn = new Linear(store.scope("mdn"), size.hidden(), size.latent() * 3 * size.mixtures(), rng);
        this.reward = new Linear(store.scope("reward"), size.hidden(), 1, rng);
        this.done = new Linear(store.scope("done"), size.hidden(), 1, rng);
    }

    public Size size() {
        return size;
    }

    public ParamStore store() {
        return store;
    }

    public LstmCell lstm() {
        return lstm;
    }

    /** The zero state (h, c) of a batch, [B, H] each: the start of every episode. */
    public LstmState initialState(int batch) {
        return lstm.zeroState(batch);
    }

    /** One step: z [B, z], a [B, A], the state -> prediction for t + 1 (carry its state on). */
    public Prediction step(Var z, Var a, LstmState state) {
        LstmState next = lstm.apply(concat(-1, z, a), state);                  // [B, H]
        return new Prediction(next, heads(next.h()), reshape(reward.apply(next.h()), z.dim(0)),
                reshape(done.apply(next.h()), z.dim(0)));
    }

    /** The mixture p(z_{t+1}) from LSTM outputs h [.., H] -> [.., z] with K components each. */
    private MixtureGaussian1d heads(Var h) {
        int[] s = h.shape();
        int[] out = java.util.Arrays.copyOf(s, s.length + 1);
        out[s.length - 1] = size.latent();
        out[s.length] = 3 * size.mixtures();
        return MixtureGaussian1d.split(reshape(mdn.apply(h), out), size.mixtures());  // [.., z, 3K]
    }

    /** The weighted loss of a batch of sequences, from the zero state. */
    public Losses loss(Sequences s, Weights w) {
        int t = s.z().rank() == 3 ? s.z().dim(0) : -1, b = s.z().rank() == 3 ? s.z().dim(1) : -1;
        if (t < 0 || s.z().dim(2) != size.latent() || !java.util.Arrays.equals(s.nextZ().shape(), s.z().shape())
                || s.actions().rank() != 3 || s.actions().dim(0) != t || s.actions().dim(1) != b || s.actions().dim(2) != size.actions()
                || !java.util.Arrays.equals(s.rewards().shape(), new int[] {t, b}) || !java.util.Arrays.equals(s.dones().shape(), new int[] {t, b}))
            throw new IllegalArgumentException("MdnRnn.loss: z " + java.util.Arrays.toString(s.z().shape()) + ", actions "
                    + java.util.Arrays.toString(s.actions().shape()) + ", nextZ " + java.util.Arrays.toString(s.nextZ().shape())
                    + ", rewards " + java.util.Arrays.toString(s.rewards().shape()) + ", dones " + java.util.Arrays.toString(s.dones().shape())
                    + ": expected [T, B, " + size.latent() + "], [T, B, " + size.actions() + "], [T, B, " + size.latent() + "], [T, B], [T, B]");
        Var hs = lstm.sequence(concat(-1, s.z(), s.actions()), null).h();       // [T, B, H]
        Var nll = neg(mean(heads(hs).logProb(s.nextZ())));                      // the paper's z_cost
        Var total = scale(nll, w.mdn());
        float rew = 0, dn = 0;
        if (w.reward() > 0) {
            Var r = mean(square(sub(reshape(reward.apply(hs), t, b), s.rewards())));
            total = add(total, scale(r, w.reward()));
            rew = r.item();
        }
        if (w.done() > 0) {
            Var d = neg(mean(new Bernoulli(reshape(done.apply(hs), t, b)).logProb(s.dones())));
            total = add(total, scale(d, w.done()));
            dn = d.item();
        }
        return new Losses(total, nll.item(), rew, dn);
    }

    /** One training step: loss, backward, clip every gradient to ±clip (the paper: 1.0), Adam; gradients end zeroed. */
    public Losses trainStep(Sequences s, Weights w, Adam adam, double clip) {
        Losses l;
        try (Tape tape = Tape.record()) {
            l = loss(s, w);
            tape.backward(l.total());
        }
        GradClip.byValue(store, clip);
        adam.step();
        store.zeroGrad();
        return l;
    }

    /**
     * A batch with z sampled from V's posteriors: {@code mu, sigma [T + 1, B, z]} (one frame more
     * than transitions), z_t = μ_t + σ_t ε for t = 0..T; inputs z_0..z_{T−1}, targets z_1..z_T.
     * {@code actions [T, B, A]}, {@code rewards, dones [T, B]}.
     */
    public static Sequences sequences(int steps, int batch, int latent, float[] mu, float[] sigma, float[] actions,
                                      float[] rewards, float[] dones, Rng rng) {
        int frames = (steps + 1) * batch * latent, n = steps * batch * latent;
        if (mu.length != frames || sigma.length != frames || actions.length % (steps * batch) != 0
                || rewards.length != steps * batch || dones.length != steps * batch)
            throw new IllegalArgumentException("MdnRnn.sequences: T = " + steps + ", B = " + batch + ", z = " + latent + ": mu "
                    + mu.length + " and sigma " + sigma.length + " floats (expected " + frames + " = [T+1, B, z]), actions "
                    + actions.length + " (a multiple of T·B), rewards " + rewards.length + " and dones " + dones.length
                    + " (expected " + steps * batch + ")");
        float[] z = new float[frames];
        for (int i = 0; i < frames; i++) z[i] = mu[i] + sigma[i] * rng.normal();
        int a = actions.length / (steps * batch);
        return new Sequences(Var.of(java.util.Arrays.copyOfRange(z, 0, n), steps, batch, latent), Var.of(actions, steps, batch, a),
                Var.of(java.util.Arrays.copyOfRange(z, batch * latent, frames), steps, batch, latent),
                Var.of(rewards, steps, batch), Var.of(dones, steps, batch));
    }
}
