package latte.models.evolve;

import java.util.function.Consumer;
import latte.core.Parallel;
import latte.core.Rng;

/**
 * Runs {@link CmaEs} generation by generation on a fitness to minimise, evaluating the candidates
 * of a generation in parallel on the worker pool ({@link Parallel}).
 *
 * <p>As World Models trains its controller (Ha and Schmidhuber 2018, section 3.3 and appendix):
 * each candidate's fitness is the mean over {@code rollouts} evaluations (the paper: population
 * 64, 16 rollouts), plus an optional weight-decay penalty {@code weightDecay * mean(x²)} (the
 * paper: 0.01; a reward is maximised there, so pass fitness = −reward). Each rollout gets its own
 * generator derived from (seed, generation, candidate, rollout) and writes to its candidate's slot,
 * so a seed gives the same run on any number of threads. A NaN in any rollout makes that
 * candidate NaN: ranked worst and counted, never averaged into the mean.
 */
public final class Evolution {
    /** One evaluation (e.g. one episode) of a candidate; lower is better. Must be safe to call from several threads. */
    @FunctionalInterface
    public interface Fitness {
        double evaluate(double[] x, Rng rng);
    }

    /**
     * Evaluations of many (candidate, rollout) pairs at once, e.g. episodes stepped in lockstep so
     * that a model runs them as one batch. Slot {@code i} is candidate {@code i / rollouts},
     * rollout {@code i % rollouts}; its generator is {@code rngs[i]}. The result of a slot must
     * depend on its candidate and generator only, never on which other slots share the call.
     */
    @FunctionalInterface
    public interface BatchFitness {
        double[] evaluate(double[][] candidates, int rollouts, Rng[] rngs);
    }

    /**
     * How a run goes.
     *
     * @param rollouts        evaluations averaged per candidate (>= 1)
     * @param weightDecay     penalty weight on mean(x²) (>= 0)
     * @param threads         candidates evaluated at once (>= 1; capped by the pool)
     * @param maxGenerations  stop after this many generations in all (including a resumed run's earlier ones)
     * @param maxEvaluations  stop once this many candidates have been evaluated
     * @param target          stop once the best fitness so far is at or below this
     */
    public record Options(int rollouts, double weightDecay, int threads, long maxGenerations, long maxEvaluations, double target) {
        public Options {
            if (rollouts < 1 || !(weightDecay >= 0) || threads < 1 || maxGenerations < 0 || maxEvaluations < 0 || Double.isNaN(target))
                throw new IllegalArgumentException("Evolution.Options: rollouts " + rollouts + " (>= 1), weightDecay " + weightDecay
                        + " (>= 0), threads " + threads + " (>= 1), maxGenerations " + maxGenerations + " and maxEvaluations "
                        + maxEvaluations + " (>= 0), target " + target + " (not NaN)");
        }

        /** One rollout, no penalty, every thread of the pool, until {@code target} or {@code maxEvaluations}. */
        public static Options until(double target, long maxEvaluations) {
            return new Options(1, 0, Parallel.threads(), Long.MAX_VALUE, maxEvaluations, target);
        }

        /** The World Models controller search: 16 rollouts, decay 0.01, all threads, for {@code generations}. */
        public static Options worldModels(long generations) {
            return new Options(16, 0.01, Parallel.threads(), generations, Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        }

        public Options withThreads(int t) {
            return new Options(rollouts, weightDecay, t, maxGenerations, maxEvaluations, target);
        }

        public Options withRollouts(int r) {
            return new Options(r, weightDecay, threads, maxGenerations, maxEvaluations, target);
        }

        public Options withWeightDecay(double wd) {
            return new Options(rollouts, wd, threads, maxGenerations, maxEvaluations, target);
        }
    }

    /** What one generation did (for logs and the caller's own periodic evaluation of the mean). */
    public record Generation(long generation, long evaluations, double best, double median, double bestSoFar,
                             double sigma, int nans) {}

    /** The outcome: the best candidate seen, its fitness, the counters, and the optimiser to checkpoint or continue. */
    public record Result(double[] best, double bestFitness, long generations, long evaluations, long nanCount,
                         boolean reachedTarget, CmaEs optimizer) {}

    private Evolution() {}

    /** A fresh search from {@code x0} with step size {@code sigma0} and population {@code lambda} (0: default). */
    public static Result minimize(Fitness f, double[] x0, double sigma0, int lambda, long seed, Options o) {
        return minimize(f, new CmaEs(x0, sigma0, lambda, seed), o, g -> { });
    }

    /**
     * Evaluates a generation's candidates (the fitness of each, as {@link #evaluate} defines it):
     * here on this machine's threads, or spread over machines by the cluster module.
     */
    @FunctionalInterface
    public interface Evaluator {
        double[] evaluate(double[][] xs, long seed, long generation);
    }

    /** Runs {@code es} (fresh or {@link CmaEs#restore restored}) until a stop in {@code o}; {@code onGeneration} sees each generation. */
    public static Result minimize(Fitness f, CmaEs es, Options o, Consumer<Generation> onGeneration) {
        return minimize((xs, seed, generation) -> evaluate(f, xs, seed, generation, o), es, o, onGeneration);
    }

    /** {@link #minimize(Fitness, CmaEs, Options, Consumer)} with the generations evaluated by {@code evaluator}. */
    public static Result minimize(Evaluator evaluator, CmaEs es, Options o, Consumer<Generation> onGeneration) {
        boolean reached = es.bestFitness() <= o.target();
        while (!reached && es.generation() < o.maxGenerations() && es.evaluations() < o.maxEvaluations()) {
            double[][] xs = es.ask();
            double[] fit = evaluator.evaluate(xs, es.seed(), es.generation());
            es.tell(fit);
            int nans = 0;
            for (double v : fit) if (Double.isNaN(v)) nans++;
            double[] sorted = fit.clone();
            java.util.Arrays.sort(sorted);                            // NaN sorts last
            onGeneration.accept(new Generation(es.generation(), es.evaluations(), sorted[0], sorted[sorted.length / 2],
                    es.bestFitness(), es.sigma(), nans));
            reached = es.bestFitness() <= o.target();
        }
        return new Result(es.best(), es.bestFitness(), es.generation(), es.evaluations(), es.nanCount(), reached, es);
    }

    /**
     * The fitness of each candidate of generation {@code generation}: the mean of {@code o.rollouts()}
     * evaluations, each with generator (seed, generation, candidate, rollout), plus the penalty.
     * Candidates run in parallel, each into its own slot.
     */
    public static double[] evaluate(Fitness f, double[][] xs, long seed, long generation, Options o) {
        return evaluate(f, xs, seed, generation, o, false);
    }

    /**
     * {@link #evaluate(Fitness, double[][], long, long, Options)}; with {@code sharedStarts} rollout r
     * of every candidate gets the same generator (seed, generation, r): common random numbers, so
     * the candidates of a generation meet the same episodes and their ranking measures them, not
     * the luck of the draw.
     */
    public static double[] evaluate(Fitness f, double[][] xs, long seed, long generation, Options o, boolean sharedStarts) {
        return evaluate((cs, rollouts, rngs) -> {
            double[] v = new double[rngs.length];
            Parallel.forRange(rngs.length, o.threads(), (lo, hi) -> {
                for (int i = lo; i < hi; i++) v[i] = f.evaluate(cs[i / rollouts].clone(), rngs[i]);
            });
            return v;
        }, xs, seed, generation, o, sharedStarts);
    }

    /** {@link #evaluate(Fitness, double[][], long, long, Options, boolean)} for a fitness that takes every evaluation at once. */
    public static double[] evaluate(BatchFitness f, double[][] xs, long seed, long generation, Options o, boolean sharedStarts) {
        int r = o.rollouts();
        Rng[] rngs = new Rng[xs.length * r];
        for (int k = 0; k < xs.length; k++)
            for (int j = 0; j < r; j++) rngs[k * r + j] = rolloutRng(seed, generation, k, j, sharedStarts);
        double[] v = f.evaluate(xs, r, rngs), out = new double[xs.length];
        for (int k = 0; k < xs.length; k++) out[k] = fitness(java.util.Arrays.copyOfRange(v, k * r, (k + 1) * r), xs[k], o);
        return out;
    }

    /**
     * The generator of rollout {@code r} of candidate {@code k} in generation {@code generation}:
     * derived from (seed, generation, k, r), or from (seed, generation, r) with shared starts. An
     * evaluator that spreads the rollouts over machines draws them here too, so it gives the same
     * numbers as {@link #evaluate}.
     */
    public static Rng rolloutRng(long seed, long generation, int k, int r, boolean sharedStarts) {
        return new Rng(CmaEs.derive(seed, 1, generation, sharedStarts ? -1 : k, r));
    }

    /**
     * A candidate's fitness from its rollouts' values (in rollout order): their mean plus the
     * penalty {@code weightDecay * mean(x²)}. The one place the sum is formed, so a distributed
     * evaluator that gathers the same values gets the same bits.
     */
    public static double fitness(double[] rollouts, double[] x, Options o) {
        double sum = 0;
        for (double v : rollouts) sum += v;
        double sq = 0;
        for (double v : x) sq += v * v;
        return sum / rollouts.length + o.weightDecay() * sq / x.length;
    }
}
