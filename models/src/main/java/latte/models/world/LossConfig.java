package latte.models.world;

/**
 * The world model's training objective (PlaNet section 4, eq. 3, and what Dreamer and its
 * successors changed in it):
 * <pre>
 *   L = -ln p(o_t | h_t, s_t) - rewardScale ln p(r_t | h_t, s_t) + klScale * free(KL(q || p))
 *   free nats per step (PlaNet):           mean(max(KL, freeNats))
 *   free nats after averaging (Dreamer):   max(mean KL, freeNats)
 *   KL balancing (DreamerV2, alpha 0.8):   alpha KL(sg(q) || p) + (1 - alpha) KL(q || sg(p))
 *   continuation head (DreamerV2):         - ln Bernoulli(nonterminal_t; c(h_t, s_t)), weight 1
 * </pre>
 *
 * @param objective         variational (ELBO) or deterministic encoder
 * @param freeNats          KL below this many nats is not penalised
 * @param freeNatsAfterMean apply free nats to the KL averaged over batch and time (Dreamer) rather than per step
 * @param klScale           weight of the KL (or transition log-likelihood) term
 * @param klBalance         0 for the plain KL; else alpha in (0, 1) of KL balancing
 * @param rewardScale       weight of the reward log-likelihood (10 in PlaNet's official config)
 * @param overshooting      latent overshooting distance D (1 = off)
 * @param overshootingScale weight of the overshooting KL terms for distances 2..D
 * @param continuation      learn a continuation (discount) head on the nonterminal flags
 */
public record LossConfig(Objective objective, float freeNats, boolean freeNatsAfterMean, float klScale, float klBalance,
                         float rewardScale, int overshooting, float overshootingScale, boolean continuation) {
    public LossConfig {
        if (objective == null || !(freeNats >= 0) || !(klScale >= 0) || !(klBalance >= 0 && klBalance < 1) || !(rewardScale >= 0)
                || overshooting < 1 || !(overshootingScale >= 0))
            throw new IllegalArgumentException("loss: objective " + objective + ", freeNats " + freeNats + ", klScale " + klScale
                    + ", klBalance " + klBalance + ", rewardScale " + rewardScale + ", overshooting " + overshooting
                    + ", overshootingScale " + overshootingScale
                    + " (free nats and scales >= 0, klBalance 0 (off) or in (0, 1), overshooting >= 1)");
    }
}
