package latte.models.dreamer;

/**
 * How Dreamer learns behaviour in imagination (Hafner et al. 2020, section 3 and algorithm 1).
 *
 * @param horizon    imagination horizon H
 * @param gamma      discount
 * @param lambda     lambda of the lambda-return
 * @param bounded    clamp imagined rewards to [min(0, r_lo), max(0, r_hi)], r_lo and r_hi the least and greatest
 *                   reward replayed so far, and bootstrap values to that range over 1 - gamma, where any return of
 *                   such rewards lies: the actor, trained through the learned model, otherwise steers imagination to
 *                   states where the reward head extrapolates beyond every reward of the task
 * @param returnNorm divide the actor's returns by max(1, S), S a running 5th-95th percentile range of the returns
 *                   (DreamerV3, Hafner et al. 2023, section 3): the entropy weight then means the same whatever the
 *                   reward scale
 * @param updates    actor and value updates per world-model update, each on a fresh imagination from the same start
 *                   states (1 in Dreamer)
 */
public record ImaginationConfig(int horizon, float gamma, float lambda, boolean bounded, boolean returnNorm, int updates) {
    public ImaginationConfig {
        if (horizon < 2 || !(gamma > 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1) || updates < 1)
            throw new IllegalArgumentException("imagination: horizon " + horizon + ", gamma " + gamma + ", lambda " + lambda
                    + ", updates " + updates + " (horizon >= 2, gamma in (0, 1], lambda in [0, 1], updates >= 1)");
    }
}
