package latte.models.world;

import java.util.List;
import latte.autodiff.Tape;
import latte.core.Rng;
import latte.models.rssm.Rssm;
import latte.models.run.EpisodeFile;

/**
 * The model's surprise at each step of a recorded episode: how far the posterior, which has seen
 * the frame, moved from the prior, which only had the past and the action (PlaNet, eq. 3's KL
 * term, per step and unclipped by free nats):
 * <pre>
 *   KL_t = KL( q(s_t | h_t, e_t) || p(s_t | h_t) )      nats, t = 1..T
 * </pre>
 * Peaks mark steps the dynamics did not predict (a new situation, a contact, the first frames
 * before the belief has settled); a model whose KL sits at the free nats everywhere has learned
 * to ignore its latent.
 */
public final class Surprise {
    private Surprise() {}

    /** KL_t of the first {@code maxSteps} steps of {@code episode} (filtered as in training, without a tape): {@code [T]}. */
    public static float[] perStep(WorldModel model, EpisodeFile.Episode episode, int maxSteps, Rng rng) {
        int steps = Math.min(episode.steps(), maxSteps);
        if (steps < 1) throw new IllegalArgumentException("Surprise: need at least one step, got maxSteps " + maxSteps);
        try (Tape.Scope ignored = Tape.noGrad()) {
            List<Rssm.Step> filtered = model.observe(episode.chunk(1, steps), rng);
            float[] kl = new float[steps];
            for (int t = 0; t < steps; t++) kl[t] = model.kl(filtered.get(t)).item();          // [1] each
            return kl;
        }
    }
}
