package latte.models.train;

import java.util.Map;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.replay.Batch;
import latte.models.run.RunDir;

/**
 * What {@link Trainer}'s loop needs from an agent family (PlaNet, Dreamer): a gradient step on
 * a replay batch, an acting policy, and checkpoints.
 */
public interface Learner {
    /** Loop sizes shared by the model-based agents. */
    record Schedule(int batch, int chunk, int seedEpisodes, int trainSteps, float explorationNoise,
                    int actionRepeat, int evalEvery, int evalEpisodes, long replayCapacity) {}

    /** "planet" or "dreamer": recorded in config.json so {@code Agents.load} builds the right agent. */
    String kind();

    Schedule schedule();

    /** Whether the agent acts on discrete tasks (one-hot actions, see {@link OneHotActions}). */
    default boolean discreteActions() {
        return false;
    }

    /** The hyperparameters as a JSON-ready map (for config.json). */
    Map<String, Object> configMap();

    /**
     * One gradient step on {@code batch}; returns the named scalar losses and "gradNorm".
     *
     * @throws Diverged if a loss term or the gradient is NaN or infinite; no update is applied
     */
    Map<String, Double> trainStep(Batch batch, Rng rng);

    /** The acting policy with exploration noise of std {@code noise} (0 for evaluation). */
    Agent agent(float noise, Rng rng);

    /** Writes the model and optimiser state (atomically, model last). */
    void save(RunDir run, Map<String, String> metadata);

    /** Restores the model (and, if present and consistent, the optimiser). */
    void load(RunDir run);

    /** A NaN or infinite loss: the message names the step and the loss term. */
    final class Diverged extends RuntimeException {
        public Diverged(String message) {
            super(message);
        }
    }
}
