package latte.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import latte.core.Rng;
import latte.envs.Envs;
import latte.models.config.ConfigCodec;
import latte.models.family.AgentFamily;
import latte.models.family.Families;
import latte.models.family.TaskSpec;
import latte.models.loop.Learner;
import latte.models.run.RunDir;

/**
 * Builds agents: fresh learners for a new run, and trained agents from run directories.
 * <pre>{@code
 * Agent agent = Agents.load(Path.of("runs/pendulum"));
 * agent.reset();
 * float[] a = agent.act(observation);   // what the environment's reset or step returned
 * }</pre>
 */
public final class Agents {
    private Agents() {}

    /**
     * What a new run is made of.
     *
     * @param agent    the family's name ({@link Families})
     * @param env      the task ({@code latte.envs.Envs})
     * @param preset   the family's preset
     * @param options  family options by name ({@code --objective}, {@code --latent}, ...), applied in order
     * @param settings {@code KEY=VALUE} overrides of the configuration by dotted path, applied last
     */
    public record Spec(String agent, String env, String preset, long seed, Map<String, String> options, List<String> settings) {
        public Spec(String agent, String env, String preset, long seed) {
            this(agent, env, preset, seed, Map.of(), List.of());
        }
    }

    /** A run directory opened for evaluation or resuming: its learner holds the checkpoint. */
    public record Opened(RunDir run, String agent, String env, long seed, Learner learner) {}

    /** A fresh learner for {@code spec}: the preset, the task's defaults, the options, then the settings. */
    public static Learner create(Spec spec) {
        AgentFamily<?> family = Families.get(spec.agent());
        if (!Envs.names().contains(spec.env()))
            throw new IllegalArgumentException("unknown environment '" + spec.env() + "'; valid environments: "
                    + String.join(", ", Envs.names()));
        return create(family, spec, TaskSpec.of(spec.env(), family.observation(spec.env())));
    }

    private static <C extends Record> Learner create(AgentFamily<C> family, Spec spec, TaskSpec task) {
        C c = family.forTask(family.preset(spec.preset()), task);
        for (var o : spec.options().entrySet()) c = family.option(c, o.getKey(), o.getValue());
        c = ConfigCodec.apply(c, spec.settings());
        return family.learner(c, task, spec.seed());
    }

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
        if (!(cfg.get("seed") instanceof Number seed) || !(cfg.get("config") instanceof Map<?, ?> c) || cfg.get("env") == null)
            throw new IllegalArgumentException(run.config() + " is missing 'seed', 'env' or 'config'");
        AgentFamily<?> family;
        try {
            family = Families.get(String.valueOf(cfg.get("agent")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir + " is a run of agent '" + cfg.get("agent") + "'; this version loads: "
                    + String.join(", ", Families.names()), e);
        }
        String env = String.valueOf(cfg.get("env"));
        Learner learner = restore(family, run, castMap(c), String.valueOf(cfg.get("version")), env, seed.longValue());
        if (weights) {
            if (!Files.exists(run.model()))
                throw new IllegalArgumentException(dir + " has no checkpoint yet (model.safetensors); train longer or --resume");
            learner.load(run);
        }
        return new Opened(run, family.name(), env, seed.longValue(), learner);
    }

    private static <C extends Record> Learner restore(AgentFamily<C> family, RunDir run, Map<String, Object> tree, String version,
                                                      String env, long seed) {
        tree = family.migrate(tree, version);                                          // older layouts, settings added since
        C config;
        try {
            config = ConfigCodec.decode(family.configType(), tree);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(run.config() + ": " + e.getMessage(), e);
        }
        return family.learner(config, TaskSpec.of(env, family.observation(env)), seed);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
