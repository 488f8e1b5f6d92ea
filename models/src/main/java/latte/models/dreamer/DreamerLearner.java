package latte.models.dreamer;

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
import latte.models.world.RssmWorldModel;
import latte.models.world.WorldModelUpdate;

/**
 * Dreamer in the training loop (Hafner et al. 2020, algorithm 1). One step:
 * <pre>
 *   1. world model:    PlaNet's loss on the batch; Adam on the model's parameters only ({@link WorldModelUpdate})
 *   2-4. behaviour:    imagine from every posterior state, update actor and value ({@link ActorCritic}),
 *                      imagination.updates times on the same start states
 * </pre>
 */
public final class DreamerLearner implements Learner, InterleavedLoop.Steps {
    private final DreamerConfig config;
    private final RssmWorldModel model;
    private final WorldModelUpdate update;
    private final ActorCritic behaviour;
    private final Checkpoint checkpoint;

    public DreamerLearner(DreamerConfig config, int actionSize, boolean discrete, long seed) {
        this.config = config;
        Rng rng = new Rng(seed);
        this.model = new RssmWorldModel(config.model(), actionSize, rng);
        this.behaviour = new ActorCritic(model, config.actor(), config.value(), config.imagination(), config.loop().shards(),
                config.model().rssm().act(), discrete, rng);
        this.update = new WorldModelUpdate(model, config.optim(), config.loop().shards());
        this.checkpoint = new Checkpoint(
                List.of(new Checkpoint.Params("model", "", model.store()),
                        new Checkpoint.Params("behaviour", "", behaviour.actorStore()),
                        new Checkpoint.Params("behaviour", "", behaviour.valueStore()),
                        new Checkpoint.Params("behaviour", "target/", behaviour.targetStore())),
                List.of(new Checkpoint.Moments("model.", update.adam()), new Checkpoint.Moments("actor.", behaviour.actorAdam()),
                        new Checkpoint.Moments("value.", behaviour.valueAdam())));
    }

    public RssmWorldModel model() { return model; }
    public ActorCritic actorCritic() { return behaviour; }

    /** Step 1: one world-model update on {@code batch} (the replayed rewards widen imagination's bounds); returns the start states too. */
    public WorldModelUpdate.Result modelStep(Batch batch, Rng rng) {
        behaviour.observeRewards(batch.reward());
        return update.step(batch, rng, true);
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
