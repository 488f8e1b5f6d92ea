package latte.models.planet;

import static latte.models.config.Presets.derive;
import static latte.models.config.Presets.tree;

import java.util.List;
import latte.models.config.ConfigCodec;
import latte.models.config.LoopConfig;
import latte.models.config.Optim;
import latte.models.config.Presets;
import latte.models.world.WorldModelConfig;

/**
 * Every hyperparameter of a PlaNet run, grouped by concern: the world model, its optimiser, the
 * training loop and the planner. {@link #paper()} holds the published values (Hafner et al.
 * 2019, appendix A and the official configs); {@link #cpu()} learns on two cores in minutes;
 * {@link #debug()} is tiny, for tests.
 */
public record PlanetConfig(String preset, WorldModelConfig model, Optim optim, LoopConfig loop, PlannerConfig planner) {
    public static final List<String> PRESETS = List.of("paper", "cpu", "debug");

    public PlanetConfig {
        if (model.loss().overshooting() > loop.chunk())
            throw new IllegalArgumentException("PlanetConfig: overshooting distance " + model.loss().overshooting()
                    + " exceeds the chunk length " + loop.chunk() + " (expected 1..chunk)");
    }

    /** The published configuration (about 5.3M parameters at 64x64). */
    public static PlanetConfig paper() {
        return ConfigCodec.decode(PlanetConfig.class, tree(
                "preset", "paper",
                "model", tree("depth", 32,
                        "rssm", tree("deter", 200, "stoch", 30, "hidden", 200, "minStd", 0.1, "act", "RELU",
                                "latent", "GAUSSIAN", "classes", 0),
                        "rewardHidden", 300, "rewardLayers", 3, "bitDepth", 5,
                        "loss", tree("objective", "VARIATIONAL", "freeNats", 3, "freeNatsAfterMean", false, "klScale", 1,
                                "klBalance", 0, "rewardScale", 10, "overshooting", 1, "overshootingScale", 0,
                                "continuation", false)),
                "optim", tree("lr", 1e-3, "eps", 1e-4, "clip", 1000),
                "loop", tree("batch", 50, "chunk", 50, "seedEpisodes", 5, "trainSteps", 100, "explorationNoise", 0.3,
                        "actionRepeat", 2, "evalEvery", 10, "evalEpisodes", 10, "replayCapacity", 1_000_000, "shards", 1),
                "planner", tree("horizon", 12, "candidates", 1000, "topK", 100, "iterations", 10, "planMean", false)));
    }

    /**
     * Fits two cores: a quarter of the conv channels, smaller states, 16 x 32 batches cut into
     * two data-parallel shards (one per core), a lighter planner that acts on means
     * ({@code planMean}: with few candidates, sampling noise hides small return differences),
     * and fewer gradient steps per episode so that many episodes are collected in a few minutes.
     */
    public static PlanetConfig cpu() {
        return derive(paper(), "cpu",
                "model.depth", 8, "model.rssm.deter", 64, "model.rssm.stoch", 16, "model.rssm.hidden", 64,
                "model.rewardHidden", 64, "model.rewardLayers", 2,
                "loop.batch", 16, "loop.chunk", 32, "loop.trainSteps", 40, "loop.evalEvery", 5, "loop.replayCapacity", 100_000,
                "loop.shards", 2,
                "planner.candidates", 200, "planner.topK", 20, "planner.iterations", 5, "planner.planMean", true);
    }

    /** Tiny sizes for tests: a few seconds end to end. */
    public static PlanetConfig debug() {
        return derive(paper(), "debug",
                "model.depth", 2, "model.rssm.deter", 8, "model.rssm.stoch", 4, "model.rssm.hidden", 8,
                "model.rewardHidden", 8, "model.rewardLayers", 1,
                "loop.batch", 2, "loop.chunk", 4, "loop.seedEpisodes", 1, "loop.trainSteps", 2, "loop.actionRepeat", 4,
                "loop.evalEvery", 1, "loop.evalEpisodes", 1, "loop.replayCapacity", 10_000,
                "planner.horizon", 3, "planner.candidates", 10, "planner.topK", 3, "planner.iterations", 2);
    }

    /** A preset by name; unknown names list the valid ones. */
    public static PlanetConfig preset(String name) {
        return switch (name) {
            case "paper" -> paper();
            case "cpu" -> cpu();
            case "debug" -> debug();
            default -> throw Presets.unknown(name, PRESETS);
        };
    }
}
