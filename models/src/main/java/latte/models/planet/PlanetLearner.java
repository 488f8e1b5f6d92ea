package latte.models.planet;

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
import latte.models.world.Objective;
import latte.models.world.RssmWorldModel;
import latte.models.world.WorldModelUpdate;

/** PlaNet in the training loop: world-model gradient steps (algorithm 1) and the CEM agent. */
public final class PlanetLearner implements Learner, InterleavedLoop.Steps {
    private final PlanetConfig config;
    private final RssmWorldModel model;
    private final WorldModelUpdate update;
    private final Checkpoint checkpoint;

    public PlanetLearner(PlanetConfig config, int actionSize, long seed) {
        this.config = config;
        this.model = new RssmWorldModel(config.model(), actionSize, new Rng(seed));
        this.update = new WorldModelUpdate(model, config.optim(), config.loop().shards());
        this.checkpoint = new Checkpoint(List.of(new Checkpoint.Params("model", "", model.store())),
                List.of(new Checkpoint.Moments("", update.adam())));
    }

    public RssmWorldModel model() {
        return model;
    }

    @Override
    public String family() {
        return PlanetFamily.NAME;
    }

    @Override
    public PlanetConfig config() {
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
        WorldModelUpdate.Result r = update.step(batch, rng, false);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("reconstruction", (double) r.reconstruction());
        m.put("reward", (double) r.reward());
        m.put(config.model().loss().objective() == Objective.VARIATIONAL ? "kl" : "transitionNll", (double) r.kl());
        if (config.model().loss().overshooting() > 1) m.put("overshooting", (double) r.overshooting());
        m.put("gradNorm", r.gradNorm());
        return m;
    }

    @Override
    public Agent agent(float noise, Rng rng) {
        return new PlanetAgent(model, config.planner(), rng).withNoise(noise);
    }

    @Override
    public void save(RunDir run, Map<String, String> metadata) {
        checkpoint.save(run, metadata, Map.of("config", Json.write(ConfigCodec.encode(config))), Map.of());
    }

    @Override
    public void load(RunDir run) {
        checkpoint.load(run);
    }
}
