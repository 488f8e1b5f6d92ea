package latte.models.dreamer;

import latte.models.config.Optim;

/**
 * Dreamer's action model q(a | s) ({@link Actor}) and its optimiser.
 *
 * @param hidden    width of the hidden layers
 * @param layers    number of hidden layers
 * @param initStd   std of the tanh-Normal's pre-tanh Gaussian at zero network output (5 in Dreamer v1)
 * @param meanScale the pre-tanh mean is {@code m tanh(mu / m)} (5 in Dreamer v1): a smaller m keeps the mean where
 *                  tanh still has a gradient
 * @param minStd    floor added to the pre-tanh std (1e-4 in Dreamer v1, 0.1 in DreamerV2 and V3)
 * @param entropy   weight of the entropy bonus in the actor's loss (0 in Dreamer v1)
 * @param optim     Adam and global-norm clip of the actor
 */
public record ActorConfig(int hidden, int layers, float initStd, float meanScale, float minStd, float entropy, Optim optim) {
    public ActorConfig {
        if (hidden <= 0 || layers < 0 || !(initStd > 0) || !(meanScale > 0) || !(minStd > 0) || !(entropy >= 0))
            throw new IllegalArgumentException("actor: " + layers + " x " + hidden + ", initStd " + initStd + ", meanScale " + meanScale
                    + ", minStd " + minStd + ", entropy " + entropy + " (sizes > 0, stds and scale > 0, entropy >= 0)");
    }
}
