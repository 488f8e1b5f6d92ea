package latte.models.world;

import java.util.List;
import latte.autodiff.ParamStore;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Observation;
import latte.models.replay.Batch;
import latte.models.rssm.Rssm;

/**
 * What planners, actor-critics, ensembles and novelty scores see of a latent world model
 * (Hafner et al. 2019, section 3; Hafner et al. 2020, section 3): filter observations into a
 * latent state, imagine forward under actions without observations, predict reward and
 * continuation from the state's features, decode features back to an observation, and the
 * per-step KL between what the model expected and what it saw.
 * <pre>
 *   filter      s_t ~ q(s_t | h_t, o_t),  h_t = f(h_{t-1}, s_{t-1}, a_{t-1})       one step, acting
 *   observe     the same over a replayed batch [T, B]                               training
 *   imagine     s_t ~ p(s_t | h_t)                                                  planning, imagination
 *   features    x_t = [h_t, s_t]                                                    [N, F]
 *   reward      E[r_t | x_t]; continuation logits of P(not terminal | x_t)          [N]
 *   decode      E[o_t | x_t] in the model's input units                             [N, ...observation]
 *   kl          KL(q(s_t | ...) || p(s_t | h_t)), the surprise of step t            [B]
 * </pre>
 * Acting and planning run inside {@code Tape.noGrad()}; training records onto the current tape.
 */
public interface WorldModel {
    /** The scalar terms of one training loss; {@code total} carries the graph, {@code steps} the filtered states. */
    record Losses(Var total, float reconstruction, float reward, float kl, float overshooting, float continuation,
                  List<Rssm.Step> steps) {}

    int actionSize();

    /** Length F of the features the heads read. */
    int featureSize();

    /** Every parameter, for the optimiser and checkpoints. */
    ParamStore store();

    /** The state before the first observation of a batch of {@code batch} episodes. */
    Rssm.State initial(int batch);

    /** The training loss on a replayed batch (records onto the current tape). */
    Losses loss(Batch batch, Rng rng);

    /** Filters a replayed batch: the per-step states, priors and posteriors. */
    List<Rssm.Step> observe(Batch batch, Rng rng);

    /**
     * One filtering step while acting: the state after {@code action} (the one that led to
     * {@code observation}, {@code [B, A]}) with the observation folded in; {@code mean} takes the
     * posterior's mean instead of a sample.
     */
    Rssm.State filter(Rssm.State previous, Var action, Observation observation, boolean mean, Rng rng);

    /** One step of imagination under {@code action [N, A]}: the prior's sample, or its mean. */
    Rssm.State imagine(Rssm.State state, Var action, boolean mean, Rng rng);

    /** The features the heads read: {@code [N, F]}. */
    Var features(Rssm.State state);

    /** The predicted reward mean for features {@code [N, F]}: {@code [N]}. */
    Var reward(Var features);

    /** Whether {@link #continuationLogits} is learned (else every imagined step continues). */
    boolean hasContinuation();

    /** Logits of P(not terminal) for features {@code [N, F]}: {@code [N]}. */
    Var continuationLogits(Var features);

    /** The observation the model expects for features {@code [N, F]}, in its input units. */
    Var decode(Var features);

    /** The per-step surprise KL(q || p) of a filtered step: {@code [B]}. */
    Var kl(Rssm.Step step);
}
