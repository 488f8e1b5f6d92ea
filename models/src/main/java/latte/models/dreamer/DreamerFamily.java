package latte.models.dreamer;

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
import latte.models.uncertainty.ExplorationConfig;
import latte.models.world.Dream;
import latte.models.world.WorldModel;

/** Dreamer (Hafner et al. 2020): PlaNet's world model, and an actor-critic learned in its imagination. */
public final class DreamerFamily implements AgentFamily<DreamerConfig> {
    public static final String NAME = "dreamer";
    public static final DreamerFamily INSTANCE = new DreamerFamily();

    private DreamerFamily() {}

    @Override public String name() { return NAME; }
    @Override public String summary() { return "Dreamer: RSSM world model + actor-critic in imagination (continuous or discrete actions)"; }
    @Override public Class<DreamerConfig> configType() { return DreamerConfig.class; }
    @Override public DreamerConfig preset(String name) { return DreamerConfig.preset(name); }
    @Override public ObsSpec.Kind observation() { return ObsSpec.Kind.FRAME; }

    /**
     * The task's customary action repeat ({@link TaskSpec#actionRepeat}); on a discrete task (CartPole-v1, Acrobot-v1, which end on
     * failure or success) a continuation head, without which imagined returns cannot see the
     * episode end.
     */
    @Override
    public DreamerConfig forTask(DreamerConfig c, TaskSpec task) {
        c = ConfigCodec.with(c, "loop.actionRepeat", task.actionRepeat(c.loop().actionRepeat()));
        return task.discrete() ? ConfigCodec.with(c, "model.loss.continuation", true) : c;
    }

    /** {@code --latent gaussian|categorical} (DreamerV2's categorical state, see {@link DreamerConfig#withLatent}). */
    @Override
    public DreamerConfig option(DreamerConfig c, String option, String value) {
        return option.equals("latent") ? c.withLatent(value) : AgentFamily.super.option(c, option, value);
    }

    @Override
    public Learner learner(DreamerConfig config, TaskSpec task, long seed) {
        return new DreamerLearner(config, task.actionSize(), task.discrete(), seed);
    }

    @Override
    public List<Frame> dream(Learner learner, EpisodeFile.Episode episode, Rng rng) {
        return Dream.render(((DreamerLearner) learner).model(), episode, Math.min(5, episode.steps()), 60, rng);
    }

    @Override
    public Optional<WorldModel> worldModel(Learner learner) {
        return Optional.of(((DreamerLearner) learner).model());
    }

    @Override
    public Optional<latte.models.uncertainty.Ensemble> ensemble(Learner learner) {
        return Optional.ofNullable(((DreamerLearner) learner).ensemble());
    }

    /**
     * Version 1 (flat) files through {@link LegacyConfigs}; files of today's version written before
     * {@code exploration} existed get it switched off ({@link ExplorationConfig#OFF}), which is how
     * they ran.
     */
    @Override
    public Map<String, Object> migrate(Map<String, Object> tree, String version) {
        if (version.equals("1")) return LegacyConfigs.dreamer(tree);
        Map<String, Object> t = AgentFamily.super.migrate(tree, version);
        if (t.containsKey("exploration")) return t;
        Map<String, Object> out = new java.util.LinkedHashMap<>(t);
        out.put("exploration", ConfigCodec.encode(ExplorationConfig.OFF));
        return out;
    }
}
