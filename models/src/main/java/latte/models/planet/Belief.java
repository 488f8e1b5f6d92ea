package latte.models.planet;

import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.nets.ConvEncoder;
import latte.models.rssm.Rssm;

/**
 * An acting agent's running belief over the latent state, filtered with the posterior (PlaNet
 * section 3; Dreamer acts from the same filter):
 * <pre>
 *   h_t = GRU(h_{t-1}, [s_{t-1}, a_{t-1}]),   s_t ~ q(s_t | h_t, enc(o_t))
 * </pre>
 * {@code a_{t-1}} is the action last reported to {@link #executed}: what the world actually saw,
 * exploration noise included. Call {@link #update} inside a {@code Tape.noGrad()} scope.
 */
public final class Belief {
    private final WorldModel model;
    private final Rng rng;
    private Rssm.State state;
    private float[] previous;

    public Belief(WorldModel model, Rng rng) {
        this.model = model;
        this.rng = rng;
        reset();
    }

    /** Back to the all-zero state and a zero previous action (a new episode). */
    public void reset() {
        state = model.rssm().initial(1);
        previous = new float[model.actionSize()];
    }

    /** Folds in the next frame and returns the new state ({@code h [1, D]}, {@code s [1, S]}). */
    public Rssm.State update(Frame frame, String who) {
        if (frame.height() != ConvEncoder.SIZE || frame.width() != ConvEncoder.SIZE || frame.channels() != 3)
            throw new IllegalArgumentException(who + ": frame " + frame + ", expected [64, 64, 3]");
        Var e = model.encoder().apply(model.frames(frame.data(), 0, 1, null));          // [1, E]
        Var h = model.rssm().deterministic(state, Var.of(previous.clone(), 1, previous.length)); // [1, D]
        var posterior = model.rssm().posterior(h, e);
        state = new Rssm.State(h, model.config().planMean() ? posterior.mean() : posterior.rsample(rng)); // s [1, S]
        return state;
    }

    /** Records the action sent to the environment after the last {@link #update}. */
    public void executed(float[] action) {
        previous = action.clone();
    }

    public Rssm.State state() {
        return state;
    }
}
