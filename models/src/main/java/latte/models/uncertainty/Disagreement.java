package latte.models.uncertainty;

import static latte.autodiff.Ops.scale;

import latte.autodiff.Var;
import latte.models.world.RewardSource;
import latte.models.world.WorldModel;

/**
 * Plan2Explore's intrinsic reward (Sekar et al. 2020, eq. 5): the disagreement of the ensemble's
 * heads about the transition {@code x -> a -> x'}, read from the state the action was taken in
 * and the action, times a weight:
 * <pre>
 *   r_t = weight * D(x_{t-1}, a_{t-1})        D = (1/S) sum_d Var_k[mu_k]   (see {@link Ensemble})   [N]
 * </pre>
 * The heads enter as constants: the reward passes gradient to the imagined features and actions
 * (Dreamer's actor learns through the dynamics), never to the heads.
 */
public record Disagreement(Ensemble ensemble, float weight) implements RewardSource {
    @Override
    public Var reward(Transitions t) {
        Var d = ensemble.disagreement(t.from().get(), t.action().get());           // [N]
        return weight == 1f ? d : scale(d, weight);
    }

    /**
     * Imagination's reward as {@code exploration.reward} names it: the reward head, the weighted
     * disagreement alone (reward-free), or their sum.
     */
    public static RewardSource of(ExplorationConfig c, WorldModel model, Ensemble ensemble) {
        float w = (float) c.intrinsicWeight();
        return switch (c.reward()) {
            case "extrinsic" -> RewardSource.extrinsic(model);
            case "disagreement" -> new Disagreement(ensemble, w);
            case "mix" -> RewardSource.mix(RewardSource.extrinsic(model), 1f, new Disagreement(ensemble, 1f), w);
            default -> throw new IllegalArgumentException("exploration: unknown reward '" + c.reward() + "'; valid rewards: "
                    + String.join(", ", ExplorationConfig.REWARDS));
        };
    }
}
