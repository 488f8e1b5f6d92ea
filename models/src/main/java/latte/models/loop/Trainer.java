package latte.models.loop;

import static latte.models.run.RunDir.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Observation;
import latte.envs.Space;
import latte.envs.Step;
import latte.models.Agent;
import latte.models.config.ConfigCodec;
import latte.models.family.AgentFamily;
import latte.models.family.Families;
import latte.models.novelty.Calibration;
import latte.models.novelty.Novelty;
import latte.models.replay.ObsSpec;
import latte.models.replay.Replay;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;
import latte.models.world.RssmWorldModel;
import latte.models.world.WorldModel;

/**
 * A run: the environment, the replay buffer (in memory and as episode files), the budget, the
 * counters, progress, periodic and final evaluation and the summary, around a learner's
 * {@link Loop}. The loop says what to do (the algorithm box); this class does it, the same way
 * for every agent family:
 * <pre>
 *   create or resume the run directory
 *   learner.loop().run(this)          collect, train, evaluate, checkpoint until spent()
 *   final evaluation on fixed seeds against the random policy on the same seeds
 *   novelty thresholds on the replay's last episodes (world-model families) -> calibration.json
 *   -> summary.json
 * </pre>
 * Every random choice is drawn from a generator derived from (seed, purpose, counter), so a
 * resumed run continues exactly as the uninterrupted one would have.
 */
public final class Trainer implements LoopContext {
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

        /**
         * Seconds of the caller's own work outside this trainer's clock that the wall-clock budget
         * also covers: its set-up before {@link Trainer#run} and what it does after the run (the cli's
         * curve.png and dream.gif, beyond the dream's episode, which the trainer reserves itself).
         * {@link Trainer#spent()} keeps them free, so a command ends within its {@code --minutes}.
         */
        default double outsideSeconds() {
            return 0;
        }

        /**
         * Called on the training thread when a checkpoint is complete on disk (state.json is written
         * last): {@code run} then holds what {@link Trainer#resume} continues from, so a caller may
         * copy it elsewhere (the cluster module ships it to the other machines of a sweep). The time
         * it takes is training time.
         */
        default void checkpointed(RunDir run) {}
    }

    /** Final figures (also written to summary.json). */
    public record Summary(double evalMean, double evalStd, double randomMean, double randomStd, List<Double> evalReturns,
                          List<Double> randomReturns, long envSteps, int episodes, long trainSteps, double wallSeconds) {}

    /** Seeds of evaluation episodes: fixed for the whole run and shared with the random baseline. */
    static final long EVAL_SEED = 1_000_003L;

    private final RunDir run;
    private final Learner learner;
    private final String envName;
    private final long seed;
    private final Learner.Settings settings;
    private final Env env;
    private final Replay replay;
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private int episodes, firstEpisode = 1;
    /** Records in metrics.jsonl; what the last checkpoint saw is what a resume keeps (-1: unknown, a run before the count). */
    private long metricLines;
    private long envSteps, trainSteps, lastCheckpointStep;
    private double wallBefore;
    private double lastReturn = Double.NaN, lastEval = Double.NaN;
    /** Wall seconds of an episode of the learner's agent (a running mean): what the final evaluation will cost. */
    private double secondsPerEpisode = Double.NaN;
    // set by run(): the budget and the clock
    private Budget budget;
    private Listener listener = p -> {};
    private long startNanos;
    private double lastSpentCheck = Double.NaN;

    private Trainer(RunDir run, Learner learner, String envName, long seed) {
        this.run = run;
        this.learner = learner;
        this.envName = envName;
        this.seed = seed;
        this.settings = learner.settings();
        this.env = makeEnv(envName, settings.observation(), settings.actionRepeat());
        Observation first = env.reset(0).observation();
        this.replay = new Replay(ObsSpec.of(first), env.actionSpec().size(), settings.replayCapacity());
    }

    /**
     * The environment as the agents see it: box actions in [-1, 1], discrete actions as one-hot
     * vectors ({@link OneHotActions}), and observations of the kind asked for: 64x64 rendered
     * frames, the task's own grid, or its state vector.
     */
    public static Env makeEnv(String name, ObsSpec.Kind kind, int actionRepeat) {
        Env env = Envs.make(name, Envs.Options.defaults().withPixels(kind == ObsSpec.Kind.FRAME).withRescaleActions(true)
                .withActionRepeat(actionRepeat));
        Observation o = env.reset(0).observation();
        if (ObsSpec.of(o).kind() != kind) {
            env.close();
            throw new IllegalArgumentException(name + " observes " + ObsSpec.of(o) + "; this agent reads "
                    + kind.name().toLowerCase(java.util.Locale.ROOT) + " observations");
        }
        return env.actionSpec() instanceof Space.Discrete ? new OneHotActions(env) : env;
    }

    /** Starts a fresh run in {@code run} (which must not already hold one). */
    public static Trainer create(RunDir run, Learner learner, String envName, long seed) {
        if (run.exists())
            throw new IllegalArgumentException(run.path() + " already holds a run; use --resume to continue it or choose another --out");
        Trainer t = new Trainer(run, learner, envName, seed);
        run.writeJson(run.config(), record("agent", learner.family(), "env", envName, "seed", seed, "version", RunDir.VERSION,
                "config", ConfigCodec.encode(learner.config())));
        return t;
    }

    /** Reopens a run: model, optimiser, counters and replay buffer from its last checkpoint. */
    public static Trainer resume(RunDir run, Learner learner) {
        Trainer t = reopen(run, learner);
        for (int i = t.firstEpisode; i <= t.episodes; i++) EpisodeFile.read(run.episode(i)).addTo(t.replay);
        if (t.metricLines >= 0) run.truncateMetrics(t.metricLines);
        else run.truncateMetrics(t.trainSteps, t.episodes);                                // runs before metricLines
        t.metricLines = run.readMetrics().size();
        return t;
    }

    /**
     * Opens a run's last checkpoint for {@link #evaluate(Agent, int)}: model and counters only,
     * without the replay buffer, and nothing in the run directory is touched.
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
            t.firstEpisode = st.get("firstEpisode") instanceof Number n ? n.intValue() : 1;   // runs before pruning kept all
            t.metricLines = st.get("metricLines") instanceof Number n ? n.longValue() : -1;
            if (st.get("counters") instanceof Map<?, ?> c)
                c.forEach((k, v) -> t.counters.put(String.valueOf(k), ((Number) v).longValue()));
            if (Files.exists(run.model())) learner.load(run);
            t.savedLearnerState = t.trainSteps + " " + t.counters;
        }
        return t;
    }

    @Override public int episodes() { return episodes; }
    @Override public long envSteps() { return envSteps; }
    @Override public long trainSteps() { return trainSteps; }
    @Override public Replay replay() { return replay; }
    @Override public Budget budget() { return budget; }

    /** The seconds this run has trained so far (across resumes). */
    public double wallSeconds() {
        return wallBefore;
    }

    @Override
    public Rng rng(int purpose, long counter) {
        return new Rng(seed * 0x9E3779B97F4A7C15L + purpose * 0xBF58476D1CE4E5B9L + counter);
    }

    /** Runs the learner's loop until the budget is spent, then evaluates; returns (and writes) the summary. */
    public Summary run(Budget budget, Listener listener) {
        this.budget = budget;
        this.listener = listener;
        this.startNanos = System.nanoTime();
        // A run stopped after its last checkpoint but before summary.json (a crash or a lost machine
        // during the final evaluation) has spent its budget and still owes its summary: it is finished
        // below. Only a run with a summary has nothing left to do under the same budget.
        boolean finished = Files.exists(run.summary());
        if (finished && budget.episodes() > 0 && episodes >= budget.episodes())
            throw new IllegalArgumentException(run.path() + " has already collected " + episodes + " episodes, the budget of --episodes "
                    + budget.episodes() + "; give a larger budget to train on");
        if (finished && budget.minutes() > 0 && wallBefore >= limit())
            throw new IllegalArgumentException(run.path() + " has already trained for " + Math.round(wallBefore / 60 * 10) / 10.0
                    + " minutes, the budget of --minutes " + budget.minutes() + "; give a larger budget to train on");
        learner.loop().run(this);
        if (trainSteps == 0)
            listener.message("warning: the budget ended before the first training step; the evaluation below is of an untrained agent");
        progress("final evaluation", Map.of());
        List<Double> evalReturns = evaluate(learner.agent(0f, rng(4, 0)), settings.evalEpisodes());
        List<Double> randomReturns = evaluate(null, settings.evalEpisodes());
        calibrate();
        double wall = elapsed();
        Summary s = new Summary(mean(evalReturns), std(evalReturns), mean(randomReturns), std(randomReturns),
                evalReturns, randomReturns, envSteps, episodes, trainSteps, wall);
        run.writeJson(run.summary(), record("agent", learner.family(), "env", envName, "seed", seed,
                "evalReturnMean", s.evalMean(), "evalReturnStd", s.evalStd(), "evalReturns", evalReturns,
                "randomReturnMean", s.randomMean(), "randomReturnStd", s.randomStd(), "randomReturns", randomReturns,
                "evalEpisodes", settings.evalEpisodes(), "envSteps", envSteps, "episodes", episodes, "trainSteps", trainSteps,
                "wallSeconds", wall));
        progress("done", Map.of());
        return s;
    }

    /**
     * Writes calibration.json, the thresholds of novelty detection ({@link Calibration}: quantiles
     * of the per-step surprise on the replay's last episodes), for a family whose model is a
     * latent world model; other families get none. Before summary.json, so a finished run has both.
     */
    private void calibrate() {
        if (episodes == 0 || !Families.names().contains(learner.family())) return;
        AgentFamily<?> family = Families.get(learner.family());
        Optional<WorldModel> model = family.worldModel(learner);
        if (model.isEmpty() || !(model.get() instanceof RssmWorldModel)) return;
        progress("calibrating novelty scores", Map.of());
        Novelty novelty = new Novelty(model.get(), family.ensemble(learner).orElse(null));
        Calibration.ofRun(run, episodes, novelty, rng(7, 0)).write(run);
    }

    private double elapsed() {
        return wallBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    private double limit() {
        return budget.minutes() > 0 ? budget.minutes() * 60 : Double.POSITIVE_INFINITY;
    }

    @Override
    public boolean spent() {
        double now = elapsed(), unit = Double.isNaN(lastSpentCheck) ? 0 : now - lastSpentCheck;
        lastSpentCheck = now;
        if (budget.episodes() > 0 && episodes >= budget.episodes()) return true;
        if (Double.isInfinite(limit())) return false;
        // keep time for one more unit of work and the final evaluation plus the dream episode
        // (the random baseline is nearly free), with a 10% margin, and for the caller's own work:
        // the budget covers the whole command
        double evalCost = Double.isNaN(secondsPerEpisode) ? 0 : 1.1 * secondsPerEpisode * (settings.evalEpisodes() + 1);
        return now + unit + evalCost + listener.outsideSeconds() >= limit();
    }

    @Override
    public Map<String, Double> train(int n, Function<Rng, Map<String, Double>> step) {
        Map<String, Double> sum = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            trainSteps++;
            Map<String, Double> l;
            try {
                l = step.apply(rng(5, trainSteps));
            } catch (Diverged d) {
                throw new Diverged("training step " + trainSteps + ": " + d.getMessage()
                        + "; the last good checkpoint (train step " + lastCheckpointStep + ") is kept in " + run.path());
            }
            l.forEach((k, v) -> sum.merge(k, v, Double::sum));
            if (i % 5 == 4) progress("training", average(sum, i + 1));
        }
        Map<String, Double> avg = average(sum, Math.max(1, n));
        Map<String, Object> rec = record("type", "train", "episode", episodes, "envSteps", envSteps, "trainStep", trainSteps,
                "trainStepMs", (System.nanoTime() - t0) / 1e6 / Math.max(1, n));
        rec.putAll(avg);
        append(rec);
        lastLosses = avg;
        return avg;
    }

    private Map<String, Double> lastLosses = Map.of();
    /** The train steps and counters at the learner's last save. */
    private String savedLearnerState;

    private static Map<String, Double> average(Map<String, Double> sum, int n) {
        Map<String, Double> m = new LinkedHashMap<>();
        sum.forEach((k, v) -> m.put(k, v / n));
        return m;
    }

    @Override
    public double evaluate() {
        progress("evaluating", lastLosses);
        long t0 = System.nanoTime();
        List<Double> r = evaluate(learner.agent(0f, rng(3, episodes)), 1);
        episodeTook((System.nanoTime() - t0) / 1e9);
        lastEval = r.getFirst();
        append(record("type", "eval", "episode", episodes, "envSteps", envSteps, "trainStep", trainSteps,
                "returnMean", lastEval, "returns", r));
        return lastEval;
    }

    /**
     * Saves the learner when it has changed since the last save: it trained, or a stage counter
     * moved (a staged loop changes the learner without gradient steps, e.g. an evolution
     * strategy's generation). Seed episodes alone leave nothing to save.
     */
    @Override
    public void checkpoint() {
        String learnerState = trainSteps + " " + counters;
        if ((trainSteps > 0 || !counters.isEmpty()) && !learnerState.equals(savedLearnerState)) {
            savedLearnerState = learnerState;
            Map<String, String> meta = new LinkedHashMap<>();                     // ordered: equal runs write equal bytes
            meta.put("agent", learner.family());
            meta.put("env", envName);
            meta.put("seed", Long.toString(seed));
            meta.put("trainSteps", Long.toString(trainSteps));
            meta.put("version", RunDir.VERSION);
            learner.save(run, meta);
        }
        lastCheckpointStep = trainSteps;
        run.writeJson(run.state(), record("episodes", episodes, "envSteps", envSteps, "trainSteps", trainSteps,
                "wallSeconds", elapsed(), "lastEval", Double.isNaN(lastEval) ? null : lastEval, "firstEpisode", firstEpisode,
                "metricLines", metricLines, "counters", new LinkedHashMap<>(counters)));
        listener.checkpointed(run);
        progress("training", lastLosses);
    }

    @Override
    public void countEnvSteps(long steps) {
        if (steps < 0) throw new IllegalArgumentException("countEnvSteps: " + steps + " steps");
        envSteps += steps;
    }

    @Override
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    @Override
    public void counter(String name, long value) {
        counters.put(name, value);
    }

    @Override
    public void progress(String phase, Map<String, Double> figures) {
        double f = 0, limit = budget == null ? Double.POSITIVE_INFINITY : limit(), now = budget == null ? wallBefore : elapsed();
        if (!Double.isInfinite(limit)) f = now / limit;
        if (budget != null && budget.episodes() > 0) f = Math.max(f, (double) episodes / budget.episodes());
        listener.progress(new Progress(phase, episodes, envSteps, trainSteps, now, Math.min(1, f), lastReturn, lastEval, figures));
    }

    @Override
    public void metric(Map<String, Object> record) {
        append(record);
    }

    private void append(Map<String, Object> record) {
        run.appendMetric(record);
        metricLines++;
    }

    @Override
    public double collect(Agent agent, Rng rng, String kind) {
        progress(agent == null ? "seed episodes" : "collecting", lastLosses);
        int a = env.actionSpec().size();
        ObsSpec layout = replay.layout();
        Observation obs = env.reset(seed * 1_000_033L + episodes + 1).observation();
        if (agent != null) agent.reset();
        List<byte[]> seen = new ArrayList<>();
        List<float[]> actions = new ArrayList<>();
        List<Float> rewards = new ArrayList<>();
        seen.add(layout.encode(obs));
        double ret = 0;
        boolean terminal;
        long t0 = System.nanoTime();
        while (true) {
            float[] act = agent == null ? randomAction(env, rng) : agent.act(obs);
            Step s = env.step(act);
            obs = s.observation();
            seen.add(layout.encode(obs));
            actions.add(act);
            rewards.add((float) s.reward());
            ret += s.reward();
            if (s.done()) {
                terminal = s.terminated();
                break;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9, perDecision = seconds / actions.size();
        if (agent != null) episodeTook(seconds);
        float[] rw = new float[rewards.size()];
        for (int i = 0; i < rw.length; i++) rw[i] = rewards.get(i);
        EpisodeFile.Episode ep = new EpisodeFile.Episode(layout, a, seen.toArray(byte[][]::new), actions.toArray(float[][]::new),
                rw, terminal);
        envSteps += (long) actions.size() * settings.actionRepeat();
        return store(ep, kind, perDecision, ret);
    }

    @Override
    public double recordEpisode(EpisodeFile.Episode episode, String kind) {
        double ret = 0;
        for (float r : episode.rewards()) ret += r;
        return store(episode, kind, Double.NaN, ret);
    }

    /** An episode into the replay, onto disk and into the metrics; returns its return. */
    private double store(EpisodeFile.Episode ep, String kind, double perDecision, double ret) {
        episodes++;
        EpisodeFile.write(run.episode(episodes), ep);
        prune(ep.addTo(replay));
        lastReturn = ret;
        Map<String, Object> rec = record("type", "episode", "kind", kind, "episode", episodes, "envSteps", envSteps,
                "trainStep", trainSteps, "return", ret);
        if (!Double.isNaN(perDecision)) rec.put("decisionMs", perDecision * 1e3);
        append(rec);
        return ret;
    }

    /** Updates the running cost of an episode of the learner's agent. */
    private void episodeTook(double seconds) {
        secondsPerEpisode = Double.isNaN(secondsPerEpisode) ? seconds : 0.7 * secondsPerEpisode + 0.3 * seconds;
    }

    /** Deletes the files of the {@code evicted} oldest episodes the replay just dropped: disk use follows the replay's bound. */
    private void prune(int evicted) {
        for (int i = 0; i < evicted; i++, firstEpisode++) {
            try {
                Files.deleteIfExists(run.episode(firstEpisode));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prune " + run.episode(firstEpisode) + ": " + e.getMessage(), e);
            }
        }
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
            Observation obs = env.reset(EVAL_SEED + i).observation();
            if (agent != null) agent.reset();
            double ret = 0;
            while (true) {
                Step s = env.step(agent == null ? randomAction(env, random) : agent.act(obs));
                obs = s.observation();
                ret += s.reward();
                if (s.done()) break;
            }
            out.add(ret);
        }
        return out;
    }

    static double mean(List<Double> x) {
        return x.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double std(List<Double> x) {
        double m = mean(x);
        return Math.sqrt(x.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / Math.max(1, x.size()));
    }
}
