package latte.models.loop;

/**
 * A training algorithm written as its paper's algorithm box against a {@link LoopContext}. A loop
 * must be resumable: it decides what to do next only from the context's counters (episodes,
 * train steps, its own named counters) and the learner's state, all of which a checkpoint
 * restores, so a resumed run continues exactly as the uninterrupted one would have.
 */
@FunctionalInterface
public interface Loop {
    void run(LoopContext ctx);

    /** Refuses a budget under which this loop would train nothing (before a run directory is made for it). */
    default void checkBudget(Trainer.Budget budget) {}
}
