package latte.models.loop;

import java.util.Map;
import java.util.function.Function;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.replay.Replay;

/**
 * What a {@link Loop} may do in a run: collect episodes into the replay (and onto disk), take
 * gradient steps, evaluate, checkpoint, and ask whether the budget is spent. Counters and named
 * stage counters survive a checkpoint; every random choice comes from {@link #rng}.
 */
public interface LoopContext {
    /** The run's replay buffer (what {@link #collect} fills). */
    Replay replay();

    /** The run's budget. */
    Trainer.Budget budget();

    int episodes();

    long envSteps();

    long trainSteps();

    /**
     * Whether the budget is spent: the episodes are collected, or the time left would not hold
     * one more unit of work (the time since the previous call) plus the final evaluation. Call it
     * once per unit of work.
     */
    boolean spent();

    /** A generator for one purpose and counter, independent of everything else drawn. */
    Rng rng(int purpose, long counter);

    /**
     * Collects one episode with {@code agent} ({@code null}: uniform random actions from
     * {@code rng}), stores it in the replay and on disk, records it in the metrics; returns its return.
     */
    double collect(Agent agent, Rng rng, String kind);

    /**
     * Records an episode the loop collected itself (e.g. PPO's vectorised rollouts): stores it in
     * the replay and on disk and records it in the metrics, as {@link #collect} does, but leaves
     * the environment steps to {@link #countEnvSteps} (a loop that steps several copies counts
     * steps as it takes them; its episodes end across updates); returns its return.
     */
    double recordEpisode(latte.models.run.EpisodeFile.Episode episode, String kind);

    /**
     * Takes {@code n} gradient steps, the k-th given {@link #rng}(5, its train step); returns the
     * losses averaged over the steps (also written to the metrics with the time per step).
     *
     * @throws Diverged naming the train step and the last good checkpoint
     */
    Map<String, Double> train(int n, Function<Rng, Map<String, Double>> step);

    /**
     * Counts environment steps taken outside {@link #collect} (e.g. an evolution strategy's
     * rollouts in the real task): every interaction with the environment is reported.
     */
    void countEnvSteps(long steps);

    /** One evaluation episode of the learner's noiseless agent, recorded in the metrics. */
    double evaluate();

    /** Writes the learner's checkpoint and the counters. */
    void checkpoint();

    /** A named counter of the loop's own (a stage's epochs, generations); 0 until set. */
    long counter(String name);

    /** Sets a named counter; it is saved by the next {@link #checkpoint()}. */
    void counter(String name, long value);

    /** Reports progress: the phase and the latest figures. */
    void progress(String phase, Map<String, Double> figures);

    /** Appends one record to the run's metrics (a type and figures). */
    void metric(Map<String, Object> record);
}
