package latte.models.loop;

import java.util.Map;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.config.LoopConfig;
import latte.models.replay.Batch;

/**
 * The model-based RL loop of PlaNet (Hafner et al. 2019, algorithm 1), which Dreamer shares
 * (Hafner et al. 2020, algorithm 1):
 * <pre>
 *   collect S seed episodes with random actions
 *   repeat until the budget is spent:
 *     C gradient steps on B chunks of T steps sampled from the replay buffer
 *     collect one episode with the agent plus exploration noise, add it to the buffer
 *     every N episodes: evaluate without noise
 *     checkpoint (model, optimiser, counters; the episode files are already on disk)
 * </pre>
 */
public final class InterleavedLoop implements Loop {
    /** What the loop needs of the learner: a gradient step on a batch, and a policy. */
    public interface Steps {
        /** One gradient step; returns the named scalar losses. @throws Diverged if a term is not finite */
        Map<String, Double> trainStep(Batch batch, Rng rng);

        /** The acting policy with exploration noise of std {@code noise}. */
        Agent agent(float noise, Rng rng);
    }

    /** Random episodes beyond the seed episodes tried before giving up on cutting one chunk. */
    static final int MAX_EXTRA_SEED_EPISODES = 200;

    private final LoopConfig c;
    private final Steps learner;

    public InterleavedLoop(LoopConfig config, Steps learner) {
        this.c = config;
        this.learner = learner;
    }

    @Override
    public void checkBudget(Trainer.Budget budget) {
        if (budget.episodes() > 0 && budget.episodes() <= c.seedEpisodes())
            throw new IllegalArgumentException("--episodes " + budget.episodes() + " is not more than the " + c.seedEpisodes()
                    + " seed episodes of random actions: nothing would be trained; give at least " + (c.seedEpisodes() + 1)
                    + " episodes (or fewer seed episodes: --set loop.seedEpisodes=N)");
    }

    @Override
    public void run(LoopContext ctx) {
        checkBudget(ctx.budget());
        // tasks that terminate (CartPole) may need more random episodes before one is T decisions long
        while (ctx.episodes() < c.seedEpisodes() || !ctx.replay().canSample(c.chunk())) {
            if (ctx.episodes() >= c.seedEpisodes() + MAX_EXTRA_SEED_EPISODES)
                throw new IllegalArgumentException("none of " + ctx.episodes() + " random episodes lasted " + c.chunk()
                        + " decisions (the chunk length T); use shorter chunks (--set loop.chunk=N) or a smaller --action-repeat");
            ctx.collect(null, ctx.rng(1, ctx.episodes() + 1), "seed");
            ctx.checkpoint();
        }
        while (!ctx.spent()) {
            ctx.train(c.trainSteps(), r -> learner.trainStep(ctx.replay().sample(c.batch(), c.chunk(), r), r));
            Rng actRng = ctx.rng(2, ctx.episodes() + 1);
            ctx.collect(learner.agent(c.explorationNoise(), actRng), actRng, "train");
            if (ctx.episodes() % c.evalEvery() == 0) ctx.evaluate();
            ctx.checkpoint();
        }
    }
}
