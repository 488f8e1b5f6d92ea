package latte.models.uncertainty;

import java.util.List;

/**
 * Exploration by disagreement (Plan2Explore, Sekar et al. 2020; DreamerV2's {@code expl} code):
 * an {@link Ensemble} of one-step heads trained beside the world model, and where imagination
 * takes its reward from. Off ({@code members = 0}) by default, when nothing is built or trained.
 * <pre>
 *   extrinsic      r = r_ext                          the reward head (Dreamer as before)
 *   disagreement   r = w D(x, a)                      reward-free exploration
 *   mix            r = r_ext + w D(x, a)              task reward plus an exploration bonus
 *   D(x, a) = (1/S) sum_d Var_k[mu_k(x, a)_d]         the heads' disagreement (see {@link Ensemble})
 * </pre>
 *
 * @param members         K heads; 0 = off, else at least 2 (one head cannot disagree with itself)
 * @param units           width of each head's hidden layers (400 in DreamerV2)
 * @param layers          hidden layers per head (4 in DreamerV2)
 * @param lr              the heads' Adam learning rate (3e-4 in DreamerV2)
 * @param reward          imagination's reward: extrinsic, disagreement or mix
 * @param intrinsicWeight w, the weight of the disagreement in the reward
 */
public record ExplorationConfig(int members, int units, int layers, double lr, String reward, double intrinsicWeight) {
    /** Names {@link #reward} accepts. */
    public static final List<String> REWARDS = List.of("extrinsic", "disagreement", "mix");

    /** The default in every preset and for runs written before this option: no ensemble, the extrinsic reward. */
    public static final ExplorationConfig OFF = new ExplorationConfig(0, 128, 2, 3e-4, "extrinsic", 1.0);

    public ExplorationConfig {
        if (!REWARDS.contains(reward))
            throw new IllegalArgumentException("exploration: unknown reward '" + reward + "'; valid rewards: " + String.join(", ", REWARDS));
        if (members < 0 || members == 1)
            throw new IllegalArgumentException("exploration: " + members + " members, expected 0 (off) or >= 2 (an ensemble of one"
                    + " has no disagreement)");
        if (members == 0 && !reward.equals("extrinsic"))
            throw new IllegalArgumentException("exploration: reward '" + reward + "' needs an ensemble; set exploration.members >= 2");
        if (units < 1 || layers < 1 || !(lr > 0) || !(intrinsicWeight >= 0) || Double.isInfinite(intrinsicWeight))
            throw new IllegalArgumentException("exploration: units " + units + ", layers " + layers + ", lr " + lr + ", intrinsicWeight "
                    + intrinsicWeight + " (units >= 1, layers >= 1, lr > 0, intrinsicWeight >= 0 and finite)");
    }

    /** Whether an ensemble is built and trained. */
    public boolean on() {
        return members > 0;
    }
}
