package latte.models.planet;

import latte.models.plan.Cem;

/**
 * PlaNet's planner (section 3, "Planning algorithm"): CEM over action sequences scored by open-
 * loop rollouts of the prior.
 *
 * @param horizon    H
 * @param candidates J
 * @param topK       K
 * @param iterations I
 * @param planMean   act on means: the filter keeps the posterior mean and the planner rolls candidates forward on
 *                   the prior mean, instead of samples (PlaNet samples; with few candidates the sampling noise
 *                   hides small return differences)
 */
public record PlannerConfig(int horizon, int candidates, int topK, int iterations, boolean planMean) {
    public PlannerConfig {
        cem(horizon, candidates, topK, iterations);
    }

    private static Cem.Config cem(int horizon, int candidates, int topK, int iterations) {
        try {
            return new Cem.Config(horizon, candidates, topK, iterations);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("planner: " + e.getMessage(), e);
        }
    }

    /** The CEM sizes. */
    public Cem.Config cem() {
        return new Cem.Config(horizon, candidates, topK, iterations);
    }
}
