package latte.models.dreamer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.io.Json;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.config.ConfigCodec;
import latte.models.loop.InterleavedLoop;
import latte.models.loop.Learner;
import latte.models.loop.Loop;
import latte.models.replay.Batch;
import latte.models.replay.ObsSpec;
import latte.models.run.Checkpoint;
import latte.models.run.RunDir;
import latte.models.uncertainty.Disagreement;
import latte.models.uncertainty.Ensemble;
import latte.models.world.RssmWorldModel;
import latte.models.world.WorldModelUpdate;

/**
 * Dreamer in the training loop (Hafner et al. 2020, algorithm 1). One step:
 * <pre>
 *   1. world model:    PlaNet's loss on the batch; Adam on the model's parameters only ({@link WorldModelUpdate})
 *   2-4. behaviour:    imagine from every posterior state, update actor and value ({@link ActorCritic}),
 *                      imagination.updates times on the same start states
 * </pre>
 * With exploration on ({@link latte.models.uncertainty.ExplorationConfig}), step 1 also trains
 * an {@link Ensemble} of one-step heads on the batch's posterior transitions (bootstrapped, its
 * own Adam, no gradient into the model), and imagination's reward is the one
 * {@code exploration.reward} names. Off, nothing of it is built and every step is as before.
 */
public final class DreamerLearner implements Learner, InterleavedLoop.Steps {
    private final DreamerConfig config;
    private final RssmWorldModel model;
    private final WorldModelUpdate update;
    private final ActorCritic behaviour;
    private final Checkpoint checkpoint;
    /** The heads of exploration by disagreement, or null when off; their training data of the current step. */
    private final Ensemble ensemble;
    private final List<Ensemble.Data> seen = new ArrayList<>();
    private float ensembleLoss = Float.NaN;

    public DreamerLearner(DreamerConfig config, int actionSize, boolean discrete, long seed) {
        this.config = config;
        Rng rng = new Rng(seed);
        this.model = new RssmWorldModel(config.model(), actionSize, rng);
        this.behaviour = new ActorCritic(model, config.actor(), config.value(), config.imagination(), config.loop().shards(),
                config.model().rssm().act(), discrete, rng);
        this.update = new WorldModelUpdate(model, config.optim(), config.loop().shards());
        List<Checkpoint.Params> params = new ArrayList<>(List.of(new Checkpoint.Params("model", "", model.store()),
                new Checkpoint.Params("behaviour", "", behaviour.actorStore()),
                new Checkpoint.Params("behaviour", "", behaviour.valueStore()),
                new Checkpoint.Params("behaviour", "target/", behaviour.targetStore())));
        List<Checkpoint.Moments> moments = new ArrayList<>(List.of(new Checkpoint.Moments("model.", update.adam()),
                new Checkpoint.Moments("actor.", behaviour.actorAdam()), new Checkpoint.Moments("value.", behaviour.valueAdam())));
        if (config.exploration().on()) {
            // its own generator, split last: the model's and the behaviour's initialisation stay those of a run without it
            this.ensemble = new Ensemble(model.featureSize(), actionSize, config.model().rssm().stateSize(), config.exploration(),
                    config.model().rssm().act(), rng.split());
            update.observer((part, steps) -> seen.add(Ensemble.transitions(steps, part)));
            behaviour.rewardSource(Disagreement.of(config.exploration(), model, ensemble));
            params.add(new Checkpoint.Params("ensemble", "", ensemble.store()));
            moments.add(new Checkpoint.Moments("ensemble.", ensemble.adam()));
        } else {
            this.ensemble = null;
        }
        this.checkpoint = new Checkpoint(params, moments);
    }

    public RssmWorldModel model() { return model; }
    public ActorCritic actorCritic() { return behaviour; }
    /** The exploration ensemble, or null when exploration is off. */
    public Ensemble ensemble() { return ensemble; }

    /**
     * Step 1: one world-model update on {@code batch} (the replayed rewards widen imagination's
     * bounds), then, with exploration on, one ensemble update on the batch's posterior
     * transitions; returns the start states too.
     */
    public WorldModelUpdate.Result modelStep(Batch batch, Rng rng) {
        behaviour.observeRewards(batch.reward());
        seen.clear();
        WorldModelUpdate.Result r = update.step(batch, rng, true);
        if (ensemble != null) {
            try {
                ensembleLoss = ensemble.update(Ensemble.Data.concat(seen));
            } finally {
                seen.clear();
            }
        }
        return r;
    }

    @Override
    public String family() {
        return DreamerFamily.NAME;
    }

    @Override
    public DreamerConfig config() {
        return config;
    }

    @Override
    public Settings settings() {
        var l = config.loop();
        return new Settings(ObsSpec.Kind.FRAME, l.actionRepeat(), l.evalEpisodes(), l.replayCapacity());
    }

    @Override
    public Loop loop() {
        return new InterleavedLoop(config.loop(), this);
    }

    @Override
    public Map<String, Double> trainStep(Batch batch, Rng rng) {
        WorldModelUpdate.Result ms = modelStep(batch, rng);
        ActorCritic.Step bs = behaviour.update(ms.starts(), rng);
        for (int k = 1; k < config.imagination().updates(); k++) bs = bs.meanWith(behaviour.update(ms.starts(), rng), k);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("reconstruction", (double) ms.reconstruction());
        m.put("reward", (double) ms.reward());
        m.put("kl", (double) ms.kl());
        if (model.hasContinuation()) m.put("continuation", (double) ms.continuation());
        m.put("actor", (double) bs.actorLoss());
        m.put("value", (double) bs.valueLoss());
        m.put("imaginedReturn", (double) bs.imaginedReturn());
        m.put("actorEntropy", (double) bs.actorEntropy());
        if (config.imagination().returnNorm()) m.put("returnScale", Math.max(1, behaviour.returnRange()));
        if (ensemble != null) m.put("ensemble", (double) ensembleLoss);
        m.put("gradNorm", ms.gradNorm());
        m.put("actorGradNorm", bs.actorGradNorm());
        m.put("valueGradNorm", bs.valueGradNorm());
        return m;
    }

    @Override
    public Agent agent(float noise, Rng rng) {
        return new DreamerAgent(model, behaviour.actor(), rng).withNoise(noise);
    }

    @Override
    public void save(RunDir run, Map<String, String> metadata) {
        Map<String, String> extra = new LinkedHashMap<>();
        float[] range = behaviour.rewardRange();
        extra.put("learnerSteps", Long.toString(behaviour.updates()));
        extra.put("returnRange", Double.toString(behaviour.returnRange()));
        extra.put("rewardLo", Float.toString(range == null ? Float.POSITIVE_INFINITY : range[0]));
        extra.put("rewardHi", Float.toString(range == null ? Float.NEGATIVE_INFINITY : range[1]));
        checkpoint.save(run, metadata, Map.of("config", Json.write(ConfigCodec.encode(config))), extra);
    }

    @Override
    public void load(RunDir run) {
        Map<String, String> extra = checkpoint.load(run);
        if (extra.isEmpty()) return;                                                      // no optimizer file: fresh moments and counters
        String range = extra.get("returnRange"), lo = extra.get("rewardLo"), hi = extra.get("rewardHi");  // absent in older runs
        behaviour.restore(Long.parseLong(extra.get("learnerSteps")), range == null ? 0 : Double.parseDouble(range),
                lo == null ? Float.POSITIVE_INFINITY : Float.parseFloat(lo), hi == null ? Float.NEGATIVE_INFINITY : Float.parseFloat(hi));
    }
}
