package latte.models.world;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;
import static latte.autodiff.ShapeOps.*;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.ParamStore;
import latte.autodiff.Var;
import latte.autodiff.dist.Bernoulli;
import latte.autodiff.dist.DiagGaussian;
import latte.autodiff.nn.Mlp;
import latte.core.Rng;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.models.nets.ConvDecoder;
import latte.models.nets.ConvEncoder;
import latte.models.nets.Frames;
import latte.models.replay.Batch;
import latte.models.replay.ObsSpec;
import latte.models.rssm.Latent;
import latte.models.rssm.Rssm;

/**
 * PlaNet's latent dynamics model (Hafner et al. 2019, sections 3-4), which Dreamer trains too:
 * encoder, RSSM, observation decoder, reward model and, optionally, a continuation model, all
 * parameters in one {@link ParamStore}. It reads 64x64 RGB frames.
 *
 * <p>Training objective per step t, averaged over the batch and time (section 4, eq. 3; the
 * options are {@link LossConfig}'s):
 * <pre>
 *   L = -ln p(o_t | h_t, s_t)                      sum over pixels, unit-variance Gaussian
 *       - rewardScale * ln p(r_t | h_t, s_t)        unit-variance Gaussian
 *       + klScale * max(KL(q(s_t | h_t, e_t) || p(s_t | h_t)), freeNats)
 * </pre>
 * (constants of the Gaussian log-densities omitted). With latent overshooting (distance D > 1),
 * multi-step priors {@code p(s_t | s_{t-d})} for d = 2..D are matched to the stop-gradient
 * posterior and added with weight {@code overshootingScale}. The deterministic objective replaces
 * the KL by {@code -ln p(s_t | h_t)} at {@code s_t = g(h_t, e_t)}.
 */
public final class RssmWorldModel implements WorldModel {
    /** The observations the encoder reads: 64x64 RGB frames. */
    public static final ObsSpec INPUT = ObsSpec.frame(ConvEncoder.SIZE, ConvEncoder.SIZE, 3);

    private final WorldModelConfig config;
    private final LossConfig options;
    private final Mlp continuation;
    private final ParamStore store = new ParamStore();
    private final ConvEncoder encoder;
    private final ConvDecoder decoder;
    private final Rssm rssm;
    private final Mlp reward;
    private final int actionSize;

    public RssmWorldModel(WorldModelConfig config, int actionSize, Rng rng) {
        this.config = config;
        this.options = config.loss();
        this.actionSize = actionSize;
        this.encoder = new ConvEncoder(store.scope("encoder"), config.depth(), config.rssm().act(), rng);
        this.rssm = new Rssm(store.scope("rssm"), config.rssm(), actionSize, encoder.outSize(), rng);
        this.decoder = new ConvDecoder(store.scope("decoder"), rssm.featureSize(), config.depth(), config.rssm().act(), rng);
        int[] hidden = new int[config.rewardLayers()];
        java.util.Arrays.fill(hidden, config.rewardHidden());
        this.reward = new Mlp(store.scope("reward"), rssm.featureSize(), hidden, 1, config.rssm().act(), rng);
        this.continuation = options.continuation()
                ? new Mlp(store.scope("continuation"), rssm.featureSize(), hidden, 1, config.rssm().act(), rng) : null;
    }

    public WorldModelConfig config() { return config; }
    @Override public ParamStore store() { return store; }
    public Rssm rssm() { return rssm; }
    public ConvEncoder encoder() { return encoder; }
    public ConvDecoder decoder() { return decoder; }
    @Override public int actionSize() { return actionSize; }
    @Override public int featureSize() { return rssm.featureSize(); }
    @Override public Rssm.State initial(int batch) { return rssm.initial(batch); }
    /** The reward head r(h, s) as layers. */
    public Mlp rewardHead() { return reward; }

    /** Reward mean r(h, s): features [B, F] -> [B]. */
    @Override
    public Var reward(Var features) {
        return reshape(reward.apply(features), features.dim(0));
    }

    @Override
    public boolean hasContinuation() {
        return continuation != null;
    }

    /** Continuation logits: features [B, F] -> [B]; P(not terminal) = sigmoid. Requires {@link LossConfig#continuation()}. */
    @Override
    public Var continuationLogits(Var features) {
        if (continuation == null) throw new IllegalStateException("WorldModel: this model has no continuation head (loss.continuation)");
        return reshape(continuation.apply(features), features.dim(0));
    }

    /** Preprocesses {@code n} uint8 frames into a [n, 64, 64, 3] input (noise from {@code rng}, or bin centres). */
    public Var frames(byte[] obs, int offset, int n, Rng rng) {
        int frame = ConvEncoder.SIZE * ConvEncoder.SIZE * 3;
        float[] x = new float[n * frame];
        Frames.preprocess(obs, offset, n * frame, config.bitDepth(), rng, x, 0);
        return Var.of(x, n, ConvEncoder.SIZE, ConvEncoder.SIZE, 3);
    }

    /** Filters a batch: returns the per-step states, priors and posteriors. */
    @Override
    public List<Rssm.Step> observe(Batch b, Rng rng) {
        return observe(b, frames(b.obs(), 0, b.steps() * b.batch(), rng), rng);
    }

    /** Filters a batch whose frames are already preprocessed ({@code x [T*B, 64, 64, 3]}). */
    private List<Rssm.Step> observe(Batch b, Var x, Rng rng) {
        int t = b.steps(), bs = b.batch();
        Var embed = encoder.apply(x);                                        // [T*B, E]
        List<Var> embeds = new ArrayList<>(t), actions = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            embeds.add(slice(embed, 0, i * bs, (i + 1) * bs));                 // [B, E]
            actions.add(Var.of(java.util.Arrays.copyOfRange(b.action(), i * bs * actionSize, (i + 1) * bs * actionSize),
                    bs, actionSize));                                           // [B, A]
        }
        return rssm.observe(rssm.initial(bs), embeds, actions, options.objective() == Objective.VARIATIONAL, rng);
    }

    @Override
    public Rssm.State filter(Rssm.State previous, Var action, Observation observation, boolean mean, Rng rng) {
        if (!(observation instanceof Frame frame) || frame.height() != ConvEncoder.SIZE || frame.width() != ConvEncoder.SIZE
                || frame.channels() != 3)
            throw new IllegalArgumentException("observation " + observation + ", expected a frame [64, 64, 3]");
        Var e = encoder.apply(frames(frame.data(), 0, 1, null));                          // [1, E]
        Var h = rssm.deterministic(previous, action);                                     // [1, D]
        Latent posterior = rssm.posterior(h, e);
        return new Rssm.State(h, mean ? posterior.mean() : posterior.rsample(rng));       // s [1, S]
    }

    @Override
    public Rssm.State imagine(Rssm.State state, Var action, boolean mean, Rng rng) {
        Var h = rssm.deterministic(state, action);                                        // [N, D]
        Latent prior = rssm.prior(h);
        return new Rssm.State(h, mean ? prior.mean() : prior.rsample(rng));               // [N, S]
    }

    @Override
    public Var features(Rssm.State state) {
        return Rssm.features(state);
    }

    @Override
    public Var decode(Var features) {
        return decoder.apply(features);
    }

    @Override
    public Var kl(Rssm.Step step) {
        return Latent.kl(step.posterior(), step.prior());
    }

    /** The training loss on one batch (records onto the current tape). */
    @Override
    public Losses loss(Batch b, Rng rng) {
        checkBatch(b);
        int t = b.steps(), bs = b.batch();
        // one dequantised copy of the frames is both the encoder's input and the decoder's target
        Var target = frames(b.obs(), 0, t * bs, rng);                            // [T*B, 64, 64, 3]
        List<Rssm.Step> steps = observe(b, target, rng);
        List<Var> feats = new ArrayList<>(t);
        for (Rssm.Step s : steps) feats.add(Rssm.features(s.state()));
        Var f = concat(0, feats.toArray(Var[]::new));                            // [T*B, F]

        // -ln p(o | h, s): 0.5 * sum over pixels of squared error, mean over T*B
        Var recon = scale(sumSquaredError(decoder.apply(f), target), 0.5f / (t * bs));
        // -ln p(r | h, s)
        Var rewardLoss = scale(mean(square(sub(reward(f), Var.of(b.reward(), t * bs)))), 0.5f);

        Var latent;
        float overshootValue = 0f;
        if (options.objective() == Objective.VARIATIONAL) {
            List<Var> kls = new ArrayList<>(t);
            for (Rssm.Step s : steps) kls.add(klTerm(s.posterior(), s.prior(), options.klBalance())); // [B] each
            latent = freeNatsMean(concat(0, kls.toArray(Var[]::new)));
            if (options.overshooting() > 1) {
                Var over = overshooting(steps, b, rng);
                overshootValue = over.item();
                latent = add(latent, scale(over, options.overshootingScale()));
            }
        } else {
            List<Var> nll = new ArrayList<>(t);
            for (Rssm.Step s : steps) nll.add(neg(s.prior().logProb(s.state().s())));
            latent = mean(concat(0, nll.toArray(Var[]::new)));
        }
        Var total = add(add(recon, scale(rewardLoss, options.rewardScale())), scale(latent, options.klScale()));
        float contValue = 0f;
        if (continuation != null) {
            // -ln p(nonterminal_t | h_t, s_t), Bernoulli on the continuation logits
            Var cont = neg(mean(new Bernoulli(continuationLogits(f)).logProb(Var.of(b.nonterminal(), t * bs))));
            contValue = cont.item();
            total = add(total, cont);
        }
        return new Losses(total, recon.item(), rewardLoss.item(), latent.item() - options.overshootingScale() * overshootValue,
                overshootValue, contValue, steps);
    }

    /** KL(q || p), or with balancing alpha KL(sg(q) || p) + (1 - alpha) KL(q || sg(p)). [B]. */
    public static Var klTerm(Latent q, Latent p, float alpha) {
        if (alpha == 0f) return Latent.kl(q, p);
        return add(scale(Latent.kl(q.stopGradient(), p), alpha), scale(Latent.kl(q, p.stopGradient()), 1f - alpha));
    }

    /**
     * PlaNet: mean over elements of max(kl, freeNats) (free nats per step, before averaging);
     * Dreamer: max(mean kl, freeNats).
     */
    private Var freeNatsMean(Var kl) {
        if (options.freeNatsAfterMean()) return maximum(mean(kl), Var.scalar(options.freeNats()));
        return mean(maximum(kl, Var.full(options.freeNats(), kl.shape())));
    }

    /**
     * Latent overshooting (section 4): from every posterior state s_t, roll the prior forward
     * d = 2..D steps with the recorded actions and match p(s_{t+d} | s_t) to sg(q(s_{t+d})).
     * Batched over t: at distance d the rollouts of all starts are one [(T-d) * B] batch.
     */
    private Var overshooting(List<Rssm.Step> steps, Batch b, Rng rng) {
        int t = b.steps(), bs = b.batch();
        // distance 1 from start t is the prior at t+1, whose sample seeds distance 2
        List<Var> hs = new ArrayList<>(), ss = new ArrayList<>();
        for (int i = 1; i < t; i++) {
            hs.add(steps.get(i).state().h());
            ss.add(steps.get(i).prior().rsample(rng));
        }
        Rssm.State cur = new Rssm.State(concat(0, hs.toArray(Var[]::new)), concat(0, ss.toArray(Var[]::new))); // [(T-1)*B, .]
        List<Var> terms = new ArrayList<>();
        for (int d = 2; d <= options.overshooting(); d++) {
            int starts = t - d;                                                   // rollouts reaching step t0 + d < T
            if (starts <= 0) break;
            cur = new Rssm.State(slice(cur.h(), 0, 0, starts * bs), slice(cur.s(), 0, 0, starts * bs));
            float[] act = new float[starts * bs * actionSize];
            System.arraycopy(b.action(), d * bs * actionSize, act, 0, act.length); // a[t0 + d] for t0 = 0..starts-1
            Var h = rssm.deterministic(cur, Var.of(act, starts * bs, actionSize));
            DiagGaussian prior = gaussian(rssm.prior(h));
            List<Var> qm = new ArrayList<>(), qs = new ArrayList<>();
            for (int i = d; i < t; i++) {
                qm.add(gaussian(steps.get(i).posterior()).mean());
                qs.add(gaussian(steps.get(i).posterior()).std());
            }
            DiagGaussian target = new DiagGaussian(stopGradient(concat(0, qm.toArray(Var[]::new))),
                    stopGradient(concat(0, qs.toArray(Var[]::new))));
            terms.add(freeNatsMean(DiagGaussian.kl(target, prior)));
            cur = new Rssm.State(h, prior.rsample(rng));
        }
        Var sum = terms.getFirst();
        for (int i = 1; i < terms.size(); i++) sum = add(sum, terms.get(i));
        return scale(sum, 1f / terms.size());
    }

    private static DiagGaussian gaussian(Latent l) {
        return ((Latent.Gaussian) l).dist();                                       // overshooting requires a Gaussian state (constructor)
    }

    private void checkBatch(Batch b) {
        if (!b.layout().equals(INPUT))
            throw new IllegalArgumentException("WorldModel: observations " + b.layout() + ", expected " + INPUT);
        if (b.actionSize() != actionSize)
            throw new IllegalArgumentException("WorldModel: batch actions of size " + b.actionSize() + ", model expects " + actionSize);
    }
}
