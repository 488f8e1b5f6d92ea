package latte.models.dreamer;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;
import static latte.autodiff.ShapeOps.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import latte.autodiff.DataParallel;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.io.Json;
import latte.autodiff.io.Safetensors;
import latte.autodiff.nn.Mlp;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Parallel;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.planet.WorldModel;
import latte.models.replay.Batch;
import latte.models.rssm.Rssm;
import latte.models.run.RunDir;
import latte.models.train.Learner;

/**
 * Dreamer in the training loop (Hafner et al. 2020, algorithm 1). One step:
 * <pre>
 *   1. world model:  PlaNet's loss on the batch; Adam on the model's parameters only
 *   2. imagine:      from every posterior state s_{t,b} (gradients stopped), H steps with
 *                    a ~ q(a | sg(features)) and s' ~ p(s' | h'), rewards r, values v
 *   3. actor:        L = -mean_t,b w_t (R_t / max(1, S) + eta H_t)   (lambda-returns, gradients
 *                    through the dynamics; S = 1 unless returnNorm, see {@link #returnScale}); Adam on the actor only
 *   4. value:        L = mean_t,b w_t (v(sg(s_t)) - sg(R_t))^2 / 2; Adam on the value model only
 *                    (with symlogValue: (x(sg(s_t)) - symlog(sg(R_t)))^2 / 2 and v = symexp(x))
 *   2-4 run behaviourUpdates times on the same start states
 * </pre>
 * With boundedImagination, r is clamped to the range of the rewards replayed so far (widened to
 * 0) and the bootstrap values v to the range of its discounted sums (see {@link #rewardRange}).
 * Each part has its own {@link ParamStore} and optimiser, so the behaviour losses never move
 * the world model: their gradients on it are discarded. The returns bootstrap from the value
 * model itself, or from a slow copy refreshed every {@code targetEvery} steps.
 */
public final class DreamerLearner implements Learner {
    private final DreamerConfig config;
    private final WorldModel model;
    private final ParamStore actorStore = new ParamStore(), valueStore = new ParamStore(), targetStore = new ParamStore();
    private final Actor actor;
    private final Mlp value, target;
    private final Adam modelAdam, actorAdam, valueAdam;
    private final boolean discrete;
    private long steps;
    /** Running 5th-95th percentile range of the imagined returns (returnNorm; 0 before the first batch). */
    private double returnRange;
    /** The least and greatest reward in the batches replayed so far (boundedImagination; empty before the first). */
    private float rewardLo = Float.POSITIVE_INFINITY, rewardHi = Float.NEGATIVE_INFINITY;

    public DreamerLearner(DreamerConfig config, int actionSize, boolean discrete, long seed) {
        this.config = config;
        this.discrete = discrete;
        Rng rng = new Rng(seed);
        this.model = new WorldModel(config.world(), config.options(), actionSize, rng);
        int f = model.rssm().featureSize();
        var act = config.world().rssm().act();
        this.actor = new Actor(actorStore.scope("actor"), f, config.actorHidden(), config.actorLayers(), actionSize, discrete,
                config.actorInitStd(), config.actorMeanScale(), config.actorMinStd(), act, rng);
        int[] vh = new int[config.valueLayers()];
        Arrays.fill(vh, config.valueHidden());
        this.value = new Mlp(valueStore.scope("value"), f, vh, 1, act, rng);
        this.target = new Mlp(targetStore.scope("value"), f, vh, 1, act, rng);
        syncTarget();
        this.modelAdam = new Adam(model.store(), Adam.Config.of(config.world().lr()).withEps(config.world().adamEps()));
        this.actorAdam = new Adam(actorStore, Adam.Config.of(config.actorLr()).withEps(config.behaviourEps()));
        this.valueAdam = new Adam(valueStore, Adam.Config.of(config.valueLr()).withEps(config.behaviourEps()));
    }

    public DreamerConfig config() { return config; }
    public WorldModel model() { return model; }
    public Actor actor() { return actor; }
    public ParamStore actorStore() { return actorStore; }
    public ParamStore valueStore() { return valueStore; }
    public ParamStore targetStore() { return targetStore; }

    /** Value v(features) in return units: [N, F] -> [N] (symexp of the network's output with symlogValue). */
    public Var value(Var features) {
        return fromOutput(reshape(value.apply(features), features.dim(0)));
    }

    private Var bootstrapValue(Var features) {
        Mlp m = config.targetEvery() > 0 ? target : value;
        return fromOutput(bound(reshape(m.apply(features), features.dim(0))));
    }

    /**
     * The range of the rewards in the batches replayed so far, {@code [lo, hi]}; null before the
     * first batch. With boundedImagination the imagined rewards are clamped to
     * {@code [min(0, lo), max(0, hi)]} and the bootstrap values to that range over
     * {@code 1 - gamma}, which holds every discounted sum of such rewards, ended by termination or
     * not. The range is widened to 0 so that a reward better than any seen yet but on the same side
     * of 0 (Pendulum-v1 near upright, before any episode got there) still pays and passes gradient;
     * a clamp at the best reward seen would hide exactly the states exploration must reach.
     */
    public float[] rewardRange() {
        return rewardLo <= rewardHi ? new float[] {rewardLo, rewardHi} : null;
    }

    /** The value network's output [N] clamped to the bootstrap range (in symlog units with symlogValue); x itself when unbounded. */
    private Var bound(Var x) {
        if (!bounding()) return x;
        float lo = discountedSum(Math.min(0f, rewardLo)), hi = discountedSum(Math.max(0f, rewardHi));
        return config.symlogValue() ? clamp(x, symlogOf(lo), symlogOf(hi)) : clamp(x, lo, hi);
    }

    /** Whether imagination is bounded now: the option is on and a batch has set the range. */
    private boolean bounding() {
        return config.boundedImagination() && rewardLo <= rewardHi;
    }

    /** r / (1 - gamma): the discounted sum of r forever (unbounded when gamma = 1 and r != 0). */
    private float discountedSum(float r) {
        if (r == 0f) return 0f;
        return config.gamma() < 1f ? r / (1f - config.gamma()) : Math.copySign(Float.MAX_VALUE, r);
    }

    private static float symlogOf(float x) {
        return (float) Math.copySign(Math.log1p(Math.abs(x)), x);
    }

    /** Imagined rewards [N] clamped to [min(0, lo), max(0, hi)] with boundedImagination. */
    Var boundReward(Var r) {
        return bounding() ? clamp(r, Math.min(0f, rewardLo), Math.max(0f, rewardHi)) : r;
    }

    /** The value network's output as a value: symexp(x) with symlogValue (DreamerV3), else x itself. */
    private Var fromOutput(Var x) {
        return config.symlogValue() ? symexp(x) : x;
    }

    private void syncTarget() {
        System.arraycopy(valueStore.values(), 0, targetStore.values(), 0, valueStore.size());
    }

    @Override
    public String kind() {
        return "dreamer";
    }

    @Override
    public boolean discreteActions() {
        return true;
    }

    @Override
    public Schedule schedule() {
        var c = config.world();
        return new Schedule(c.batch(), c.chunk(), c.seedEpisodes(), c.trainSteps(), c.explorationNoise(),
                c.actionRepeat(), c.evalEvery(), c.evalEpisodes(), c.replayCapacity());
    }

    @Override
    public Map<String, Object> configMap() {
        return config.toMap();
    }

    /** An imagined trajectory: features of the H states after each action, and the actor's entropies. */
    public record Imagined(List<Var> features, List<Var> entropy) {}

    /**
     * Rolls the prior forward H steps from {@code start} with the actor's actions. The actor sees
     * stop-gradient features (as in Dreamer v1); its actions enter the dynamics with gradient.
     */
    public Imagined imagine(Rssm.State start, Rng rng) {
        Rssm rssm = model.rssm();
        List<Var> feats = new ArrayList<>(config.horizon()), ent = new ArrayList<>(config.horizon());
        Rssm.State st = start;
        for (int k = 0; k < config.horizon(); k++) {
            Actor.Sample a = actor.sample(stopGradient(Rssm.features(st)), rng);       // [N, A]
            Var h = rssm.deterministic(st, a.action());                                 // [N, D]
            st = new Rssm.State(h, rssm.prior(h).rsample(rng));                         // [N, S]
            feats.add(Rssm.features(st));                                               // [N, F]
            ent.add(a.entropy());                                                       // [N]
        }
        return new Imagined(feats, ent);
    }

    /**
     * The actor's loss terms on an imagined trajectory; {@code returns} are R_0..R_{H-2};
     * {@code entropy} is the actor's mean entropy estimate over the imagined steps (a metric).
     */
    public record Behaviour(Var actorLoss, List<Var> features, List<Var> returns, List<Var> weights, float entropy,
                            ValueForward valueForward) {}

    /**
     * The value model's forward from the actor's pass: its layers' outputs on s_0 .. s_{H-1} and,
     * as a constant, the features of s_0 .. s_{H-2} the value loss is taken on (null with a slow target).
     */
    public record ValueForward(Var inputs, List<Var> layers) {}

    /** Imagination, lambda-returns and the actor loss from the (gradient-stopped) start states. */
    public Behaviour behaviour(Rssm.State start, Rng rng) {
        return behaviour(start, rng, this::returnScale);
    }

    /** {@link #behaviour(Rssm.State, Rng)} with the returns divided by {@code scaleOf(returns)}. */
    private Behaviour behaviour(Rssm.State start, Rng rng, ToDoubleFunction<List<Var>> scaleOf) {
        Imagined im = imagine(start, rng);
        int hz = config.horizon(), n = start.batch();
        // The returns read r_t and p_t for t < H-1 and v_t for t > 0 (see Returns.lambda): the
        // heads run on those states only, and r_{H-1}, p_{H-1}, v_0 are zero placeholders.
        List<Var> f = im.features();
        Var head, v;
        ValueForward cache = null;
        if (config.targetEvery() == 0) {
            // The value model bootstraps the returns itself: one forward over s_0 .. s_{H-1} gives
            // v at s_1 .. s_{H-1} here, and its first (H-1)*N rows are the value loss's forward,
            // replayed there without recomputing (same rows, same parameters: value is updated after).
            Var all = concat(0, f.toArray(Var[]::new));                                 // [H*N, F]: s_0 .. s_{H-1}
            head = slice(all, 0, 0, (hz - 1) * n);                                      // [(H-1)*N, F]: s_0 .. s_{H-2}
            List<Var> layers = value.applyLayers(all);                                  // .. [H*N, 1]
            v = slice(fromOutput(bound(reshape(layers.getLast(), hz * n))), 0, n, hz * n); // [(H-1)*N]: v_1 .. v_{H-1}
            cache = new ValueForward(all.constantRows(0, (hz - 1) * n), layers);
        } else {
            head = concat(0, f.subList(0, hz - 1).toArray(Var[]::new));                 // [(H-1)*N, F]: s_0 .. s_{H-2}
            v = bootstrapValue(concat(0, f.subList(1, hz).toArray(Var[]::new)));        // [(H-1)*N]: slow target at s_1 .. s_{H-1}
        }
        Var r = boundReward(model.reward(head));                                        // [(H-1)*N]
        Var pc = config.options().continuation() ? scale(sigmoid(model.continuationLogits(head)), config.gamma()) : null;
        List<Var> rs = new ArrayList<>(hz), vs = new ArrayList<>(hz), ps = new ArrayList<>(hz);
        Var unused = Var.full(0f, n);
        vs.add(unused);
        for (int t = 0; t < hz - 1; t++) {
            rs.add(slice(r, 0, t * n, (t + 1) * n));
            vs.add(slice(v, 0, t * n, (t + 1) * n));
            ps.add(pc != null ? slice(pc, 0, t * n, (t + 1) * n) : Var.full(config.gamma(), n));
        }
        rs.add(unused);
        ps.add(unused);
        List<Var> ret = Returns.lambda(rs, vs, ps, config.lambda());
        List<Var> w = Returns.weights(ps);
        float inv = (float) (1 / scaleOf.applyAsDouble(ret));
        Var objective = null;
        for (int t = 0; t < hz - 1; t++) {
            Var term = mul(w.get(t), inv == 1f ? ret.get(t) : scale(ret.get(t), inv));  // [N]
            if (config.actorEntropy() > 0) term = add(term, scale(mul(w.get(t), im.entropy().get(t)), config.actorEntropy()));
            objective = objective == null ? term : add(objective, term);
        }
        Var loss = scale(sum(objective), -1f / ((hz - 1) * n));
        return new Behaviour(loss, im.features(), ret, w, meanEntropy(im.entropy()), cache);
    }

    private static float meanEntropy(List<Var> entropy) {
        double total = 0;
        for (Var e : entropy) for (float x : e.toArray()) total += x;
        return (float) (total / (entropy.size() * entropy.getFirst().dim(0)));
    }

    /**
     * DreamerV3's return scale (Hafner et al. 2023, section 3, "Robust predictions"):
     * {@code max(1, S)}, {@code S} an exponential moving average (decay 0.99, started at the first
     * batch's value) of the 95th minus the 5th percentile of the batch's lambda-returns. Dividing
     * the returns by it shrinks large returns but never amplifies small, noisy ones. 1 when
     * returnNorm is off.
     */
    float returnScale(List<Var> returns) {
        if (!config.returnNorm()) return 1f;
        returnRange = movedRange(returnRange, percentileRange(returns));
        return (float) Math.max(1, returnRange);
    }

    /** The 95th minus the 5th percentile of the returns. */
    private static double percentileRange(List<Var> returns) {
        int hz = returns.size(), n = returns.getFirst().dim(0);
        float[] all = new float[hz * n];
        for (int t = 0; t < hz; t++) System.arraycopy(returns.get(t).toArray(), 0, all, t * n, n);
        Arrays.sort(all);
        return percentile(all, 0.95) - percentile(all, 0.05);
    }

    /** The running range after a batch whose range is {@code range} (started at the first batch's). */
    private static double movedRange(double running, double range) {
        return running == 0 ? range : 0.99 * running + 0.01 * range;
    }

    /** The q-quantile of sorted values, linearly interpolated (numpy's default). */
    static double percentile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The value loss on constant features and targets: mean w_t (x(s_t) - y_t)^2 / 2 over t < H-1,
     * x the network's output and y_t = R_t, or symlog(R_t) with symlogValue (the squared error is
     * then taken in symlog space, where returns of every scale have comparable errors).
     */
    public Var valueLoss(List<Var> features, List<Var> returns, List<Var> weights) {
        return valueLoss(features, returns, weights, null);
    }

    /** The value loss of an imagined trajectory, reusing the actor pass's value forward when it has one. */
    public Var valueLoss(Behaviour b) {
        return valueLoss(b.features(), b.returns(), b.weights(), b.valueForward());
    }

    private Var valueLoss(List<Var> features, List<Var> returns, List<Var> weights, ValueForward cached) {
        int hz = returns.size(), n = returns.getFirst().dim(0);
        Var f, target, w;
        try (Tape.Scope ignored = Tape.noGrad()) {                                      // sg(s_t), sg(R_t): plain values
            f = cached != null ? cached.inputs()
                    : Var.of(concat(0, features.subList(0, hz).toArray(Var[]::new)).toArray(), hz * n, features.getFirst().dim(1));
            Var r = concat(0, returns.toArray(Var[]::new));                             // [(H-1)*N]
            target = Var.of((config.symlogValue() ? symlog(r) : r).toArray(), hz * n);
            w = Var.of(concat(0, weights.toArray(Var[]::new)).toArray(), hz * n);
        }
        Var x = cached != null ? value.replay(f, cached.layers()) : value.apply(f);    // [(H-1)*N, 1]
        Var out = reshape(x, hz * n);                                                   // [(H-1)*N]
        return scale(sum(mul(w, square(sub(out, target)))), 0.5f / (hz * n));
    }

    /** Every posterior state of a filtered batch as one constant state [T*B, .]. */
    static Rssm.State starts(List<Rssm.Step> steps) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            return startsNoGrad(steps);
        }
    }

    private static Rssm.State startsNoGrad(List<Rssm.Step> steps) {
        Var h = concat(0, steps.stream().map(s -> s.state().h()).toArray(Var[]::new));
        Var s = concat(0, steps.stream().map(st -> st.state().s()).toArray(Var[]::new));
        return new Rssm.State(Var.of(h.toArray(), h.shape()), Var.of(s.toArray(), s.shape()));
    }

    /**
     * The world-model step's losses (averaged over the shards), its gradient norm, and the
     * posterior states that start the imagination, {@code [T*B, .]} shard after shard.
     */
    public record ModelStep(float reconstruction, float reward, float kl, float continuation, double gradNorm, Rssm.State start) {}

    /** Scalar results of one behaviour update. */
    public record BehaviourStep(float actorLoss, float valueLoss, float imaginedReturn, float actorEntropy, double actorGradNorm,
                                double valueGradNorm) {}

    /**
     * Step 1: one Adam step of the world model on {@code batch}. With {@code shards} K > 1 the
     * batch's sequences are cut into K parts that run at once ({@link DataParallel}), each with
     * its own generator split from {@code rng}; each part's loss is weighted by its share of the
     * sequences, so the summed gradient is that of the mean loss (free nats aside, taken per part).
     */
    public ModelStep modelStep(Batch batch, Rng rng) {
        for (float r : batch.reward()) { rewardLo = Math.min(rewardLo, r); rewardHi = Math.max(rewardHi, r); }
        int k = shardsFor(batch.batch());
        Batch[] parts = new Batch[k];
        Rng[] rngs = new Rng[k];
        for (int i = 0; i < k; i++) {
            parts[i] = k == 1 ? batch : batch.sequences(Parallel.split(batch.batch(), k, i), Parallel.split(batch.batch(), k, i + 1));
            rngs[i] = k == 1 ? rng : rng.split();
        }
        WorldModel.Losses[] l = new WorldModel.Losses[k];
        Rssm.State[] starts = new Rssm.State[k];
        DataParallel.run(k, List.of(model.store()), i -> {
            try (Tape tape = Tape.record()) {
                l[i] = model.loss(parts[i], rngs[i]);
                check("reconstruction", l[i].reconstruction());
                check("reward", l[i].reward());
                check("kl", l[i].kl());
                check("continuation", l[i].continuation());
                tape.backward(l[i].total(), new float[] {share(parts[i].batch(), batch.batch())});
            }
            starts[i] = starts(l[i].steps());                                       // [T*B/K, .], no gradient
        });
        double norm = clip(model.store(), config.world().gradClip(), "model");
        modelAdam.step();
        model.store().zeroGrad();
        float rec = 0, rew = 0, kl = 0, cont = 0;
        for (int i = 0; i < k; i++) {
            float w = share(parts[i].batch(), batch.batch());
            rec += w * l[i].reconstruction();
            rew += w * l[i].reward();
            kl += w * l[i].kl();
            cont += w * l[i].continuation();
        }
        return new ModelStep(rec, rew, kl, cont, norm, k == 1 ? starts[0] : concatStates(starts));
    }

    /** The number of shards for {@code n} sequences or start states: the configured count, at most n. */
    private int shardsFor(int n) {
        return Math.max(1, Math.min(config.shards(), n));
    }

    private static float share(int part, int whole) {
        return (float) part / whole;
    }

    private static Rssm.State concatStates(Rssm.State[] states) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            return new Rssm.State(concat(0, Arrays.stream(states).map(Rssm.State::h).toArray(Var[]::new)),
                    concat(0, Arrays.stream(states).map(Rssm.State::s).toArray(Var[]::new)));
        }
    }

    /**
     * Steps 2-4: imagination, then one Adam step of the actor and one of the value model. With
     * {@code shards} K > 1 the start states are cut into K contiguous row ranges that imagine,
     * and backpropagate the actor and value losses, at once ({@link DataParallel}); each part's
     * losses are weighted by its share of the states. The return scale's percentile range is
     * taken per part, and its running average moves by the parts' mean range.
     */
    public BehaviourStep behaviourStep(Rssm.State start, Rng rng) {
        int n = start.batch(), k = shardsFor(n);
        Rng[] rngs = new Rng[k];
        for (int i = 0; i < k; i++) rngs[i] = k == 1 ? rng : rng.split();
        float[] actorLoss = new float[k], valueLoss = new float[k], imagined = new float[k], entropy = new float[k];
        double[] range = new double[k];
        double runningRange = returnRange;
        // the actor loss trains neither the model nor the value model it bootstraps from: frozen,
        // they pass gradients through to the actor but get none themselves (no weight-gradient GEMMs)
        List<ParamStore> frozen = List.of(model.store(), valueStore, targetStore);
        List<ParamStore> all = List.of(actorStore, model.store(), valueStore, targetStore);
        Behaviour[] b = new Behaviour[k];
        frozen.forEach(p -> p.trainable(false));
        try {
            DataParallel.run(k, all, i -> {
                int r0 = Parallel.split(n, k, i), r1 = Parallel.split(n, k, i + 1);
                Rssm.State part = k == 1 ? start : new Rssm.State(start.h().constantRows(r0, r1), start.s().constantRows(r0, r1));
                try (Tape tape = Tape.record()) {
                    b[i] = behaviour(part, rngs[i], k == 1 ? this::returnScale : returns -> {
                        if (!config.returnNorm()) return 1;
                        range[i] = percentileRange(returns);
                        return Math.max(1, movedRange(runningRange, range[i]));
                    });
                    actorLoss[i] = b[i].actorLoss().item();
                    check("actor", actorLoss[i]);
                    tape.backward(b[i].actorLoss(), new float[] {share(r1 - r0, n)});
                }
            });
        } finally {
            frozen.forEach(p -> p.trainable(true));
        }
        if (k > 1 && config.returnNorm()) returnRange = movedRange(runningRange, Arrays.stream(range).average().orElseThrow());
        frozen.forEach(ParamStore::zeroGrad);                                           // ops that write a constant's gradient anyway
        DataParallel.run(k, all, i -> {
            try (Tape tape = Tape.record()) {
                Var vl = valueLoss(b[i]);
                valueLoss[i] = vl.item();
                check("value", valueLoss[i]);
                tape.backward(vl, new float[] {share(b[i].returns().getFirst().dim(0), n)});
            }
            try (Tape.Scope ignored = Tape.noGrad()) {
                imagined[i] = mean(b[i].returns().getFirst()).item();
            }
            entropy[i] = b[i].entropy();
        });
        double actorNorm = clip(actorStore, config.behaviourClip(), "actor");
        actorAdam.step();
        actorStore.zeroGrad();
        double valueNorm = clip(valueStore, config.behaviourClip(), "value");
        valueAdam.step();
        valueStore.zeroGrad();
        steps++;
        if (config.targetEvery() > 0 && steps % config.targetEvery() == 0) syncTarget();
        float[] w = new float[k];
        for (int i = 0; i < k; i++) w[i] = share(Parallel.split(n, k, i + 1) - Parallel.split(n, k, i), n);
        return new BehaviourStep(weighted(actorLoss, w), weighted(valueLoss, w), weighted(imagined, w), weighted(entropy, w),
                actorNorm, valueNorm);
    }

    private static float weighted(float[] x, float[] w) {
        float s = 0;
        for (int i = 0; i < x.length; i++) s += w[i] * x[i];
        return s;
    }

    @Override
    public Map<String, Double> trainStep(Batch batch, Rng rng) {
        ModelStep ms = modelStep(batch, rng);
        BehaviourStep bs = behaviourStep(ms.start(), rng);
        for (int k = 1; k < config.behaviourUpdates(); k++) bs = runningMean(bs, behaviourStep(ms.start(), rng), k);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("reconstruction", (double) ms.reconstruction());
        m.put("reward", (double) ms.reward());
        m.put("kl", (double) ms.kl());
        if (config.options().continuation()) m.put("continuation", (double) ms.continuation());
        m.put("actor", (double) bs.actorLoss());
        m.put("value", (double) bs.valueLoss());
        m.put("imaginedReturn", (double) bs.imaginedReturn());
        m.put("actorEntropy", (double) bs.actorEntropy());
        if (config.returnNorm()) m.put("returnScale", Math.max(1, returnRange));
        m.put("gradNorm", ms.gradNorm());
        m.put("actorGradNorm", bs.actorGradNorm());
        m.put("valueGradNorm", bs.valueGradNorm());
        return m;
    }

    /** The running mean of k behaviour updates' figures and one more (the metrics of a train step). */
    private static BehaviourStep runningMean(BehaviourStep m, BehaviourStep x, int k) {
        float a = k / (k + 1f), b = 1f / (k + 1);
        return new BehaviourStep(a * m.actorLoss() + b * x.actorLoss(), a * m.valueLoss() + b * x.valueLoss(),
                a * m.imaginedReturn() + b * x.imaginedReturn(), a * m.actorEntropy() + b * x.actorEntropy(),
                a * m.actorGradNorm() + b * x.actorGradNorm(), a * m.valueGradNorm() + b * x.valueGradNorm());
    }

    private double clip(ParamStore store, double max, String what) {
        double norm = GradClip.globalNorm(store, max);
        if (!Double.isFinite(norm)) {
            zeroAll();
            throw new Diverged(what + " gradient norm is " + norm);
        }
        return norm;
    }

    private void check(String term, float v) {
        if (!Float.isFinite(v)) {
            zeroAll();
            throw new Diverged("loss term '" + term + "' is " + v);
        }
    }

    private void zeroAll() {
        model.store().zeroGrad();
        actorStore.zeroGrad();
        valueStore.zeroGrad();
        targetStore.zeroGrad();
    }

    @Override
    public Agent agent(float noise, Rng rng) {
        return new DreamerAgent(model, actor, rng).withNoise(noise);
    }

    // ------------------------------------------------------------------------------ checkpoints

    /** Actor, value and target parameters beside model.safetensors. */
    public static Path behaviourFile(RunDir run) {
        return run.path().resolve("behaviour.safetensors");
    }

    private record Part(String prefix, ParamStore store, Adam adam) {}

    private List<Part> parts() {
        return List.of(new Part("model", model.store(), modelAdam), new Part("actor", actorStore, actorAdam),
                new Part("value", valueStore, valueAdam));
    }

    @Override
    public void save(RunDir run, Map<String, String> metadata) {
        Map<String, Safetensors.Entry> opt = new LinkedHashMap<>();
        Map<String, String> optMeta = new LinkedHashMap<>(metadata);
        for (Part p : parts()) {
            Adam.State s = p.adam().state();
            opt.put(p.prefix() + ".m", new Safetensors.Entry(new int[] {s.m().length}, s.m()));
            opt.put(p.prefix() + ".v", new Safetensors.Entry(new int[] {s.v().length}, s.v()));
            optMeta.put(p.prefix() + ".adamSteps", Long.toString(s.steps()));
        }
        optMeta.put("learnerSteps", Long.toString(steps));
        optMeta.put("returnRange", Double.toString(returnRange));
        optMeta.put("rewardLo", Float.toString(rewardLo));
        optMeta.put("rewardHi", Float.toString(rewardHi));
        Safetensors.write(run.optimizer(), opt, optMeta);
        Map<String, Safetensors.Entry> beh = new LinkedHashMap<>();
        put(beh, "", actorStore);
        put(beh, "", valueStore);
        put(beh, "target/", targetStore);
        Safetensors.write(behaviourFile(run), beh, metadata);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("config", Json.write(config.toMap()));
        Safetensors.save(model.store(), run.model(), meta);                            // last: marks the checkpoint complete
    }

    private static void put(Map<String, Safetensors.Entry> out, String prefix, ParamStore store) {
        float[] v = store.values();
        for (ParamStore.Param p : store.params())
            out.put(prefix + p.name(), new Safetensors.Entry(p.shape(), Arrays.copyOfRange(v, p.offset(), p.offset() + p.size())));
    }

    private static void take(Safetensors.Contents c, String prefix, ParamStore store, Path where) {
        for (ParamStore.Param p : store.params()) {
            Safetensors.Entry e = c.tensors().get(prefix + p.name());
            if (e == null || !Arrays.equals(e.shape(), p.shape()))
                throw new IllegalArgumentException(where + ": tensor '" + prefix + p.name() + "' is "
                        + (e == null ? "missing" : "of shape " + Arrays.toString(e.shape())) + ", the agent expects "
                        + Arrays.toString(p.shape()) + " (the file does not match this configuration)");
        }
        for (ParamStore.Param p : store.params())
            System.arraycopy(c.tensors().get(prefix + p.name()).data(), 0, store.values(), p.offset(), p.size());
    }

    @Override
    public void load(RunDir run) {
        Map<String, String> meta = Safetensors.load(model.store(), run.model());
        Path bf = behaviourFile(run);
        if (!Files.exists(bf)) throw new IllegalArgumentException(run.path() + " has no " + bf.getFileName() + " (actor and value of a Dreamer run)");
        Safetensors.Contents beh = Safetensors.read(bf);
        checkStep(meta, beh.metadata(), bf);
        take(beh, "", actorStore, bf);
        take(beh, "", valueStore, bf);
        take(beh, "target/", targetStore, bf);
        if (!Files.exists(run.optimizer())) return;
        Safetensors.Contents opt = Safetensors.read(run.optimizer());
        checkStep(meta, opt.metadata(), run.optimizer());
        for (Part p : parts())
            p.adam().restore(new Adam.State(opt.tensors().get(p.prefix() + ".m").data(), opt.tensors().get(p.prefix() + ".v").data(),
                    Long.parseLong(opt.metadata().get(p.prefix() + ".adamSteps"))));
        steps = Long.parseLong(opt.metadata().get("learnerSteps"));
        String range = opt.metadata().get("returnRange");                               // absent in runs before returnNorm
        returnRange = range == null ? 0 : Double.parseDouble(range);
        String lo = opt.metadata().get("rewardLo"), hi = opt.metadata().get("rewardHi");  // absent before 2 Dec: no range yet
        rewardLo = lo == null ? Float.POSITIVE_INFINITY : Float.parseFloat(lo);
        rewardHi = hi == null ? Float.NEGATIVE_INFINITY : Float.parseFloat(hi);
    }

    private static void checkStep(Map<String, String> model, Map<String, String> other, Path file) {
        if (!String.valueOf(model.get("trainSteps")).equals(other.get("trainSteps")))
            throw new IllegalArgumentException(file + " is from train step " + other.get("trainSteps") + " but the model is from step "
                    + model.get("trainSteps") + " (interrupted checkpoint)");
    }
}
