package latte.envs.perturb;

import java.util.SplittableRandom;
import latte.envs.Env;
import latte.envs.Frame;

/**
 * Adds independent Gaussian noise of standard deviation {@code sigma} (in grey levels, 0..255)
 * to every byte of every frame, rounded to the nearest integer and clipped to 0..255: a noisy
 * sensor.
 *
 * <p>Determinism: the noise comes from its own generator, seeded by the constructor's
 * {@code noiseSeed} together with the seed of {@link #reset(long)} ({@link #reset()} continues
 * the stream, as the tasks do), so one pair of seeds gives one result, and the noise never
 * touches the task's generator (the dynamics are those of the unwrapped task). Each frame's
 * noise is a function of the episode and the frame's index: rendering the same step twice
 * gives the same noisy frame.
 */
public final class PixelNoise extends VisualPerturbation {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final double sigma;
    private final long noiseSeed;
    private SplittableRandom episodes;
    private long episodeKey;

    public PixelNoise(Env inner, int at, double sigma, long noiseSeed) {
        super(inner, at);
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("PixelNoise: sigma = " + sigma + ", expected a finite standard deviation >= 0 (grey levels)");
        }
        this.sigma = sigma;
        this.noiseSeed = noiseSeed;
    }

    @Override
    public String kind() {
        return "noise";
    }

    @Override
    public double magnitude() {
        return sigma;
    }

    public long noiseSeed() {
        return noiseSeed;
    }

    @Override
    protected void episodeStarts(long seed, boolean seeded) {
        if (seeded || episodes == null) episodes = new SplittableRandom(noiseSeed * GOLDEN + (seeded ? seed : 0));
        episodeKey = episodes.nextLong();
    }

    @Override
    protected Frame alter(Frame f) {
        SplittableRandom rng = new SplittableRandom(episodeKey + (elapsed() + 1L) * GOLDEN * 31);
        byte[] in = f.data(), out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (byte) clamp8(Math.round((in[i] & 0xff) + sigma * rng.nextGaussian()));
        }
        return new Frame(f.height(), f.width(), f.channels(), out);
    }
}
