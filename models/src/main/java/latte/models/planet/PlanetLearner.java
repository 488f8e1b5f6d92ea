package latte.models.planet;

import java.util.LinkedHashMap;
import java.util.Map;
import latte.autodiff.Tape;
import latte.autodiff.io.Json;
import latte.autodiff.io.Safetensors;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.replay.Batch;
import latte.models.run.RunDir;
import latte.models.train.Learner;

/** PlaNet in the training loop: world-model gradient steps and the CEM agent. */
public final class PlanetLearner implements Learner {
    private final PlanetConfig config;
    private final WorldModel model;
    private final Adam adam;

    public PlanetLearner(PlanetConfig config, int actionSize, long seed) {
        this.config = config;
        this.model = new WorldModel(config, actionSize, new Rng(seed));
        this.adam = new Adam(model.store(), Adam.Config.of(config.lr()).withEps(config.adamEps()));
    }

    public WorldModel model() {
        return model;
    }

    public Adam adam() {
        return adam;
    }

    @Override
    public String kind() {
        return "planet";
    }

    @Override
    public Schedule schedule() {
        PlanetConfig c = config;
        return new Schedule(c.batch(), c.chunk(), c.seedEpisodes(), c.trainSteps(), c.explorationNoise(),
                c.actionRepeat(), c.evalEvery(), c.evalEpisodes(), c.replayCapacity());
    }

    @Override
    public Map<String, Object> configMap() {
        return config.toMap();
    }

    @Override
    public Map<String, Double> trainStep(Batch batch, Rng rng) {
        WorldModel.Losses l;
        try (Tape tape = Tape.record()) {
            l = model.loss(batch, rng);
            check("reconstruction", l.reconstruction());
            check("reward", l.reward());
            check("kl", l.kl());
            check("overshooting", l.overshooting());
            tape.backward(l.total());
        }
        double norm = GradClip.globalNorm(model.store(), config.gradClip());
        if (!Double.isFinite(norm)) {
            model.store().zeroGrad();
            throw new Diverged("gradient norm is " + norm);
        }
        adam.step();
        model.store().zeroGrad();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("reconstruction", (double) l.reconstruction());
        m.put("reward", (double) l.reward());
        m.put(config.objective() == Objective.VARIATIONAL ? "kl" : "transitionNll", (double) l.kl());
        if (config.overshooting() > 1) m.put("overshooting", (double) l.overshooting());
        m.put("gradNorm", norm);
        return m;
    }

    private void check(String term, float v) {
        if (!Float.isFinite(v)) {
            model.store().zeroGrad();
            throw new Diverged("loss term '" + term + "' is " + v);
        }
    }

    @Override
    public Agent agent(float noise, Rng rng) {
        return new PlanetAgent(model, rng).withNoise(noise);
    }

    @Override
    public void save(RunDir run, Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("config", Json.write(config.toMap()));
        Map<String, Safetensors.Entry> opt = new LinkedHashMap<>();
        Adam.State s = adam.state();
        opt.put("m", new Safetensors.Entry(new int[] {s.m().length}, s.m()));
        opt.put("v", new Safetensors.Entry(new int[] {s.v().length}, s.v()));
        Map<String, String> optMeta = new LinkedHashMap<>(metadata);
        optMeta.put("adamSteps", Long.toString(s.steps()));
        Safetensors.write(run.optimizer(), opt, optMeta);
        Safetensors.save(model.store(), run.model(), meta);
    }

    @Override
    public void load(RunDir run) {
        Map<String, String> meta = Safetensors.load(model.store(), run.model());
        if (!java.nio.file.Files.exists(run.optimizer())) return;
        Safetensors.Contents opt = Safetensors.read(run.optimizer());
        if (!String.valueOf(meta.get("trainSteps")).equals(opt.metadata().get("trainSteps")))
            throw new IllegalArgumentException(run.optimizer() + " is from train step " + opt.metadata().get("trainSteps")
                    + " but the model is from step " + meta.get("trainSteps") + " (interrupted checkpoint); delete it to resume with fresh optimiser moments");
        adam.restore(new Adam.State(opt.tensors().get("m").data(), opt.tensors().get("v").data(),
                Long.parseLong(opt.metadata().get("adamSteps"))));
    }
}
