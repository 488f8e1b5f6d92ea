package latte.models.dreamer;

import latte.models.config.Optim;

/**
 * Dreamer's value model v(s) and its optimiser.
 *
 * @param hidden      width of the hidden layers
 * @param layers      number of hidden layers
 * @param symlog      regress symlog(R) and predict symexp of the output (DreamerV3's transform with a squared
 *                    error): returns in the thousands, such as Pendulum-v1's, are fit as easily as returns near 1
 * @param targetEvery bootstrap the returns from a slow copy of the value model refreshed every this many updates
 *                    (DreamerV2's target network); 0 bootstraps from the value model itself (Dreamer v1)
 * @param optim       Adam and global-norm clip of the value model
 */
public record ValueConfig(int hidden, int layers, boolean symlog, int targetEvery, Optim optim) {
    public ValueConfig {
        if (hidden <= 0 || layers < 0 || targetEvery < 0)
            throw new IllegalArgumentException("value: " + layers + " x " + hidden + ", targetEvery " + targetEvery
                    + " (width > 0, layers >= 0, targetEvery >= 0)");
    }
}
