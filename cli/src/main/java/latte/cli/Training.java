package latte.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.envs.Step;
import latte.envs.Video;
import latte.models.Agent;
import latte.models.Agents;
import latte.models.family.Families;
import latte.models.loop.Learner;
import latte.models.loop.Trainer;
import latte.models.replay.ObsSpec;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;

/** What train, demo, eval and dream share: running a learner, and the pictures. */
final class Training {
    private Training() {}

    /**
     * Trains (fresh or resumed), then writes curve.png and dream.gif and prints the result. The
     * wall-clock budget covers the whole command, from {@code startNanos} (when it began, before
     * the learner was built) to the pictures: the trainer keeps that time free.
     */
    static Trainer.Summary run(RunDir run, Learner learner, String env, long seed, boolean resume, Trainer.Budget budget,
                               PrintStream out, long startNanos) {
        return run(run, learner, env, seed, resume, budget, out, startNanos, l -> l);
    }

    /** As above, with the progress listener wrapped by {@code listeners} (the dashboard's live pictures). */
    static Trainer.Summary run(RunDir run, Learner learner, String env, long seed, boolean resume, Trainer.Budget budget,
                               PrintStream out, long startNanos, java.util.function.UnaryOperator<Trainer.Listener> listeners) {
        learner.loop().checkBudget(budget);
        Trainer trainer = resume ? Trainer.resume(run, learner) : Trainer.create(run, learner, env, seed);
        if (resume) out.printf(Locale.ROOT, "resuming %s at episode %d, %d train steps%n", run.path(), trainer.episodes(), trainer.trainSteps());
        double pictures = budget.minutes() > 0 ? rehearsePictures(run, learner, env, seed) : 0;
        double outside = (System.nanoTime() - startNanos) / 1e9 + 1.2 * pictures;
        ProgressBar bar = new ProgressBar(out);
        Trainer.Listener listener = listeners.apply(new Trainer.Listener() {
            @Override public void progress(Trainer.Progress p) { bar.progress(p); }
            @Override public void message(String line) { bar.message(line); }
            @Override public double outsideSeconds() { return outside; }
        });
        Trainer.Summary s;
        try {
            s = trainer.run(budget, listener);
        } finally {
            if (!run.readMetrics().isEmpty()) CurvePlot.write(run);
        }
        Path dream = writeDream(run, learner, env, seed);
        out.printf(Locale.ROOT, "%nrun directory: %s%n", run.path().toAbsolutePath());
        out.printf(Locale.ROOT, "evaluation return over %d episodes: %.1f +- %.1f  (random policy on the same seeds: %.1f +- %.1f)%n",
                s.evalReturns().size(), s.evalMean(), s.evalStd(), s.randomMean(), s.randomStd());
        out.printf(Locale.ROOT, "%d environment steps, %d episodes, %d gradient steps, %s wall time%n",
                s.envSteps(), s.episodes(), s.trainSteps(), ProgressBar.clock(s.wallSeconds()));
        out.printf(Locale.ROOT, "pictures: %s%s%n", run.curve(), dream == null ? "" : ", " + dream);
        return s;
    }

    /**
     * Records one evaluation episode with the learner's agent and writes dream.gif from the
     * family's pictures of it; null (and no file) for a family without pictures.
     */
    static Path writeDream(RunDir run, Learner learner, String env, long seed) {
        var family = Families.get(learner.family());
        Agent agent = learner.agent(0f, new Rng(seed));
        EpisodeFile.Episode ep = record(Trainer.makeEnv(env, learner.settings().observation(), learner.settings().actionRepeat()), agent, seed);
        List<Frame> frames = family.dream(learner, ep, new Rng(seed));
        if (frames.isEmpty()) return null;
        Video.writeGif(frames, run.dream(), 100);
        return run.dream();
    }

    /**
     * Draws the pictures of the end of a run once, into scratch files, and returns the seconds
     * they took: curve.png of the metrics so far and dream.gif's decoding and encoding of one
     * episode (recorded with random actions: acting the dream's episode is the trainer's to
     * reserve). An untrained model decodes as fast as a trained one, so this is what the end
     * will cost; and a fault in the pictures shows in the first seconds, not after the run.
     */
    static double rehearsePictures(RunDir run, Learner learner, String env, long seed) {
        long t0 = System.nanoTime();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("latte-pictures");
            CurvePlot.write(run.readMetrics(), null, scratch.resolve("curve.png"));
            var family = Families.get(learner.family());
            Env e = Trainer.makeEnv(env, learner.settings().observation(), learner.settings().actionRepeat());
            Rng rng = new Rng(seed);
            EpisodeFile.Episode ep = record(e, randomAgent(e.actionSpec().size(), rng), seed);
            List<Frame> frames = family.dream(learner, ep, rng);
            if (!frames.isEmpty()) Video.writeGif(frames, scratch.resolve("dream.gif"), 100);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } finally {
            if (scratch != null) deleteTree(scratch);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Agent randomAgent(int actions, Rng rng) {
        return new Agent() {
            @Override public void reset() {}
            @Override public int actionSize() { return actions; }

            @Override
            public float[] act(Observation o) {
                float[] a = new float[actions];
                for (int i = 0; i < actions; i++) a[i] = rng.uniform(-1f, 1f);
                return a;
            }
        };
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (java.io.IOException ignored) {
            // a scratch folder in the temporary directory: the system cleans it up
        }
    }

    static EpisodeFile.Episode record(Env env, Agent agent, long seed) {
        Observation o = env.reset(seed).observation();
        ObsSpec layout = ObsSpec.of(o);
        agent.reset();
        List<byte[]> obs = new ArrayList<>(List.of(layout.encode(o)));
        List<float[]> actions = new ArrayList<>();
        List<Float> rewards = new ArrayList<>();
        boolean terminal;
        while (true) {
            float[] a = agent.act(o);
            Step s = env.step(a);
            o = s.observation();
            obs.add(layout.encode(o));
            actions.add(a);
            rewards.add((float) s.reward());
            if (s.done()) {
                terminal = s.terminated();
                break;
            }
        }
        float[] r = new float[rewards.size()];
        for (int i = 0; i < r.length; i++) r[i] = rewards.get(i);
        return new EpisodeFile.Episode(layout, actions.getFirst().length, obs.toArray(byte[][]::new), actions.toArray(float[][]::new),
                r, terminal);
    }

    static Path defaultOut(String agent, String env, long seed) {
        String name = agent + "-" + env.replace('/', '-') + "-seed" + seed;
        Path p = Path.of("runs", name);
        for (int i = 2; Files.exists(p.resolve("config.json")); i++) p = Path.of("runs", name + "-" + i);
        return p;
    }
}
