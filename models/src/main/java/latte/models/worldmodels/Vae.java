package latte.models.worldmodels;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;

import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.Linear;
import latte.autodiff.optim.Adam;
import latte.core.Rng;
import latte.models.nets.ConvDecoder;
import latte.models.nets.ConvEncoder;

/**
 * World Models' vision model V (Ha and Schmidhuber 2018, section 2.1 and appendix A.1): a
 * convolutional VAE on 64x64x3 frames in [0, 1] that compresses each frame into a latent z.
 * <pre>
 *   encoder  o [N, 64, 64, 3] -> conv 32, 64, 128, 256 (k4 s2, ReLU) -> [N, 2, 2, 256] -> [N, 1024]
 *            -> dense μ [N, z], dense log σ² [N, z]                         (z = 32; 64 for Doom)
 *   sample   z = μ + σ ε,  ε ~ N(0, I)
 *   decoder  z -> dense 1024 -> [N, 1, 1, 1024] -> deconv 128 k5, 64 k5, 32 k6 (ReLU), 3 k6 sigmoid, stride 2
 *            -> ô [N, 64, 64, 3]
 *   loss     mean_n [ Σ_pixels (o − ô)² + max(KL(q(z|o) || N(0, I)), τ_KL · z) ]   τ_KL = 0.5 nats per dimension
 * </pre>
 * The conv stacks are PlaNet's ({@link ConvEncoder}, {@link ConvDecoder}: the same geometry), with
 * channels scaled by {@link Size#depth} (32 in the paper) so a smaller V fits a CPU. All parameters
 * live in one {@link ParamStore} ({@code encoder.*, mu.*, logvar.*, decoder.*}). The paper trains
 * with Adam 1e-4, batch 100, 10 epochs over 10k random rollouts: {@link #trainStep} is one step.
 */
public final class Vae {
    /**
     * Sizes of V.
     *
     * @param depth  channel multiplier d of the conv stacks (channels d, 2d, 4d, 8d; 32 in the paper)
     * @param latent z, the size of the code (32 for CarRacing, 64 for Doom)
     */
    public record Size(int depth, int latent) {
        public Size {
            if (depth < 1 || latent < 1)
                throw new IllegalArgumentException("Vae.Size: depth " + depth + " and latent " + latent + " must be >= 1");
        }

        /** The paper's CarRacing V: d = 32, z = 32 (about 4.3M parameters). */
        public static Size paper() {
            return new Size(32, 32);
        }

        /** A V that trains on two cores: d = 8 (a sixteenth of the conv work), z = 32. */
        public static Size cpu() {
            return new Size(8, 32);
        }

        /** Tiny, for tests: d = 4, z = 4 (at d = 2 the ReLU stack tends to start dead: every frame encodes alike). */
        public static Size debug() {
            return new Size(4, 4);
        }
    }

    /** q(z | o): mean and log variance, each [N, z]. */
    public record Posterior(Var mu, Var logVar) {
        /** σ = exp(log σ² / 2). */
        public Var sigma() {
            return exp(scale(logVar, 0.5f));
        }
    }

    /** One step's losses: {@code total} carries the graph; the parts are batch means. */
    public record Losses(Var total, float reconstruction, float kl) {}

    /** The paper's KL tolerance: 0.5 nats per latent dimension. */
    public static final float KL_TOLERANCE = 0.5f;

    private final Size size;
    private final float klTolerance;
    private final ParamStore store = new ParamStore();
    private final ConvEncoder encoder;
    private final Linear mu, logVar;
    private final ConvDecoder decoder;

    /** V of {@code size} with the KL tolerance in nats per latent dimension (the paper: {@link #KL_TOLERANCE}). */
    public Vae(Size size, float klTolerance, Rng rng) {
        if (!(klTolerance >= 0)) throw new IllegalArgumentException("Vae: klTolerance " + klTolerance + " must be >= 0");
        this.size = size;
        this.klTolerance = klTolerance;
        this.encoder = new ConvEncoder(store.scope("encoder"), size.depth(), Activation.RELU, rng);
        this.mu = new Linear(store.scope("mu"), encoder.outSize(), size.latent(), rng);
        this.logVar = new Linear(store.scope("logvar"), encoder.outSize(), size.latent(), rng);
        this.decoder = new ConvDecoder(store.scope("decoder"), size.latent(), size.depth(), Activation.RELU, rng);
    }

    public Size size() {
        return size;
    }

    public ParamStore store() {
        return store;
    }

    /** q(z | o): frames [N, 64, 64, 3] in [0, 1] -> (μ, log σ²) [N, z]. */
    public Posterior encode(Var frames) {
        Var e = encoder.apply(frames);                              // [N, 32d]
        return new Posterior(mu.apply(e), logVar.apply(e));         // [N, z] each
    }

    /** z = μ + σ ε, ε ~ N(0, I) from {@code rng}: differentiable in μ and log σ². [N, z]. */
    public Var sample(Posterior q, Rng rng) {
        float[] eps = new float[q.mu().size()];
        rng.fillNormal(eps, 0, eps.length, 0f, 1f);
        return add(q.mu(), mul(q.sigma(), Var.of(eps, q.mu().shape())));
    }

    /** z [N, z] -> frames [N, 64, 64, 3] in (0, 1). */
    public Var decode(Var z) {
        if (z.rank() != 2 || z.dim(1) != size.latent())
            throw new IllegalArgumentException("Vae.decode: z " + java.util.Arrays.toString(z.shape()) + ", expected [N, " + size.latent() + "]");
        return sigmoid(decoder.apply(z));                           // [N, 64, 64, 3]
    }

    /** The loss of one batch of frames [N, 64, 64, 3] in [0, 1], with z sampled from {@code rng}. */
    public Losses loss(Var frames, Rng rng) {
        Posterior q = encode(frames);
        Var recon = decode(sample(q, rng));                         // [N, 64, 64, 3]
        float n = frames.dim(0);
        Var r = scale(sumSquaredError(recon, frames), 1f / n);      // mean over the batch of the per-frame sum
        Var kl = klTerm(q, klTolerance);
        return new Losses(add(r, kl), r.item(), kl.item());
    }

    /**
     * mean_n max(KL_n, τ z) with KL_n = −½ Σ_z (1 + log σ² − μ² − σ²), the KL of q(z|o) from
     * N(0, I) per frame: below τ z nats a frame's KL is not pushed down any further (no gradient).
     */
    public static Var klTerm(Posterior q, float tolerancePerDim) {
        int z = q.mu().dim(-1);
        Var lv = q.logVar();
        Var inside = sub(sub(addScalar(lv, 1f), square(q.mu())), exp(lv));    // [N, z]
        Var kl = scale(sum(inside, -1), -0.5f);                               // [N]
        return mean(maximum(kl, Var.scalar(tolerancePerDim * z)));
    }

    /** One training step: loss, backward, Adam (the paper: Adam 1e-4, no clipping); the store's gradients end zeroed. */
    public Losses trainStep(Var frames, Adam adam, Rng rng) {
        Losses l;
        try (Tape tape = Tape.record()) {
            l = loss(frames, rng);
            tape.backward(l.total());
        }
        adam.step();
        store.zeroGrad();
        return l;
    }

    /** {@code n} uint8 values from {@code src[srcOff..]} as floats in [0, 1] ({@code x / 255}) into {@code dst[dstOff..]}. */
    public static void toUnit(byte[] src, int srcOff, int n, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = (src[srcOff + i] & 0xff) / 255f;
    }
}
