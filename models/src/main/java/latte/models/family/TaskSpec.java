package latte.models.family;

import latte.envs.Env;
import latte.models.loop.OneHotActions;
import latte.models.loop.Trainer;
import latte.models.replay.ObsSpec;

/**
 * What an agent family needs to know of a task to size its networks and choose its defaults.
 *
 * @param env         the registry name (see {@code latte.envs.Envs})
 * @param observation the observations the agent reads from it
 * @param actionSize  A: the box's dimensions, or the number of choices (one-hot) of a discrete task
 * @param discrete    whether the task's actions are choices
 */
public record TaskSpec(String env, ObsSpec observation, int actionSize, boolean discrete) {
    /** The task {@code env} as an agent reading {@code kind} observations sees it. */
    public static TaskSpec of(String env, ObsSpec.Kind kind) {
        try (Env e = Trainer.makeEnv(env, kind, 1)) {
            return new TaskSpec(env, ObsSpec.of(e.reset(0).observation()), e.actionSpec().size(), e instanceof OneHotActions);
        }
    }

    /**
     * The task's customary action repeat: PlaNet's for the dm_control tasks (Hafner et al. 2019,
     * appendix A: cartpole 8, reacher 4), 1 for the MinAtar games (every frame is a decision, as
     * in MinAtar's DQN baselines); {@code otherwise} for tasks neither lists.
     */
    public int actionRepeat(int otherwise) {
        if (env.startsWith("MinAtar/")) return 1;
        return switch (env) {
            case "cartpole-swingup", "cartpole-balance", "cartpole-swingup-sparse" -> 8;
            case "reacher-easy", "reacher-hard" -> 4;
            default -> otherwise;
        };
    }
}
