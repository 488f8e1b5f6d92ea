package latte.models.ppo;

import java.util.List;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.family.AgentFamily;
import latte.models.family.TaskSpec;
import latte.models.loop.Learner;
import latte.models.replay.ObsSpec;
import latte.models.run.EpisodeFile;

/** PPO (Schulman et al. 2017): the model-free baseline, on the task's state vector (a MinAtar grid flattened). */
public final class PpoFamily implements AgentFamily<PpoConfig> {
    public static final String NAME = "ppo";
    public static final PpoFamily INSTANCE = new PpoFamily();

    private PpoFamily() {}

    @Override public String name() { return NAME; }
    @Override public String summary() { return "PPO: clipped policy gradient with GAE on state vectors (model-free baseline)"; }
    @Override public Class<PpoConfig> configType() { return PpoConfig.class; }
    @Override public PpoConfig preset(String name) { return PpoConfig.preset(name); }
    @Override public ObsSpec.Kind observation() { return ObsSpec.Kind.VECTOR; }

    /** The MinAtar games have no state vector: PPO reads their grid. */
    @Override
    public ObsSpec.Kind observation(String env) {
        return env.startsWith("MinAtar/") ? ObsSpec.Kind.GRID : ObsSpec.Kind.VECTOR;
    }

    @Override
    public Learner learner(PpoConfig config, TaskSpec task, long seed) {
        return new PpoLearner(config, task, seed);
    }

    /** PPO has no model to picture. */
    @Override
    public List<Frame> dream(Learner learner, EpisodeFile.Episode episode, Rng rng) {
        return List.of();
    }
}
