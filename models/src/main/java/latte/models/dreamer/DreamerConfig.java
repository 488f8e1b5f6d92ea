package latte.models.dreamer;

import static latte.models.config.Presets.derive;
import static latte.models.config.Presets.tree;

import java.util.List;
import latte.models.config.ConfigCodec;
import latte.models.config.LoopConfig;
import latte.models.config.Optim;
import latte.models.config.Presets;
import latte.models.uncertainty.ExplorationConfig;
import latte.models.world.Objective;
import latte.models.world.WorldModelConfig;

/**
 * Every hyperparameter of a Dreamer run (Hafner et al. 2020, appendix and danijar/dreamer),
 * grouped by concern: the world model (PlaNet's, trained with Dreamer's objective options) and
 * its optimiser, the training loop, the actor, the value model and imagination, and exploration
 * by disagreement (Plan2Explore; off in every preset, {@link ExplorationConfig#OFF}).
 */
public record DreamerConfig(String preset, WorldModelConfig model, Optim optim, LoopConfig loop, ActorConfig actor,
                            ValueConfig value, ImaginationConfig imagination, ExplorationConfig exploration) {
    public static final List<String> PRESETS = List.of("paper", "cpu", "debug");

    /** Names of the stochastic states {@link #withLatent} accepts. */
    public static final List<String> LATENTS = List.of("gaussian", "categorical");

    /** DreamerV2's KL balancing weight: 0.8 KL(sg(q) || p) + 0.2 KL(q || sg(p)). */
    public static final float V2_KL_BALANCE = 0.8f;

    public DreamerConfig {
        if (model.loss().objective() != Objective.VARIATIONAL || model.loss().overshooting() != 1)
            throw new IllegalArgumentException("DreamerConfig: a " + model.loss().objective() + " world model with overshooting "
                    + model.loss().overshooting() + ", expected a variational world model without overshooting");
    }

    /**
     * Dreamer v1 as published: PlaNet's encoder/decoder and RSSM with ELU, reward 2 x 400, free
     * nats 3 after averaging, actor 4 x 400, value 3 x 400, H = 15, Adam 6e-4 / 8e-5 / 8e-5,
     * clip 100, batch 50 x 50, 100 train steps per episode, observations x / 255 - 0.5.
     */
    public static DreamerConfig paper() {
        Object behaviourOptim = tree("lr", 8e-5, "eps", 1e-7, "clip", 100);   // TensorFlow's eps, which danijar/dreamer keeps
        return ConfigCodec.decode(DreamerConfig.class, tree(
                "preset", "paper",
                "model", tree("depth", 32,
                        "rssm", tree("deter", 200, "stoch", 30, "hidden", 200, "minStd", 0.1, "act", "ELU",
                                "latent", "GAUSSIAN", "classes", 0),
                        "rewardHidden", 400, "rewardLayers", 2, "bitDepth", 8,
                        "loss", tree("objective", "VARIATIONAL", "freeNats", 3, "freeNatsAfterMean", true, "klScale", 1,
                                "klBalance", 0, "rewardScale", 1, "overshooting", 1, "overshootingScale", 0,
                                "continuation", false)),
                "optim", tree("lr", 6e-4, "eps", 1e-4, "clip", 100),
                "loop", tree("batch", 50, "chunk", 50, "seedEpisodes", 5, "trainSteps", 100, "explorationNoise", 0.3,
                        "actionRepeat", 2, "evalEvery", 10, "evalEpisodes", 10, "replayCapacity", 1_000_000, "shards", 1),
                "actor", tree("hidden", 400, "layers", 4, "initStd", 5, "meanScale", 5, "minStd", Actor.V1_MIN_STD,
                        "entropy", 0, "optim", behaviourOptim),
                "value", tree("hidden", 400, "layers", 3, "symlog", false, "targetEvery", 0, "optim", behaviourOptim),
                "imagination", tree("horizon", 15, "gamma", 0.99, "lambda", 0.95, "bounded", false, "returnNorm", false,
                        "updates", 1),
                "exploration", ConfigCodec.encode(ExplorationConfig.OFF)));
    }

    /**
     * Fits two cores (measurements in docs/dreamer.md): the cpu world model of PlaNet with ELU,
     * small behaviour nets with faster learning rates, so that a few hundred gradient steps
     * already move the policy, and more episodes per minute (25 train steps each). Each step runs
     * as two data-parallel shards, one per core. The rest keeps the tanh-Normal out of
     * saturation and imagination inside what the world has shown:
     * <ul>
     *   <li>initial actor std 1 (Dreamer v1's 5 saturates tanh: most samples are +-1 with no gradient);
     *   <li>returns normalised with an entropy bonus of 3e-3 and a symlog value model (DreamerV3):
     *       Pendulum's returns near -1500 otherwise drive the actor into saturation for good;
     *   <li>two actor and value updates per world-model update;
     *   <li>bounded imagination: the actor otherwise steers imagination to where the reward head
     *       extrapolates beyond every real reward, and the value model follows it to NaN;
     *   <li>actor and value gradients clipped at 5, about five times their median norm: balancing
     *       near the unstable top makes the gradient through the dynamics spiky;
     *   <li>a slow value target refreshed every 100 updates (DreamerV2), which damps late relapses.
     * </ul>
     */
    public static DreamerConfig cpu() {
        return derive(paper(), "cpu",
                "model.depth", 8, "model.rssm.deter", 64, "model.rssm.stoch", 16, "model.rssm.hidden", 64,
                "model.rewardHidden", 64,
                "loop.batch", 16, "loop.chunk", 32, "loop.trainSteps", 25, "loop.evalEvery", 5, "loop.replayCapacity", 100_000,
                "loop.shards", 2,
                "actor.hidden", 128, "actor.layers", 3, "actor.initStd", 1, "actor.entropy", 3e-3,
                "actor.optim.lr", 4e-4, "actor.optim.clip", 5,
                "value.hidden", 128, "value.layers", 3, "value.symlog", true, "value.targetEvery", 100,
                "value.optim.lr", 4e-4, "value.optim.clip", 5,
                "imagination.bounded", true, "imagination.returnNorm", true, "imagination.updates", 2);
    }

    /** Tiny sizes for tests: a few seconds end to end. */
    public static DreamerConfig debug() {
        return derive(paper(), "debug",
                "model.depth", 2, "model.rssm.deter", 8, "model.rssm.stoch", 4, "model.rssm.hidden", 8,
                "model.rewardHidden", 8, "model.rewardLayers", 1,
                "loop.batch", 2, "loop.chunk", 4, "loop.seedEpisodes", 1, "loop.trainSteps", 2, "loop.actionRepeat", 4,
                "loop.evalEvery", 1, "loop.evalEpisodes", 1, "loop.replayCapacity", 10_000,
                "actor.hidden", 8, "actor.layers", 1, "value.hidden", 8, "value.layers", 1, "imagination.horizon", 3);
    }

    /** A preset by name; unknown names list the valid ones. */
    public static DreamerConfig preset(String name) {
        return switch (name) {
            case "paper" -> paper();
            case "cpu" -> cpu();
            case "debug" -> debug();
            default -> throw Presets.unknown(name, PRESETS);
        };
    }

    /**
     * DreamerV2's stochastic state (Hafner et al. 2021): {@code variables} categoricals of
     * {@code classes} classes with straight-through one-hot samples, trained with KL balancing
     * 0.8; free nats and every other size stay the preset's.
     */
    public DreamerConfig withCategorical(int variables, int classes) {
        return ConfigCodec.with(this, "model.rssm.latent", "CATEGORICAL", "model.rssm.stoch", variables,
                "model.rssm.classes", classes, "model.loss.klBalance", V2_KL_BALANCE);
    }

    /**
     * The stochastic state by name: "gaussian" (Dreamer v1, unchanged) or "categorical": 32 x 32 as
     * in DreamerV2 for the paper preset, 16 x 16 for cpu, 4 x 4 for debug (see {@link #withCategorical}).
     */
    public DreamerConfig withLatent(String name) {
        return switch (name) {
            case "gaussian" -> this;
            case "categorical" -> switch (preset) {
                case "cpu" -> withCategorical(16, 16);
                case "debug" -> withCategorical(4, 4);
                default -> withCategorical(32, 32);
            };
            default -> throw new IllegalArgumentException("unknown latent '" + name + "'; valid latents: " + String.join(", ", LATENTS));
        };
    }
}
