package latte.models.worldmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.io.AtomicFile;
import latte.autodiff.io.Json;
import latte.autodiff.optim.Adam;
import latte.core.Parallel;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Observation;
import latte.envs.Step;
import latte.envs.TimeLimit;
import latte.models.Agent;
import latte.models.config.ConfigCodec;
import latte.models.evolve.CmaEs;
import latte.models.evolve.CmaState;
import latte.models.evolve.Evolution;
import latte.models.family.TaskSpec;
import latte.models.loop.Learner;
import latte.models.loop.Loop;
import latte.models.loop.LoopContext;
import latte.models.loop.Trainer;
import latte.models.replay.Batch;
import latte.models.replay.ObsSpec;
import latte.models.run.Checkpoint;
import latte.models.run.RunDir;

/**
 * World Models in a run (Ha and Schmidhuber 2018, section 3, "procedure"), a staged loop:
 * <pre>
 *   1. collect N rollouts of a random (or brownian) policy
 *   2. train V to encode frames into z (steps on random frames)
 *   3. train M to model P(z_{t+1} | a_t, z_t, h_t), z sampled from V's posterior every batch
 *   4. evolve C with CMA-ES to maximise the expected return, in the real task or in M's dream
 * </pre>
 * Each stage resumes from its counter (V and M steps, CMA-ES generations); CMA-ES's state is
 * checkpointed exactly (evolution.bin, doubles). The agent acts with the search's mean.
 */
public final class WorldModelsLearner implements Learner {
    /** Gradient steps of V or M between two checkpoints. */
    static final int STEPS_PER_CHECKPOINT = 50;

    private final WorldModelsConfig config;
    private final TaskSpec task;
    private final long seed;
    private final Vae v;
    private final MdnRnn m;
    private final Adam vAdam, mAdam;
    private final Controller.Size cSize;
    private final Checkpoint checkpoint;
    private CmaEs es;                               // null until stage 4 starts
    private double[] controller;                    // C's parameters the agent acts with: the search's mean

    public WorldModelsLearner(WorldModelsConfig config, TaskSpec task, long seed) {
        if (!task.observation().equals(ObsSpec.frame(64, 64, 3)))
            throw new IllegalArgumentException("World Models reads 64x64 RGB frames; " + task.env() + " observes " + task.observation());
        this.config = config;
        this.task = task;
        this.seed = seed;
        Rng rng = new Rng(seed);
        var c = config.vae();
        this.v = new Vae(new Vae.Size(c.depth(), c.latent()), c.klTolerance(), rng);
        this.m = new MdnRnn(new MdnRnn.Size(c.latent(), task.actionSize(), config.mdn().hidden(), config.mdn().mixtures()), rng);
        this.vAdam = new Adam(v.store(), c.optim().adam());
        this.mAdam = new Adam(m.store(), Adam.Config.of(config.mdn().lr()));
        this.cSize = new Controller.Size(c.latent(), config.controller().useHidden() ? config.mdn().hidden() : 0, task.actionSize(),
                config.controller().units());
        this.controller = new double[cSize.parameterCount()];
        this.checkpoint = new Checkpoint(List.of(new Checkpoint.Params("model", "", v.store()), new Checkpoint.Params("mdn", "", m.store())),
                List.of(new Checkpoint.Moments("vae.", vAdam), new Checkpoint.Moments("mdn.", mAdam)));
    }

    public Vae vae() { return v; }
    public MdnRnn mdn() { return m; }
    @Override public String family() { return WorldModelsFamily.NAME; }
    @Override public WorldModelsConfig config() { return config; }

    @Override
    public Settings settings() {
        var c = config.collect();
        return new Settings(ObsSpec.Kind.FRAME, c.actionRepeat(), c.evalEpisodes(), c.replayCapacity());
    }

    /** C with the search's current mean (all zeros before the search). */
    public Controller controller() {
        return Controller.of(cSize, WorldModelsAgent.actions(task.actionSize(), task.discrete()), controller);
    }

    @Override
    public Agent agent(float noise, Rng rng) {
        return new WorldModelsAgent(v, m, controller());
    }

    @Override
    public Loop loop() {
        return ctx -> {
            var c = config.collect();
            while (ctx.episodes() < c.rollouts()) {                                               // 1. rollouts
                Rng r = ctx.rng(1, ctx.episodes() + 1);
                ctx.collect(c.policy() == WorldModelsConfig.Policy.BROWNIAN && !task.discrete() ? new Brownian(task.actionSize(), r) : null,
                        r, "random");
                ctx.checkpoint();
            }
            stage(ctx, "vSteps", config.vae().steps(), r -> vStep(ctx, r));                        // 2. V
            stage(ctx, "mSteps", config.mdn().steps(), r -> mStep(ctx, r));                        // 3. M
            if (es == null) es = new CmaEs(new double[cSize.parameterCount()], config.evolution().sigma0(),
                    config.evolution().population(), seed);
            Evolution.BatchFitness fitness = config.dreamTraining() ? batch(dreamFitness(ctx)) : this::realFitness;
            while (ctx.counter("generation") < config.evolution().generations() && !ctx.spent()) {   // 4. C
                generation(ctx, fitness);
                if (ctx.counter("generation") % config.evolution().evalEvery() == 0) ctx.evaluate();
                ctx.checkpoint();
            }
        };
    }

    private void stage(LoopContext ctx, String counter, int steps, java.util.function.Function<Rng, Map<String, Double>> step) {
        while (ctx.counter(counter) < steps && !ctx.spent()) {
            int k = (int) Math.min(STEPS_PER_CHECKPOINT, steps - ctx.counter(counter));
            ctx.train(k, step);
            ctx.counter(counter, ctx.counter(counter) + k);
            ctx.checkpoint();
        }
    }

    /** Frames [n, 64, 64, 3] in [0, 1] from a batch's uint8 frames. */
    private static Var frames(byte[] obs, int n) {
        float[] x = new float[n * 64 * 64 * 3];
        Vae.toUnit(obs, 0, x.length, x, 0);
        return Var.of(x, n, 64, 64, 3);
    }

    /** One step of V on random frames of the rollouts (section 2.1). */
    private Map<String, Double> vStep(LoopContext ctx, Rng rng) {
        Batch b = ctx.replay().sample(config.vae().batch(), 1, rng);
        Vae.Losses l = v.trainStep(frames(b.obs(), b.batch()), vAdam, rng);
        Map<String, Double> out = new LinkedHashMap<>();                           // ordered: equal runs write equal metrics
        out.put("vReconstruction", (double) l.reconstruction());
        out.put("vKl", (double) l.kl());
        return out;
    }

    /**
     * One step of M (section 2.2) on chunks of T + 1 frames: in the replay's convention obs[t] was
     * reached by action[t] with reward[t], so M reads (z_t, action[t+1]) and predicts z_{t+1},
     * reward[t+1] and whether obs[t+1] ended the episode.
     */
    private Map<String, Double> mStep(LoopContext ctx, Rng rng) {
        int t = config.mdn().chunk(), bs = config.mdn().batch(), zs = v.size().latent(), a = task.actionSize();
        Batch b = ctx.replay().sample(bs, t + 1, rng);
        float[] mu, sigma;
        try (Tape.Scope ignored = Tape.noGrad()) {
            Vae.Posterior q = v.encode(frames(b.obs(), (t + 1) * bs));                              // [(T+1)*B, z]
            mu = q.mu().toArray();
            sigma = q.sigma().toArray();
        }
        float[] actions = java.util.Arrays.copyOfRange(b.action(), bs * a, (t + 1) * bs * a);       // [T, B, A]
        float[] rewards = java.util.Arrays.copyOfRange(b.reward(), bs, (t + 1) * bs), dones = new float[t * bs];
        for (int i = 0; i < dones.length; i++) dones[i] = 1f - b.nonterminal()[bs + i];
        MdnRnn.Sequences s = MdnRnn.sequences(t, bs, zs, mu, sigma, actions, rewards, dones, rng);
        MdnRnn.Losses l = m.trainStep(s, new MdnRnn.Weights(1f, config.mdn().rewardWeight(), config.mdn().doneWeight()), mAdam,
                config.mdn().clip());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("mNll", (double) l.mdn());
        out.put("mReward", (double) l.reward());
        out.put("mDone", (double) l.done());
        return out;
    }

    /** One CMA-ES generation: ask, evaluate every candidate (in parallel, deterministically), tell. */
    private void generation(LoopContext ctx, Evolution.BatchFitness fitness) {
        var e = config.evolution();
        double[][] xs = es.ask();
        Evolution.Options o = new Evolution.Options(e.rollouts(), e.weightDecay(), Parallel.threads(), Long.MAX_VALUE, Long.MAX_VALUE,
                Double.NEGATIVE_INFINITY);
        double[] fit = Evolution.evaluate(fitness, xs, es.seed(), es.generation(), o, e.sharedStarts());
        es.tell(fit);
        controller = es.mean();
        ctx.countEnvSteps(realDecisions * config.collect().actionRepeat());
        realDecisions = 0;
        double[] sorted = fit.clone();
        java.util.Arrays.sort(sorted);                                                             // NaN last
        int nans = 0;
        for (double f : fit) if (Double.isNaN(f)) nans++;
        ctx.counter("generation", es.generation());
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("type", "generation");
        rec.put("generation", es.generation());
        rec.put("evaluations", es.evaluations());
        rec.put("episode", ctx.episodes());
        rec.put("envSteps", ctx.envSteps());
        rec.put("trainStep", ctx.trainSteps());
        rec.put("bestFitness", sorted[0]);
        rec.put("medianFitness", sorted[sorted.length / 2]);
        rec.put("sigma", es.sigma());
        rec.put("nans", nans);
        ctx.metric(rec);
        ctx.progress("evolving C", Map.of("bestReturn", -sorted[0], "sigma", es.sigma()));
    }

    /** A one-at-a-time fitness as a batch fitness (its evaluations spread over the worker pool). */
    private static Evolution.BatchFitness batch(Evolution.Fitness f) {
        return (xs, rollouts, rngs) -> {
            double[] v = new double[rngs.length];
            Parallel.forRange(rngs.length, (lo, hi) -> {
                for (int i = lo; i < hi; i++) v[i] = f.evaluate(xs[i / rollouts].clone(), rngs[i]);
            });
            return v;
        };
    }

    /**
     * Stage 4's fitness in the real task with this learner's V and M, one episode at a time: a
     * candidate C's parameters to minus the return of one episode from the generator's reset seed.
     * Safe from several threads; the cluster module rebuilds it on other machines from a
     * checkpoint to spread the rollouts. (Stage 4 itself steps a generation's episodes in lockstep
     * blocks, {@link #realFitness(double[][], int, Rng[])}.)
     */
    public Evolution.Fitness realFitness() {
        return (x, rng) -> {
            double[] out = new double[1];
            realBlock(new double[][] {x}, 1, new Rng[] {rng}, 0, 1, out, new long[1]);
            return out[0];
        };
    }

    /** C's parameter count: the dimension CMA-ES searches. */
    public int controllerParameters() {
        return cSize.parameterCount();
    }

    /** Episodes stepped together through V and M: a fixed block size, so results do not depend on the thread count. */
    static final int BLOCK = 32;

    /**
     * Minus the return of every (candidate, rollout) in the real task (the paper's fitness;
     * CMA-ES minimises). The episodes run in lockstep, in blocks of {@link #BLOCK}, so V encodes
     * and M steps a block's frames as one batch instead of one frame at a time.
     */
    private double[] realFitness(double[][] xs, int rollouts, Rng[] rngs) {
        double[] out = new double[rngs.length];
        long[] decisions = new long[rngs.length];
        int blocks = (rngs.length + BLOCK - 1) / BLOCK;
        Parallel.forRange(blocks, (lo, hi) -> {
            for (int b = lo; b < hi; b++) realBlock(xs, rollouts, rngs, b * BLOCK, Math.min(rngs.length, (b + 1) * BLOCK), out, decisions);
        });
        long total = 0;
        for (long d : decisions) total += d;
        realDecisions += total;
        return out;
    }

    /** Decisions taken in the real task by stage 4's rollouts since the counter was last read (reported as environment steps). */
    private long realDecisions;

    private void realBlock(double[][] xs, int rollouts, Rng[] rngs, int from, int to, double[] out, long[] decisions) {
        int n = to - from, zs = v.size().latent(), a = task.actionSize(), px = 64 * 64 * 3;
        Env[] envs = new Env[n];
        Controller[] cs = new Controller[n];
        byte[][] frame = new byte[n][];
        boolean[] done = new boolean[n];
        double[] ret = new double[n];
        var space = WorldModelsAgent.actions(a, task.discrete());
        try {
            for (int i = 0; i < n; i++) {
                envs[i] = Trainer.makeEnv(task.env(), ObsSpec.Kind.FRAME, config.collect().actionRepeat());
                frame[i] = ((latte.envs.Frame) envs[i].reset(rngs[from + i].nextLong()).observation()).data();
                cs[i] = Controller.of(cSize, space, xs[(from + i) / rollouts]);
            }
            latte.autodiff.LstmState state = m.initialState(n);
            int active = n;
            float[] x = new float[n * px], acts = new float[n * a];
            while (active > 0) {
                try (Tape.Scope ignored = Tape.noGrad()) {
                    for (int i = 0; i < n; i++) Vae.toUnit(frame[i], 0, px, x, i * px);
                    Var z = v.encode(Var.of(x, n, 64, 64, 3)).mu();                               // [n, z]
                    float[] za = z.toArray(), ha = state.h().toArray();
                    int h = m.size().hidden();
                    for (int i = 0; i < n; i++) {
                        float[] zi = java.util.Arrays.copyOfRange(za, i * zs, (i + 1) * zs);
                        float[] act = cSize.hidden() > 0 ? cs[i].act(zi, java.util.Arrays.copyOfRange(ha, i * h, (i + 1) * h)) : cs[i].act(zi);
                        System.arraycopy(act, 0, acts, i * a, a);
                    }
                    state = m.step(z, Var.of(acts.clone(), n, a), state).state();               // h, c [n, H]
                }
                for (int i = 0; i < n; i++) {
                    if (done[i]) continue;
                    Step s = envs[i].step(java.util.Arrays.copyOfRange(acts, i * a, (i + 1) * a));
                    decisions[from + i]++;
                    ret[i] += s.reward();
                    frame[i] = ((latte.envs.Frame) s.observation()).data();
                    if (s.done()) { done[i] = true; active--; }
                }
            }
        } finally {
            for (Env e : envs) if (e != null) e.close();
        }
        for (int i = 0; i < n; i++) out[from + i] = -ret[i];
    }

    /** Minus the return of one dreamed episode at the run's temperature, starting from encoded real first frames. */
    private Evolution.Fitness dreamFitness(LoopContext ctx) {
        Dream d = dream(ctx.replay().firstObservations(), ctx.replay().longestEpisode(), config.tau());
        return (x, rng) -> -d.episode(x, rng.nextLong(), null);
    }

    /**
     * M as C's world (section 4.4, "learning inside of a dream"): episodes start at V's posterior
     * of real first frames, last at most {@code decisions} steps, and sample z at temperature
     * {@code tau}; the return is M's predicted rewards.
     */
    public Dream dream(List<byte[]> firstFrames, int decisions, float tau) {
        float[][] mu = new float[firstFrames.size()][], sigma = new float[firstFrames.size()][];
        try (Tape.Scope ignored = Tape.noGrad()) {
            for (int i = 0; i < firstFrames.size(); i++) {
                Vae.Posterior q = v.encode(frames(firstFrames.get(i), 1));
                mu[i] = q.mu().toArray();
                sigma[i] = q.sigma().toArray();
            }
        }
        return new Dream(new DreamEnv.Config(WorldModelsAgent.actions(task.actionSize(), task.discrete()), tau, cSize.hidden() > 0,
                decisions, 1, 64), mu, sigma, decisions);
    }

    /** Dreamed episodes of a controller. */
    public final class Dream {
        private final DreamEnv.Config cfg;
        private final float[][] mu, sigma;
        private final int decisions;

        private Dream(DreamEnv.Config cfg, float[][] mu, float[][] sigma, int decisions) {
            this.cfg = cfg;
            this.mu = mu;
            this.sigma = sigma;
            this.decisions = decisions;
        }

        /** The dreamed return of C with parameters {@code x}; {@code frames}, if not null, receives V's decoding of every dreamed z. */
        public double episode(double[] x, long seed, List<latte.envs.Frame> frames) {
            Controller c = Controller.of(cSize, cfg.actions(), x);
            try (Env env = new TimeLimit(new DreamEnv(m, cfg, mu, sigma, frames == null ? null : v), decisions)) {
                Observation o = env.reset(seed).observation();
                if (frames != null) frames.add(env.render());
                double ret = 0;
                while (true) {
                    Step s = env.step(c.act(o.state()));
                    ret += s.reward();
                    o = s.observation();
                    if (frames != null) frames.add(env.render());
                    if (s.done()) return ret;
                }
            }
        }

        /**
         * A fresh CMA-ES search of C inside this dream, from zero with the run's settings, for
         * {@code generations}; returns the search's mean.
         */
        public double[] evolve(int generations, long seed) {
            var e = config.evolution();
            CmaEs search = new CmaEs(new double[cSize.parameterCount()], e.sigma0(), e.population(), seed);
            Evolution.Options o = new Evolution.Options(e.rollouts(), e.weightDecay(), Parallel.threads(), generations, Long.MAX_VALUE,
                    Double.NEGATIVE_INFINITY);
            while (search.generation() < generations) {
                double[][] xs = search.ask();
                search.tell(Evolution.evaluate(batch((x, rng) -> -episode(x, rng.nextLong(), null)), xs, search.seed(), search.generation(),
                        o, e.sharedStarts()));
            }
            return search.mean();
        }
    }

    /** The mean real return of C with parameters {@code x} over {@code episodes} episodes, each from a generator seeded {@code seed + i}. */
    public double realReturn(double[] x, int episodes, long seed) {
        Rng[] rngs = new Rng[episodes];
        for (int i = 0; i < episodes; i++) rngs[i] = new Rng(seed + i);
        double sum = 0;
        for (double f : realFitness(new double[][] {x}, episodes, rngs)) sum -= f;
        return sum / episodes;
    }

    /** Brownian actions in [-1, 1]^A: a_t = clip(a_{t-1} + N(0, 0.3^2)), from 0 at each reset. */
    static final class Brownian implements Agent {
        private final float[] a;
        private final Rng rng;

        Brownian(int size, Rng rng) {
            this.a = new float[size];
            this.rng = rng;
        }

        @Override public void reset() { java.util.Arrays.fill(a, 0f); }
        @Override public int actionSize() { return a.length; }

        @Override
        public float[] act(Observation observation) {
            for (int i = 0; i < a.length; i++) a[i] = Math.max(-1f, Math.min(1f, a[i] + 0.3f * rng.normal()));
            return a.clone();
        }
    }

    // ------------------------------------------------------------------------------ checkpoints

    private static Path evolutionFile(RunDir run) {
        return run.path().resolve("evolution.bin");
    }

    @Override
    public void save(RunDir run, Map<String, String> metadata) {
        if (es != null) writeState(evolutionFile(run), es.state().toArray(), metadata.get("trainSteps"));
        checkpoint.save(run, metadata, Map.of("config", Json.write(ConfigCodec.encode(config))),
                Map.of("generation", Long.toString(es == null ? 0 : es.generation())));
    }

    @Override
    public void load(RunDir run) {
        Map<String, String> extra = checkpoint.load(run);
        long generation = Long.parseLong(extra.getOrDefault("generation", "0"));
        if (generation == 0) return;
        double[] s = readState(evolutionFile(run));
        es = CmaEs.restore(CmaState.fromArray(s));
        if (es.generation() != generation)
            throw new IllegalArgumentException(evolutionFile(run) + " is from generation " + es.generation() + " but the checkpoint is from "
                    + generation + " (interrupted checkpoint)");
        controller = es.mean();
    }

    /** CMA-ES's state as little-endian doubles: "LTCM" | count | doubles | CRC32 (exact, unlike the F32 safetensors). */
    static void writeState(Path file, double[] state, String step) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 * state.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x4D43544C).putInt(state.length).putInt(step == null ? -1 : Integer.parseInt(step));
        for (double d : state) b.putDouble(d);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        AtomicFile.write(file, b.array());
    }

    static double[] readState(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (the CMA-ES state of a World Models run): " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 16 || b.getInt() != 0x4D43544C)
            throw new IllegalArgumentException(file + ": not a CMA-ES state file");
        int n = b.getInt();
        b.getInt();
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if (n < 0 || bytes.length != 12 + 8L * n + 4 || (int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN).getInt())
            throw new IllegalArgumentException(file + ": truncated or corrupt (checksum)");
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = b.getDouble();
        return s;
    }
}
