package latte.models.ppo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.io.Json;
import latte.autodiff.io.Safetensors;
import latte.core.Rng;
import latte.models.Agent;
import latte.models.config.ConfigCodec;
import latte.models.family.TaskSpec;
import latte.models.loop.Learner;
import latte.models.loop.Loop;
import latte.models.loop.LoopContext;
import latte.models.loop.Trainer;
import latte.models.replay.ObsSpec;
import latte.models.run.Checkpoint;
import latte.models.run.RunDir;

/**
 * PPO in a run (Schulman et al. 2017, algorithm 1):
 * <pre>
 *   for iteration = 1, 2, ...
 *     run pi_old in N copies for T steps                     Rollouts.collect
 *     compute advantage estimates A_1 .. A_T (GAE)            Gae.estimate
 *     optimise L^CLIP - c1 L^VF + c2 S for K epochs
 *       with minibatches of N T / minibatches                 Ppo.update
 * </pre>
 * One update is one train step; every finished episode is recorded like a collected one. A
 * checkpoint after every update keeps the networks, Adam's moments and the copies' state (each
 * copy's episode seed and actions since, {@link Rollouts.State}) in rollouts.safetensors, so a
 * resumed run continues bit for bit as the uninterrupted one.
 */
public final class PpoLearner implements Learner {
    /** Decisions of finished episodes kept in the replay and on disk (PPO learns from its rollouts, not from the replay). */
    static final long REPLAY_CAPACITY = 10_000;

    private final PpoConfig config;
    private final TaskSpec task;
    private final long seed;
    private final Policy policy;
    private final Ppo ppo;
    private final Checkpoint checkpoint;
    private Rollouts rollouts;                       // made when the loop starts
    private Rollouts.State restored;                 // the copies' state of a loaded checkpoint, until the loop starts

    public PpoLearner(PpoConfig config, TaskSpec task, long seed) {
        ObsSpec.Kind kind = task.observation().kind();
        if (kind == ObsSpec.Kind.FRAME)
            throw new IllegalArgumentException("PPO reads state vectors (or a MinAtar grid); " + task.env() + " observes " + task.observation());
        this.config = config;
        this.task = task;
        this.seed = seed;
        this.policy = new Policy(new Policy.Size(task.observation().values(), task.actionSize(), task.discrete()), config.network(),
                new Rng(seed));
        this.ppo = new Ppo(policy, config.optimisation());
        this.checkpoint = new Checkpoint(List.of(new Checkpoint.Params("model", "", policy.store())),
                List.of(new Checkpoint.Moments("", ppo.adam())));
    }

    public Policy policy() { return policy; }
    @Override public String family() { return PpoFamily.NAME; }
    @Override public PpoConfig config() { return config; }

    @Override
    public Settings settings() {
        return new Settings(task.observation().kind(), 1, config.evaluation().episodes(), REPLAY_CAPACITY);
    }

    /** The policy's mode with {@code noise == 0} (evaluation), else samples of it. */
    @Override
    public Agent agent(float noise, Rng rng) {
        return new PpoAgent(policy, noise > 0, rng);
    }

    /** N fresh copies of the task as the agents see it, episodes seeded from the run's seed. */
    Rollouts rollouts() {
        if (rollouts == null) {
            rollouts = new Rollouts(config.rollout().envs(), i -> Trainer.makeEnv(task.env(), task.observation().kind(), 1), policy, seed);
            if (restored != null) rollouts.rebuild(restored);
            restored = null;
        }
        return rollouts;
    }

    @Override
    public Loop loop() {
        return ctx -> {
            Rollouts r = rollouts();
            int n = config.rollout().batch();
            while (!ctx.spent()) {
                long u = ctx.counter("updates");
                Rollouts.Batch b = r.collect(config.rollout().steps(), ctx.rng(1, u), ep -> ctx.recordEpisode(ep, "policy"));
                ctx.countEnvSteps(n);
                double alpha = config.optimisation().alpha(u * n);
                ctx.train(1, rng -> ppo.update(b, alpha, rng));
                ctx.counter("updates", u + 1);
                if ((u + 1) % config.evaluation().every() == 0) ctx.evaluate();
                ctx.checkpoint();
                progress(ctx);
            }
        };
    }

    private static void progress(LoopContext ctx) {
        ctx.progress("training", Map.of("updates", (double) ctx.counter("updates")));
    }

    /** One update on a rollout of the current copies (the regression test drives PPO through this, without a run directory). */
    public Map<String, Double> update(long updates, Rng rollout, Rng minibatches, java.util.function.Consumer<latte.models.run.EpisodeFile.Episode> finished) {
        Rollouts.Batch b = rollouts().collect(config.rollout().steps(), rollout, finished);
        return ppo.update(b, config.optimisation().alpha(updates * config.rollout().batch()), minibatches);
    }

    // ------------------------------------------------------------------------------ checkpoints

    private static Path rolloutsFile(RunDir run) {
        return run.path().resolve("rollouts.safetensors");
    }

    @Override
    public void save(RunDir run, Map<String, String> metadata) {
        if (rollouts != null) writeRollouts(rolloutsFile(run), rollouts.state(), metadata);
        checkpoint.save(run, metadata, Map.of("config", Json.write(ConfigCodec.encode(config))), Map.of());
    }

    @Override
    public void load(RunDir run) {
        Map<String, String> meta = checkpoint.load(run);
        Path f = rolloutsFile(run);
        if (!Files.exists(f)) return;
        Safetensors.Contents c = Safetensors.read(f);
        if (meta.containsKey("trainSteps") && !meta.get("trainSteps").equals(c.metadata().get("trainSteps")))
            throw new IllegalArgumentException(f + " is from train step " + c.metadata().get("trainSteps") + " but the model is from step "
                    + meta.get("trainSteps") + " (interrupted checkpoint)");
        restored = readRollouts(c, f);
        if (rollouts != null) {
            rollouts.rebuild(restored);
            restored = null;
        }
    }

    /** The copies' state: one tensor of every copy's actions in order, the seeds and lengths in the metadata. */
    static void writeRollouts(Path file, Rollouts.State s, Map<String, String> metadata) {
        int total = 0, width = 0;
        StringBuilder seeds = new StringBuilder(), lengths = new StringBuilder();
        for (int i = 0; i < s.seeds().length; i++) {
            total += s.actions()[i].length;
            if (s.actions()[i].length > 0) width = s.actions()[i][0].length;
            seeds.append(i == 0 ? "" : ",").append(s.seeds()[i]);
            lengths.append(i == 0 ? "" : ",").append(s.actions()[i].length);
        }
        float[] flat = new float[total * width];
        int k = 0;
        for (float[][] copy : s.actions()) for (float[] a : copy) { System.arraycopy(a, 0, flat, k, width); k += width; }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("started", Long.toString(s.started()));
        meta.put("seeds", seeds.toString());
        meta.put("lengths", lengths.toString());
        meta.put("width", Integer.toString(width));
        Safetensors.write(file, Map.of("actions", new Safetensors.Entry(new int[] {flat.length}, flat)), meta);
    }

    static Rollouts.State readRollouts(Safetensors.Contents c, Path where) {
        try {
            String[] seeds = c.metadata().get("seeds").split(","), lengths = c.metadata().get("lengths").split(",");
            int width = Integer.parseInt(c.metadata().get("width"));
            float[] flat = c.tensors().get("actions").data();
            long[] sd = new long[seeds.length];
            float[][][] acts = new float[seeds.length][][];
            int k = 0;
            for (int i = 0; i < seeds.length; i++) {
                sd[i] = Long.parseLong(seeds[i]);
                acts[i] = new float[Integer.parseInt(lengths[i])][];
                for (int t = 0; t < acts[i].length; t++, k += width) acts[i][t] = java.util.Arrays.copyOfRange(flat, k, k + width);
            }
            if (k != flat.length) throw new IllegalArgumentException("lengths and actions disagree");
            return new Rollouts.State(Long.parseLong(c.metadata().get("started")), sd, acts);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": not a PPO rollouts file (" + e.getMessage() + ")", e);
        }
    }
}
