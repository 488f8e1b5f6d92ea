package latte.models.world;

import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Observation;
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
    private final boolean mean;
    private Rssm.State state;
    private float[] previous;

    /** {@code mean}: keep the posterior's mean instead of a sample (PlaNet's planMean). */
    public Belief(WorldModel model, boolean mean, Rng rng) {
        this.model = model;
        this.mean = mean;
        this.rng = rng;
        reset();
    }

    /** Back to the all-zero state and a zero previous action (a new episode). */
    public void reset() {
        state = model.initial(1);
        previous = new float[model.actionSize()];
    }

    /** Folds in the next observation and returns the new state ({@code h [1, D]}, {@code s [1, S]}). */
    public Rssm.State update(Observation observation, String who) {
        if (observation == null)
            throw new IllegalArgumentException(who + ": observation is null; pass what the environment's reset or step returned");
        try {
            state = model.filter(state, Var.of(previous.clone(), 1, previous.length), observation, mean, rng);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(who + ": " + e.getMessage(), e);
        }
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
