package latte.models.world;

import latte.models.rssm.Rssm;

/**
 * The RSSM world model's architecture and objective (PlaNet, Hafner et al. 2019, appendix A).
 *
 * @param depth        encoder/decoder channel multiplier d (channels d, 2d, 4d, 8d; 32 in the paper)
 * @param rssm         state sizes, min std, activation and latent kind
 * @param rewardHidden width of the reward (and continuation) MLP's hidden layers
 * @param rewardLayers number of hidden layers of the reward MLP
 * @param bitDepth     observation bit depth (5: x' = floor(x / 8) / 32 + U(0, 1/32) - 0.5; 8: x / 255 - 0.5 + noise)
 * @param loss         the training objective
 */
public record WorldModelConfig(int depth, Rssm.Config rssm, int rewardHidden, int rewardLayers, int bitDepth, LossConfig loss) {
    public WorldModelConfig {
        if (depth <= 0 || rewardHidden <= 0 || rewardLayers < 0 || bitDepth < 1 || bitDepth > 8)
            throw new IllegalArgumentException("model: depth " + depth + ", reward MLP " + rewardLayers + " x " + rewardHidden
                    + ", bitDepth " + bitDepth + " (depth > 0, width > 0, layers >= 0, bitDepth 1..8)");
        if (loss.overshooting() > 1 && rssm.latent() != Rssm.Kind.GAUSSIAN)
            throw new IllegalArgumentException("model: latent overshooting " + loss.overshooting() + " with a " + rssm.latent()
                    + " state, expected a GAUSSIAN state (overshooting is PlaNet's)");
    }
}
