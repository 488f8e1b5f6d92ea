package latte.models.dreamer;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;
import static latte.autodiff.ReduceOps.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import latte.autodiff.DataParallel;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Mlp;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Parallel;
import latte.core.Rng;
import latte.models.loop.Diverged;
import latte.models.rssm.Rssm;
import latte.models.world.RewardSource;
import latte.models.world.WorldModel;
import latte.models.world.WorldModelUpdate;

/**
 * Dreamer's behaviour learning in imagination (Hafner et al. 2020, section 3 and algorithm 1,
 * steps 2-4), on any {@link WorldModel}:
 * <pre>
 *   2. imagine:  from every start state s (gradients stopped), H steps with a ~ q(a | sg(x)) and
 *                s' ~ p(s' | h'), rewards r from the reward source, values v
 *   3. actor:    L = -mean_t,b w_t (R_t / max(1, S) + eta H_t)   (lambda-returns, gradients through
 *                the dynamics; S = 1 unless returnNorm, see {@link ReturnNorm}); Adam on the actor only
 *   4. value:    L = mean_t,b w_t (v(sg(s_t)) - sg(R_t))^2 / 2; Adam on the value model only
 *                (with symlog: (x(sg(s_t)) - symlog(sg(R_t)))^2 / 2 and v = symexp(x))
 * </pre>
 * With bounded imagination, r is clamped to the range of the rewards replayed so far (widened to
 * 0) and the bootstrap values v to the range of its discounted sums (see {@link #rewardRange}).
 * Actor, value model and its slow target have their own {@link ParamStore}s and optimisers, so
 * the behaviour losses never move the world model. The returns bootstrap from the value model
 * itself, or from a slow copy refreshed every {@code targetEvery} updates.
 */
public final class ActorCritic {
    private final WorldModel model;
    private final ActorConfig actorConfig;
    private final ValueConfig valueConfig;
    private final ImaginationConfig im;
    private final int shards;
    private final ParamStore actorStore = new ParamStore(), valueStore = new ParamStore(), targetStore = new ParamStore();
    private final Actor actor;
    private final Mlp value, target;
    private final Adam actorAdam, valueAdam;
    private final ReturnNorm returnNorm;
    private RewardSource rewards;
    private long updates;
    /** The least and greatest reward in the batches replayed so far (bounded imagination; empty before the first). */
    private float rewardLo = Float.POSITIVE_INFINITY, rewardHi = Float.NEGATIVE_INFINITY;

    public ActorCritic(WorldModel model, ActorConfig actor, ValueConfig value, ImaginationConfig imagination, int shards,
                       latte.autodiff.nn.Activation act, boolean discrete, Rng rng) {
        this.model = model;
        this.actorConfig = actor;
        this.valueConfig = value;
        this.im = imagination;
        this.shards = shards;
        int f = model.featureSize();
        this.actor = new Actor(actorStore.scope("actor"), f, actor.hidden(), actor.layers(), model.actionSize(), discrete,
                actor.initStd(), actor.meanScale(), actor.minStd(), act, rng);
        int[] vh = new int[value.layers()];
        Arrays.fill(vh, value.hidden());
        this.value = new Mlp(valueStore.scope("value"), f, vh, 1, act, rng);
        this.target = new Mlp(targetStore.scope("value"), f, vh, 1, act, rng);
        syncTarget();
        this.actorAdam = new Adam(actorStore, actor.optim().adam());
        this.valueAdam = new Adam(valueStore, value.optim().adam());
        this.returnNorm = new ReturnNorm(imagination.returnNorm());
        this.rewards = RewardSource.extrinsic(model);
    }

    public Actor actor() { return actor; }
    public ParamStore actorStore() { return actorStore; }
    public ParamStore valueStore() { return valueStore; }
    public ParamStore targetStore() { return targetStore; }
    public Adam actorAdam() { return actorAdam; }
    public Adam valueAdam() { return valueAdam; }

    /** Imagination's rewards come from {@code source} from now on (the reward head by default). */
    public void rewardSource(RewardSource source) {
        this.rewards = source;
    }

    /** Updates so far (what the slow target counts). */
    public long updates() {
        return updates;
    }

    /** The running return range of {@link ReturnNorm} (0 before the first batch or when off). */
    public double returnRange() {
        return returnNorm.range();
    }

    /** The scale the next behaviour update divides its returns by, moving the running range (1 when returnNorm is off). */
    float returnScale(List<Var> returns) {
        return returnNorm.scale(returns);
    }

    /** Restores the counters a checkpoint holds. */
    public void restore(long updates, double returnRange, float rewardLo, float rewardHi) {
        this.updates = updates;
        this.returnNorm.restore(returnRange);
        this.rewardLo = rewardLo;
        this.rewardHi = rewardHi;
    }

    /** Widens the replayed reward range by {@code rewards} (the batch the world model just trained on). */
    public void observeRewards(float[] rewards) {
        for (float r : rewards) { rewardLo = Math.min(rewardLo, r); rewardHi = Math.max(rewardHi, r); }
    }

    /** Value v(features) in return units: [N, F] -> [N] (symexp of the network's output with symlog). */
    public Var value(Var features) {
        return fromOutput(reshape(value.apply(features), features.dim(0)));
    }

    private Var bootstrapValue(Var features) {
        Mlp m = valueConfig.targetEvery() > 0 ? target : value;
        return fromOutput(bound(reshape(m.apply(features), features.dim(0))));
    }

    /**
     * The range of the rewards in the batches replayed so far, {@code [lo, hi]}; null before the
     * first batch. With bounded imagination the imagined rewards are clamped to
     * {@code [min(0, lo), max(0, hi)]} and the bootstrap values to that range over
     * {@code 1 - gamma}, which holds every discounted sum of such rewards, ended by termination or
     * not. The range is widened to 0 so that a reward better than any seen yet but on the same side
     * of 0 (Pendulum-v1 near upright, before any episode got there) still pays and passes gradient;
     * a clamp at the best reward seen would hide exactly the states exploration must reach.
     */
    public float[] rewardRange() {
        return rewardLo <= rewardHi ? new float[] {rewardLo, rewardHi} : null;
    }

    /** The value network's output [N] clamped to the bootstrap range (in symlog units with symlog); x itself when unbounded. */
    private Var bound(Var x) {
        if (!bounding()) return x;
        float lo = discountedSum(Math.min(0f, rewardLo)), hi = discountedSum(Math.max(0f, rewardHi));
        return valueConfig.symlog() ? clamp(x, symlogOf(lo), symlogOf(hi)) : clamp(x, lo, hi);
    }

    /** Whether imagination is bounded now: the option is on and a batch has set the range. */
    private boolean bounding() {
        return im.bounded() && rewardLo <= rewardHi;
    }

    /** r / (1 - gamma): the discounted sum of r forever (unbounded when gamma = 1 and r != 0). */
    private float discountedSum(float r) {
        if (r == 0f) return 0f;
        return im.gamma() < 1f ? r / (1f - im.gamma()) : Math.copySign(Float.MAX_VALUE, r);
    }

    private static float symlogOf(float x) {
        return (float) Math.copySign(Math.log1p(Math.abs(x)), x);
    }

    /** Imagined rewards [N] clamped to [min(0, lo), max(0, hi)] with bounded imagination. */
    Var boundReward(Var r) {
        return bounding() ? clamp(r, Math.min(0f, rewardLo), Math.max(0f, rewardHi)) : r;
    }

    /** The value network's output as a value: symexp(x) with symlog (DreamerV3), else x itself. */
    private Var fromOutput(Var x) {
        return valueConfig.symlog() ? symexp(x) : x;
    }

    private void syncTarget() {
        System.arraycopy(valueStore.values(), 0, targetStore.values(), 0, valueStore.size());
    }

    /** An imagined trajectory: the features of the H states after each action, the actions and the actor's entropies. */
    public record Imagined(Var startFeatures, List<Var> features, List<Var> actions, List<Var> entropy) {}

    /**
     * Rolls the prior forward H steps from {@code start} with the actor's actions. The actor sees
     * stop-gradient features (as in Dreamer v1); its actions enter the dynamics with gradient.
     */
    public Imagined imagine(Rssm.State start, Rng rng) {
        int hz = im.horizon();
        List<Var> feats = new ArrayList<>(hz), acts = new ArrayList<>(hz), ent = new ArrayList<>(hz);
        Rssm.State st = start;
        Var startFeatures = null;
        for (int k = 0; k < hz; k++) {
            Var x = model.features(st);                                                 // [N, F]
            if (k == 0) startFeatures = x;
            Actor.Sample a = actor.sample(stopGradient(x), rng);                         // [N, A]
            st = model.imagine(st, a.action(), false, rng);                             // [N, .]
            feats.add(model.features(st));                                              // [N, F]
            acts.add(a.action());
            ent.add(a.entropy());                                                       // [N]
        }
        return new Imagined(startFeatures, feats, acts, ent);
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
        return behaviour(start, rng, returnNorm::scale);
    }

    /** {@link #behaviour(Rssm.State, Rng)} with the returns divided by {@code scaleOf(returns)}. */
    private Behaviour behaviour(Rssm.State start, Rng rng, ToDoubleFunction<List<Var>> scaleOf) {
        Imagined imagined = imagine(start, rng);
        int hz = im.horizon(), n = start.batch();
        // The returns read r_t and p_t for t < H-1 and v_t for t > 0 (see Returns.lambda): the
        // heads run on those states only, and r_{H-1}, p_{H-1}, v_0 are zero placeholders.
        List<Var> f = imagined.features();
        Var head, v;
        ValueForward cache = null;
        if (valueConfig.targetEvery() == 0) {
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
        Var r = boundReward(rewards.reward(new RewardSource.Transitions(head,
                () -> concat(0, prepend(imagined.startFeatures(), f.subList(0, hz - 2))),  // [(H-1)*N, F]
                () -> concat(0, imagined.actions().subList(0, hz - 1).toArray(Var[]::new))))); // [(H-1)*N]
        Var pc = model.hasContinuation() ? scale(sigmoid(model.continuationLogits(head)), im.gamma()) : null;
        List<Var> rs = new ArrayList<>(hz), vs = new ArrayList<>(hz), ps = new ArrayList<>(hz);
        Var unused = Var.full(0f, n);
        vs.add(unused);
        for (int t = 0; t < hz - 1; t++) {
            rs.add(slice(r, 0, t * n, (t + 1) * n));
            vs.add(slice(v, 0, t * n, (t + 1) * n));
            ps.add(pc != null ? slice(pc, 0, t * n, (t + 1) * n) : Var.full(im.gamma(), n));
        }
        rs.add(unused);
        ps.add(unused);
        List<Var> ret = Returns.lambda(rs, vs, ps, im.lambda());
        List<Var> w = Returns.weights(ps);
        float inv = (float) (1 / scaleOf.applyAsDouble(ret));
        Var objective = null;
        for (int t = 0; t < hz - 1; t++) {
            Var term = mul(w.get(t), inv == 1f ? ret.get(t) : scale(ret.get(t), inv));  // [N]
            if (actorConfig.entropy() > 0) term = add(term, scale(mul(w.get(t), imagined.entropy().get(t)), actorConfig.entropy()));
            objective = objective == null ? term : add(objective, term);
        }
        Var loss = scale(sum(objective), -1f / ((hz - 1) * n));
        return new Behaviour(loss, imagined.features(), ret, w, meanEntropy(imagined.entropy()), cache);
    }

    private static Var[] prepend(Var first, List<Var> rest) {
        Var[] out = new Var[rest.size() + 1];
        out[0] = first;
        for (int i = 0; i < rest.size(); i++) out[i + 1] = rest.get(i);
        return out;
    }

    private static float meanEntropy(List<Var> entropy) {
        double total = 0;
        for (Var e : entropy) for (float x : e.toArray()) total += x;
        return (float) (total / (entropy.size() * entropy.getFirst().dim(0)));
    }

    /**
     * The value loss on constant features and targets: mean w_t (x(s_t) - y_t)^2 / 2 over t < H-1,
     * x the network's output and y_t = R_t, or symlog(R_t) with symlog (the squared error is
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
        Var f, y, w;
        try (Tape.Scope ignored = Tape.noGrad()) {                                      // sg(s_t), sg(R_t): plain values
            f = cached != null ? cached.inputs()
                    : Var.of(concat(0, features.subList(0, hz).toArray(Var[]::new)).toArray(), hz * n, features.getFirst().dim(1));
            Var r = concat(0, returns.toArray(Var[]::new));                             // [(H-1)*N]
            y = Var.of((valueConfig.symlog() ? symlog(r) : r).toArray(), hz * n);
            w = Var.of(concat(0, weights.toArray(Var[]::new)).toArray(), hz * n);
        }
        Var x = cached != null ? value.replay(f, cached.layers()) : value.apply(f);    // [(H-1)*N, 1]
        Var out = reshape(x, hz * n);                                                   // [(H-1)*N]
        return scale(sum(mul(w, square(sub(out, y)))), 0.5f / (hz * n));
    }

    /** Scalar results of one behaviour update. */
    public record Step(float actorLoss, float valueLoss, float imaginedReturn, float actorEntropy, double actorGradNorm,
                       double valueGradNorm) {
        /** The running mean of k updates' figures and one more. */
        Step meanWith(Step x, int k) {
            float a = k / (k + 1f), b = 1f / (k + 1);
            return new Step(a * actorLoss + b * x.actorLoss, a * valueLoss + b * x.valueLoss,
                    a * imaginedReturn + b * x.imaginedReturn, a * actorEntropy + b * x.actorEntropy,
                    a * actorGradNorm + b * x.actorGradNorm, a * valueGradNorm + b * x.valueGradNorm);
        }
    }

    /**
     * Steps 2-4: imagination, then one Adam step of the actor and one of the value model. With
     * {@code shards} K > 1 the start states are cut into K contiguous row ranges that imagine,
     * and backpropagate the actor and value losses, at once ({@link DataParallel}); each part's
     * losses are weighted by its share of the states. The return scale's percentile range is
     * taken per part, and its running average moves by the parts' mean range.
     */
    public Step update(Rssm.State start, Rng rng) {
        int n = start.batch(), k = Math.max(1, Math.min(shards, n));
        Rng[] rngs = new Rng[k];
        for (int i = 0; i < k; i++) rngs[i] = k == 1 ? rng : rng.split();
        float[] actorLoss = new float[k], valueLoss = new float[k], imagined = new float[k], entropy = new float[k];
        double[] range = new double[k];
        double runningRange = returnNorm.range();
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
                    b[i] = behaviour(part, rngs[i], k == 1 ? returnNorm::scale : returns -> {
                        if (!im.returnNorm()) return 1;
                        range[i] = ReturnNorm.percentileRange(returns);
                        return Math.max(1, ReturnNorm.moved(runningRange, range[i]));
                    });
                    actorLoss[i] = b[i].actorLoss().item();
                    check("actor", actorLoss[i]);
                    tape.backward(b[i].actorLoss(), new float[] {WorldModelUpdate.share(r1 - r0, n)});
                }
            });
        } finally {
            frozen.forEach(p -> p.trainable(true));
        }
        if (k > 1 && im.returnNorm()) returnNorm.restore(ReturnNorm.moved(runningRange, Arrays.stream(range).average().orElseThrow()));
        frozen.forEach(ParamStore::zeroGrad);                                           // ops that write a constant's gradient anyway
        DataParallel.run(k, all, i -> {
            try (Tape tape = Tape.record()) {
                Var vl = valueLoss(b[i]);
                valueLoss[i] = vl.item();
                check("value", valueLoss[i]);
                tape.backward(vl, new float[] {WorldModelUpdate.share(b[i].returns().getFirst().dim(0), n)});
            }
            try (Tape.Scope ignored = Tape.noGrad()) {
                imagined[i] = mean(b[i].returns().getFirst()).item();
            }
            entropy[i] = b[i].entropy();
        });
        double actorNorm = clip(actorStore, actorConfig.optim().clip(), "actor");
        actorAdam.step();
        actorStore.zeroGrad();
        double valueNorm = clip(valueStore, valueConfig.optim().clip(), "value");
        valueAdam.step();
        valueStore.zeroGrad();
        updates++;
        if (valueConfig.targetEvery() > 0 && updates % valueConfig.targetEvery() == 0) syncTarget();
        float[] w = new float[k];
        for (int i = 0; i < k; i++) w[i] = WorldModelUpdate.share(Parallel.split(n, k, i + 1) - Parallel.split(n, k, i), n);
        return new Step(weighted(actorLoss, w), weighted(valueLoss, w), weighted(imagined, w), weighted(entropy, w),
                actorNorm, valueNorm);
    }

    private static float weighted(float[] x, float[] w) {
        float s = 0;
        for (int i = 0; i < x.length; i++) s += w[i] * x[i];
        return s;
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
}
