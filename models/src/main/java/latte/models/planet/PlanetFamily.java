package latte.models.planet;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.config.ConfigCodec;
import latte.models.config.LegacyConfigs;
import latte.models.family.AgentFamily;
import latte.models.family.TaskSpec;
import latte.models.loop.Learner;
import latte.models.replay.ObsSpec;
import latte.models.run.EpisodeFile;
import latte.models.world.Dream;
import latte.models.world.WorldModel;

/** PlaNet (Hafner et al. 2019): a latent dynamics model learned from pixels, and CEM planning in its latent space. */
public final class PlanetFamily implements AgentFamily<PlanetConfig> {
    public static final String NAME = "planet";
    public static final PlanetFamily INSTANCE = new PlanetFamily();

    private PlanetFamily() {}

    @Override public String name() { return NAME; }
    @Override public String summary() { return "PlaNet: RSSM world model + CEM planning in latent space (continuous actions)"; }
    @Override public Class<PlanetConfig> configType() { return PlanetConfig.class; }
    @Override public PlanetConfig preset(String name) { return PlanetConfig.preset(name); }
    @Override public ObsSpec.Kind observation() { return ObsSpec.Kind.FRAME; }

    @Override
    public PlanetConfig forTask(PlanetConfig c, TaskSpec task) {
        return ConfigCodec.with(c, "loop.actionRepeat", task.actionRepeat(c.loop().actionRepeat()));
    }

    /** {@code --objective variational|deterministic}, {@code --overshooting D} (latent overshooting, weight 1). */
    @Override
    public PlanetConfig option(PlanetConfig c, String option, String value) {
        return switch (option) {
            case "objective" -> ConfigCodec.with(c, "model.loss.objective", value);
            case "overshooting" -> Integer.parseInt(value) <= 1 ? c
                    : ConfigCodec.with(c, "model.loss.overshooting", Integer.parseInt(value), "model.loss.overshootingScale", 1);
            default -> AgentFamily.super.option(c, option, value);
        };
    }

    @Override
    public Learner learner(PlanetConfig config, TaskSpec task, long seed) {
        if (task.discrete())
            throw new IllegalArgumentException(task.env() + " has discrete actions; PlaNet plans over continuous actions"
                    + " (use a task with a box action space, or --agent dreamer)");
        return new PlanetLearner(config, task.actionSize(), seed);
    }

    @Override
    public List<Frame> dream(Learner learner, EpisodeFile.Episode episode, Rng rng) {
        return Dream.render(((PlanetLearner) learner).model(), episode, Math.min(5, episode.steps()), 60, rng);
    }

    @Override
    public Optional<WorldModel> worldModel(Learner learner) {
        return Optional.of(((PlanetLearner) learner).model());
    }

    @Override
    public Map<String, Object> migrate(Map<String, Object> tree, String version) {
        if (!version.equals("1")) return AgentFamily.super.migrate(tree, version);
        return LegacyConfigs.planet(tree);
    }
}
