package latte.models.family;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.loop.Learner;
import latte.models.replay.ObsSpec;
import latte.models.run.EpisodeFile;
import latte.models.world.WorldModel;

/**
 * An agent family (PlaNet, Dreamer, ...) as the rest of Latte sees it: a name, named presets of
 * a configuration record, the learner that trains it, and its pictures. The command line,
 * {@link latte.models.Agents} and the run directory know families only through this interface
 * and {@link Families}: adding one is its package plus one line there.
 *
 * @param <C> the configuration: a tree of records, written to config.json by
 *            {@link latte.models.config.ConfigCodec}
 */
public interface AgentFamily<C extends Record> {
    /** The registry name ({@code --agent NAME}, "agent" in config.json). */
    String name();

    /** One line for {@code --help}. */
    String summary();

    Class<C> configType();

    /** The preset names, the default first. */
    default List<String> presets() {
        return List.of("cpu", "paper", "debug");
    }

    /** A preset by name; unknown names are an error listing the valid ones. */
    C preset(String name);

    /** The observations the agent reads. */
    ObsSpec.Kind observation();

    /** The observations the agent reads on task {@code env} (a family reading state vectors may read a task's grid instead). */
    default ObsSpec.Kind observation(String env) {
        return observation();
    }

    /** Task-specific defaults applied to a preset before the user's settings (e.g. PlaNet's action repeat per task). */
    default C forTask(C config, TaskSpec task) {
        return config;
    }

    /**
     * A family option given on the command line ({@code --objective}, {@code --latent}, ...)
     * applied to {@code config}; options the family does not have are an error saying whose they are.
     */
    default C option(C config, String option, String value) {
        throw new IllegalArgumentException(option + " is not an option of agent '" + name() + "'");
    }

    /** A fresh learner; a task the family cannot train on (e.g. discrete actions for a planner) is an error. */
    Learner learner(C config, TaskSpec task, long seed);

    /**
     * The frames of dream.gif for an episode recorded with the trained agent (e.g. real | model's
     * reconstruction | model's imagination); an empty list when the family has no model to picture.
     */
    List<Frame> dream(Learner learner, EpisodeFile.Episode episode, Rng rng);

    /**
     * The learner's latent world model behind the {@link WorldModel} interface, for what reads any
     * such model (per-step surprise on the dashboard, open-loop prediction error); empty for a
     * family whose model is not one (World Models' V and M).
     */
    default Optional<WorldModel> worldModel(Learner learner) {
        return Optional.empty();
    }

    /**
     * The learner's ensemble of one-step heads (Dreamer with {@code exploration.members >= 2}),
     * for the novelty score on their disagreement; empty when it has none.
     */
    default Optional<latte.models.uncertainty.Ensemble> ensemble(Learner learner) {
        return Optional.empty();
    }

    /**
     * A config.json tree in today's layout; {@code version} is the file's "version". A tree of
     * today's version is returned as it is unless the family fills settings added since.
     */
    default Map<String, Object> migrate(Map<String, Object> tree, String version) {
        if (latte.models.run.RunDir.VERSION.equals(version)) return tree;
        throw new IllegalArgumentException("config.json of version " + version + " is not readable by agent '" + name() + "'");
    }
}
