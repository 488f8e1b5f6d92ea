package latte.models;

import java.nio.file.Path;
import java.util.Map;
import latte.core.Rng;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerLearner;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.run.RunDir;
import latte.models.train.Learner;
import latte.models.train.Trainer;

/**
 * Loads trained agents from run directories.
 * <pre>{@code
 * Agent agent = Agents.load(Path.of("runs/pendulum"));
 * agent.reset();
 * float[] a = agent.act(frame);      // frame: latte.envs.Frame, 64x64 RGB
 * }</pre>
 */
public final class Agents {
    /** The agent kinds this version can load. */
    public static final java.util.List<String> KINDS = java.util.List.of("planet", "dreamer");

    private Agents() {}

    /** A run directory opened for evaluation or resuming: its learner holds the checkpoint. */
    public record Opened(RunDir run, String kind, String env, long seed, Learner learner) {}

    /** The run's evaluation agent (no exploration noise), seeded by the run's seed. */
    public static Agent load(Path dir) {
        Opened o = open(dir, true);
        return o.learner().agent(0f, new Rng(o.seed()));
    }

    /** Reads config.json, builds the learner it names and (if {@code weights}) loads its checkpoint. */
    public static Opened open(Path dir, boolean weights) {
        RunDir run = new RunDir(dir);
        if (!run.exists())
            throw new IllegalArgumentException(dir + " is not a Latte run directory (no config.json)");
        Map<String, Object> cfg = RunDir.readJson(run.config());
        String kind = String.valueOf(cfg.get("agent"));
        String env = String.valueOf(cfg.get("env"));
        if (!(cfg.get("seed") instanceof Number seed) || !(cfg.get("config") instanceof Map<?, ?> c))
            throw new IllegalArgumentException(run.config() + " is missing 'seed' or 'config'");
        Learner learner = learner(kind, env, castMap(c), seed.longValue());
        if (weights) {
            if (!java.nio.file.Files.exists(run.model()))
                throw new IllegalArgumentException(dir + " has no checkpoint yet (model.safetensors); train longer or --resume");
            learner.load(run);
        }
        return new Opened(run, kind, env, seed.longValue(), learner);
    }

    /** A fresh learner of {@code kind} for {@code env} with the given hyperparameters. */
    public static Learner learner(String kind, String env, Map<String, Object> config, long seed) {
        int actionSize;
        boolean discrete;
        try (var e = Trainer.makeEnv(env, 1)) {
            actionSize = e.actionSpec().size();
            discrete = Trainer.discrete(e);
        }
        return switch (kind) {
            case "planet" -> new PlanetLearner(PlanetConfig.fromMap(config), actionSize, seed);
            case "dreamer" -> new DreamerLearner(DreamerConfig.fromMap(config), actionSize, discrete, seed);
            default -> throw new IllegalArgumentException("run directory of agent '" + kind + "'; this version loads: "
                    + String.join(", ", KINDS));
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
