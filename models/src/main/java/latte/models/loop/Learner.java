package latte.models.loop;

import java.util.Map;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.replay.ObsSpec;
import latte.models.run.RunDir;

/**
 * An agent family's trainable state in a run: its configuration, the algorithm that trains it
 * ({@link #loop()}), the policy it acts with, and its checkpoints. {@link Trainer} owns
 * everything else of a run (environment, replay, budget, progress, evaluation, summary).
 */
public interface Learner {
    /**
     * What every loop shares, whatever the family.
     *
     * @param observation    the observation kind the agent reads (frames are rendered 64x64)
     * @param actionRepeat   environment steps per decision
     * @param evalEpisodes   episodes of the final evaluation
     * @param replayCapacity replay bound in decisions; older episodes leave memory and disk
     */
    record Settings(ObsSpec.Kind observation, int actionRepeat, int evalEpisodes, long replayCapacity) {}

    /** The family's registry name, recorded in config.json. */
    String family();

    /** The hyperparameters (a record tree, written to config.json by {@link latte.models.config.ConfigCodec}). */
    Record config();

    Settings settings();

    /** The training algorithm, as the paper's algorithm box. */
    Loop loop();

    /** The acting policy with exploration noise of std {@code noise} (0 for evaluation). */
    latte.models.Agent agent(float noise, Rng rng);

    /** Writes the parameters and optimiser state (atomically, the model file last). */
    void save(RunDir run, Map<String, String> metadata);

    /** Restores what {@link #save} wrote, refusing files of another configuration or holding NaN. */
    void load(RunDir run);
}
