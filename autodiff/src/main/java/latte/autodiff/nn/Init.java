package latte.autodiff.nn;

import latte.core.Rng;

/**
 * PyTorch's default initialisation, drawn from an explicit {@link Rng}.
 * <ul>
 *   <li>weights: {@code kaiming_uniform_(a = sqrt(5))}: U(-b, b) with
 *       {@code b = gain * sqrt(3 / fanIn)}, {@code gain = sqrt(2 / (1 + a^2))}, which is
 *       {@code b = 1 / sqrt(fanIn)};</li>
 *   <li>biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)).</li>
 * </ul>
 * {@code fanIn} is what PyTorch computes from its own weight layout: {@code in} for Linear,
 * {@code in * KH * KW} for Conv2d and {@code out * KH * KW} for ConvTranspose2d (PyTorch stores
 * that weight as [in, out, KH, KW] and reads dim 1 as the fan-in).
 */
public final class Init {
    private Init() {}

    /** {@code n} values from U(-bound, bound). */
    public static float[] uniform(Rng rng, int n, double bound) {
        float[] w = new float[n];
        rng.fillUniform(w, 0, n, (float) -bound, (float) bound);
        return w;
    }

    /** Kaiming-uniform with negative slope {@code a}: bound {@code sqrt(6 / ((1 + a^2) fanIn))}. */
    public static float[] kaimingUniform(Rng rng, int n, int fanIn, double a) {
        return uniform(rng, n, Math.sqrt(6.0 / ((1 + a * a) * fanIn)));
    }

    /** PyTorch's default weight init ({@code a = sqrt(5)}): U(±1/sqrt(fanIn)). */
    public static float[] torchWeight(Rng rng, int n, int fanIn) {
        return kaimingUniform(rng, n, fanIn, Math.sqrt(5));
    }

    /** PyTorch's default bias init: U(±1/sqrt(fanIn)). */
    public static float[] torchBias(Rng rng, int n, int fanIn) {
        return uniform(rng, n, 1 / Math.sqrt(fanIn));
    }
}
