package latte.models.train;

import static latte.models.run.RunDir.record;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Frame;
import latte.envs.Space;
import latte.envs.Step;
import latte.models.Agent;
import latte.models.replay.Replay;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;

/**
 * The model-based RL loop of PlaNet (Hafner et al. 2019, algorithm 1), shared with Dreamer:
 * <pre>
 *   collect S seed episodes with random actions
 *   repeat until the budget is spent:
 *     C gradient steps on chunks sampled from the replay buffer
 *     collect one episode with the agent plus exploration noise, add it to the buffer
 *     every N episodes: evaluate without noise
 *     checkpoint (model, optimiser, counters; the episode files are already on disk)
 *   final evaluation on fixed seeds against the random policy on the same seeds
 * </pre>
 * Every random choice is drawn from a generator derived from (seed, purpose, counter), so a
 * resumed run continues exactly as the uninterrupted one would have.
 */
public final class Trainer {
    /** Stop when either limit is reached (0 = no limit on that axis). */
    public record Budget(double minutes, int episodes) {
        public Budget {
            if (minutes < 0 || episodes < 0 || (minutes == 0 && episodes == 0))
                throw new IllegalArgumentException("Budget: give a positive number of minutes or episodes");
        }
    }

    /** A snapshot for progress displays. */
    public record Progress(String phase, int episode, long envSteps, long trainSteps, double elapsedSeconds,
                           double fraction, double lastReturn, double lastEval, Map<String, Double> losses) {}

    /** Receives progress; the cli draws a bar from it. */
    public interface Listener {
        void progress(Progress p);

        default void message(String line) {}
    }

    /** Final figures (also written to summary.json). */
    public record Summary(double evalMean, double evalStd, double randomMean, double randomStd, List<Double> evalReturns,
                          List<Double> randomReturns, long envSteps, int episodes, long trainSteps, double wallSeconds) {}

    /** Seeds of evaluation episodes: fixed for the whole run and shared with the random baseline. */
    static final long EVAL_SEED = 1_000_003L;

    /** Random episodes beyond the seed episodes tried before giving up on cutting one chunk. */
    static final int MAX_EXTRA_SEED_EPISODES = 200;

    private final RunDir run;
    private final Learner learner;
    private final String envName;
    private final long seed;
    private final Learner.Schedule sch;
    private final Env env;
    private final Replay replay;
    private int episodes;
    private long envSteps, trainSteps;
    private double wallBefore;
    private double lastReturn = Double.NaN, lastEval = Double.NaN;
    private double secondsPerDecision = Double.NaN;

    private Trainer(RunDir run, Learner learner, String envName, long seed) {
        this.run = run;
        this.learner = learner;
        this.envName = envName;
        this.seed = seed;
        this.sch = learner.schedule();
        this.env = makeEnv(envName, sch.actionRepeat());
        if (discrete(env) && !learner.discreteActions())
            throw new IllegalArgumentException(envName + " has discrete actions; agent '" + learner.kind()
                    + "' plans over continuous actions (use a task with a box action space, or --agent dreamer)");
        int a = env.actionSpec().size();
        this.replay = new Replay(64, 64, 3, a, sch.replayCapacity());
    }

    /**
     * The environment as the agents see it: 64x64 pixels, action repeat, box actions in
     * [-1, 1]; discrete actions become one-hot vectors ({@link OneHotActions}).
     */
    public static Env makeEnv(String name, int actionRepeat) {
        Env env = Envs.make(name, Envs.Options.defaults().withPixels(true).withRescaleActions(true).withActionRepeat(actionRepeat));
        return env.actionSpec() instanceof Space.Discrete ? new OneHotActions(env) : env;
    }

    /** Whether {@code env} (from {@link #makeEnv}) takes one-hot actions of a discrete task. */
    public static boolean discrete(Env env) {
        return env instanceof OneHotActions;
    }

    /** Starts a fresh run in {@code run} (which must not already hold one). */
    public static Trainer create(RunDir run, Learner learner, String envName, long seed) {
        if (run.exists())
            throw new IllegalArgumentException(run.path() + " already holds a run; use --resume to continue it or choose another --out");
        Trainer t = new Trainer(run, learner, envName, seed);
        Map<String, Object> cfg = record("agent", learner.kind(), "env", envName, "seed", seed, "version", RunDir.VERSION,
                "config", learner.configMap());
        run.writeJson(run.config(), cfg);
        return t;
    }

    /** Reopens a run: model, optimiser, counters and replay buffer from its last checkpoint. */
    public static Trainer resume(RunDir run, Learner learner) {
        Trainer t = reopen(run, learner);
        for (int i = 1; i <= t.episodes; i++) EpisodeFile.read(run.episode(i)).addTo(t.replay);
        run.truncateMetrics(t.trainSteps, t.episodes);
        return t;
    }

    /**
     * Opens a run's last checkpoint for {@link #evaluate}: model and counters only, without the
     * replay buffer, and nothing in the run directory is touched.
     */
    public static Trainer forEvaluation(RunDir run, Learner learner) {
        return reopen(run, learner);
    }

    private static Trainer reopen(RunDir run, Learner learner) {
        Map<String, Object> cfg = RunDir.readJson(run.config());
        Trainer t = new Trainer(run, learner, String.valueOf(cfg.get("env")), ((Number) cfg.get("seed")).longValue());
        if (Files.exists(run.state())) {
            Map<String, Object> st = RunDir.readJson(run.state());
            t.episodes = ((Number) st.get("episodes")).intValue();
            t.envSteps = ((Number) st.get("envSteps")).longValue();
            t.trainSteps = ((Number) st.get("trainSteps")).longValue();
            t.lastCheckpointStep = t.trainSteps;
            t.wallBefore = ((Number) st.get("wallSeconds")).doubleValue();
            t.lastEval = st.get("lastEval") instanceof Number n ? n.doubleValue() : Double.NaN;
            if (t.trainSteps > 0) learner.load(run);
        }
        return t;
    }

    public int episodes() { return episodes; }
    public long envSteps() { return envSteps; }
    public long trainSteps() { return trainSteps; }

    /** A generator for one purpose and counter, independent of everything else drawn. */
    private Rng rng(int purpose, long counter) {
        return new Rng(seed * 0x9E3779B97F4A7C15L + purpose * 0xBF58476D1CE4E5B9L + counter);
    }

    /** Runs until the budget is spent, then evaluates; returns (and writes) the summary. */
    public Summary run(Budget budget, Listener listener) {
        long start = System.nanoTime();
        java.util.function.DoubleSupplier elapsed = () -> wallBefore + (System.nanoTime() - start) / 1e9;
        double limit = budget.minutes() > 0 ? budget.minutes() * 60 : Double.POSITIVE_INFINITY;

        // tasks that terminate (CartPole) may need more random episodes before one is T decisions long
        while (episodes < sch.seedEpisodes() || !replay.canSample(sch.chunk())) {
            if (episodes >= sch.seedEpisodes() + MAX_EXTRA_SEED_EPISODES)
                throw new IllegalArgumentException(envName + ": none of " + episodes + " random episodes lasted " + sch.chunk()
                        + " decisions (the chunk length T); use a smaller --action-repeat or a preset with shorter chunks");
            listener.progress(progress("seed episodes", elapsed.getAsDouble(), limit, budget, Map.of()));
            collect(null, rng(1, episodes + 1), "seed");
            checkpoint(elapsed.getAsDouble());
        }
        Map<String, Double> losses = Map.of();
        while (!spent(budget, elapsed.getAsDouble(), limit)) {
            losses = train(listener, elapsed, limit, budget);
            Rng actRng = rng(2, episodes + 1);
            listener.progress(progress("collecting", elapsed.getAsDouble(), limit, budget, losses));
            collect(learner.agent(sch.explorationNoise(), actRng), actRng, "train");
            if (episodes % sch.evalEvery() == 0) {
                listener.progress(progress("evaluating", elapsed.getAsDouble(), limit, budget, losses));
                List<Double> r = evaluate(learner.agent(0f, rng(3, episodes)), 1);
                lastEval = r.getFirst();
                run.appendMetric(record("type", "eval", "episode", episodes, "envSteps", envSteps, "trainStep", trainSteps,
                        "returnMean", lastEval, "returns", r));
            }
            checkpoint(elapsed.getAsDouble());
            listener.progress(progress("training", elapsed.getAsDouble(), limit, budget, losses));
        }
        listener.progress(progress("final evaluation", elapsed.getAsDouble(), limit, budget, losses));
        List<Double> evalReturns = evaluate(learner.agent(0f, rng(4, 0)), sch.evalEpisodes());
        List<Double> randomReturns = evaluate(null, sch.evalEpisodes());
        double wall = elapsed.getAsDouble();
        Summary s = new Summary(mean(evalReturns), std(evalReturns), mean(randomReturns), std(randomReturns),
                evalReturns, randomReturns, envSteps, episodes, trainSteps, wall);
        run.writeJson(run.summary(), record("agent", learner.kind(), "env", envName, "seed", seed,
                "evalReturnMean", s.evalMean(), "evalReturnStd", s.evalStd(), "evalReturns", evalReturns,
                "randomReturnMean", s.randomMean(), "randomReturnStd", s.randomStd(), "randomReturns", randomReturns,
                "evalEpisodes", sch.evalEpisodes(), "envSteps", envSteps, "episodes", episodes, "trainSteps", trainSteps,
                "wallSeconds", wall));
        listener.progress(progress("done", wall, limit, budget, losses));
        return s;
    }

    private boolean spent(Budget b, double elapsed, double limit) {
        if (b.episodes() > 0 && episodes >= b.episodes()) return true;
        if (Double.isInfinite(limit)) return false;
        // keep time for the final evaluation plus the dream episode (the random baseline is nearly
        // free), with a 10% margin: the budget covers the whole run
        double evalCost = Double.isNaN(secondsPerDecision) ? 0
                : 1.1 * secondsPerDecision * decisionsPerEpisode() * (sch.evalEpisodes() + 1);
        return elapsed + evalCost >= limit;
    }

    private int decisionsPerEpisode() {
        return Math.max(1, (int) Math.ceil((double) env.unwrapped().defaultEpisodeSteps() / sch.actionRepeat()));
    }

    private Map<String, Double> train(Listener listener, java.util.function.DoubleSupplier elapsed, double limit, Budget budget) {
        Map<String, Double> sum = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < sch.trainSteps(); i++) {
            trainSteps++;
            Rng r = rng(5, trainSteps);
            Map<String, Double> l;
            try {
                l = learner.trainStep(replay.sample(sch.batch(), sch.chunk(), r), r);
            } catch (Learner.Diverged d) {
                throw new Learner.Diverged("training step " + trainSteps + ": " + d.getMessage()
                        + "; the last good checkpoint (train step " + lastCheckpointStep + ") is kept in " + run.path());
            }
            l.forEach((k, v) -> sum.merge(k, v, Double::sum));
            if (i % 5 == 4) listener.progress(progress("training", elapsed.getAsDouble(), limit, budget, average(sum, i + 1)));
        }
        Map<String, Double> avg = average(sum, Math.max(1, sch.trainSteps()));
        double ms = (System.nanoTime() - t0) / 1e6 / Math.max(1, sch.trainSteps());
        Map<String, Object> rec = record("type", "train", "episode", episodes, "envSteps", envSteps, "trainStep", trainSteps,
                "trainStepMs", ms);
        rec.putAll(avg);
        run.appendMetric(rec);
        return avg;
    }

    private static Map<String, Double> average(Map<String, Double> sum, int n) {
        Map<String, Double> m = new LinkedHashMap<>();
        sum.forEach((k, v) -> m.put(k, v / n));
        return m;
    }

    private long lastCheckpointStep;

    private void checkpoint(double elapsed) {
        if (trainSteps > 0 && trainSteps != lastCheckpointStep)
            learner.save(run, Map.of("trainSteps", Long.toString(trainSteps), "seed", Long.toString(seed),
                    "env", envName, "agent", learner.kind(), "version", RunDir.VERSION));
        lastCheckpointStep = trainSteps;
        run.writeJson(run.state(), record("episodes", episodes, "envSteps", envSteps, "trainSteps", trainSteps,
                "wallSeconds", elapsed, "lastEval", Double.isNaN(lastEval) ? null : lastEval));
    }

    /** One episode with {@code agent} (null: uniform random actions), stored in the replay and on disk. */
    private void collect(Agent agent, Rng rng, String kind) {
        int a = env.actionSpec().size();
        Frame frame = (Frame) env.reset(seed * 1_000_033L + episodes + 1).observation();
        if (agent != null) agent.reset();
        List<byte[]> frames = new ArrayList<>();
        List<float[]> actions = new ArrayList<>();
        List<Float> rewards = new ArrayList<>();
        frames.add(frame.data());
        double ret = 0;
        boolean terminal = false;
        long t0 = System.nanoTime();
        while (true) {
            float[] act = agent == null ? randomAction(env, rng) : agent.act(frame);
            Step s = env.step(act);
            frame = (Frame) s.observation();
            frames.add(frame.data());
            actions.add(act);
            rewards.add((float) s.reward());
            ret += s.reward();
            if (s.done()) {
                terminal = s.terminated();
                break;
            }
        }
        double perDecision = (System.nanoTime() - t0) / 1e9 / actions.size();
        if (agent != null) secondsPerDecision = perDecision;
        float[] rw = new float[rewards.size()];
        for (int i = 0; i < rw.length; i++) rw[i] = rewards.get(i);
        EpisodeFile.Episode ep = new EpisodeFile.Episode(64, 64, 3, a, frames.toArray(byte[][]::new),
                actions.toArray(float[][]::new), rw, terminal);
        episodes++;
        envSteps += (long) actions.size() * sch.actionRepeat();
        EpisodeFile.write(run.episode(episodes), ep);
        ep.addTo(replay);
        lastReturn = ret;
        run.appendMetric(record("type", "episode", "kind", kind, "episode", episodes, "envSteps", envSteps,
                "trainStep", trainSteps, "return", ret, "decisionMs", perDecision * 1e3));
    }

    /** Uniform over the box [-1, 1]^A, or over the choices of a discrete task (one-hot). */
    private static float[] randomAction(Env env, Rng rng) {
        int a = env.actionSpec().size();
        if (env instanceof OneHotActions) return OneHotActions.oneHot(rng.integers(a), a);
        float[] x = new float[a];
        for (int d = 0; d < a; d++) x[d] = rng.uniform(-1f, 1f);
        return x;
    }

    /** Returns of {@code n} episodes on the fixed evaluation seeds; {@code agent == null} acts at random. */
    public List<Double> evaluate(Agent agent, int n) {
        List<Double> out = new ArrayList<>();
        Rng random = rng(6, 0);
        for (int i = 0; i < n; i++) {
            Frame frame = (Frame) env.reset(EVAL_SEED + i).observation();
            if (agent != null) agent.reset();
            double ret = 0;
            while (true) {
                Step s = env.step(agent == null ? randomAction(env, random) : agent.act(frame));
                frame = (Frame) s.observation();
                ret += s.reward();
                if (s.done()) break;
            }
            out.add(ret);
        }
        return out;
    }

    private Progress progress(String phase, double elapsed, double limit, Budget b, Map<String, Double> losses) {
        double f = 0;
        if (!Double.isInfinite(limit)) f = elapsed / limit;
        if (b.episodes() > 0) f = Math.max(f, (double) episodes / b.episodes());
        return new Progress(phase, episodes, envSteps, trainSteps, elapsed, Math.min(1, f), lastReturn, lastEval, losses);
    }

    static double mean(List<Double> x) {
        return x.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double std(List<Double> x) {
        double m = mean(x);
        return Math.sqrt(x.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / Math.max(1, x.size()));
    }
}
