package latte.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Frame;
import latte.envs.Step;
import latte.envs.Video;
import latte.models.Agent;
import latte.models.Agents;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerLearner;
import latte.models.planet.Dream;
import latte.models.planet.WorldModel;
import latte.models.planet.Objective;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.run.ConfigOverrides;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;
import latte.models.train.Learner;
import latte.models.train.Trainer;

/** What train, demo, eval and dream share: building learners, running, and the pictures. */
final class Training {
    static final List<String> AGENTS = List.of("planet", "dreamer");

    private Training() {}

    /**
     * Options of a new run.
     *
     * @param latent   Dreamer's stochastic state ({@link DreamerConfig#LATENTS}); null: the preset's Gaussian
     * @param settings {@code KEY=VALUE} overrides of the configuration, applied last ({@link ConfigOverrides})
     */
    record Spec(String agent, String env, String preset, long seed, Objective objective, int overshooting,
                Integer actionRepeat, String latent, List<String> settings) {
        Spec(String agent, String env, String preset, long seed, Objective objective, int overshooting, Integer actionRepeat) {
            this(agent, env, preset, seed, objective, overshooting, actionRepeat, null, List.of());
        }
    }

    static Learner newLearner(Spec s) {
        if (!AGENTS.contains(s.agent()))
            throw new IllegalArgumentException("unknown agent '" + s.agent() + "'; valid agents: " + String.join(", ", AGENTS));
        if (!Envs.names().contains(s.env()))
            throw new IllegalArgumentException("unknown environment '" + s.env() + "'; valid environments: " + String.join(", ", Envs.names()));
        int actions;
        boolean discrete;
        try (Env e = Trainer.makeEnv(s.env(), 1)) {
            actions = e.actionSpec().size();
            discrete = Trainer.discrete(e);
        }
        if (s.agent().equals("dreamer")) {
            if (s.objective() != null || s.overshooting() > 1)
                throw new IllegalArgumentException("--objective and --overshooting are PlaNet options; Dreamer trains the variational model");
            DreamerConfig d = DreamerConfig.preset(s.preset());
            if (s.latent() != null) d = d.withLatent(s.latent());
            // CartPole-v1 and Acrobot-v1 end on failure or success: without a continuation head the
            // imagined returns cannot see the episode end (CartPole's reward is +1 to the last step)
            if (discrete) d = d.withOptions(new WorldModel.Options(d.options().freeNatsAfterMean(), d.options().klBalance(), true));
            int repeat = s.actionRepeat() != null ? s.actionRepeat() : defaultRepeat(s.env(), d.world().actionRepeat());
            d = d.withActionRepeat(repeat);
            if (!s.settings().isEmpty()) d = DreamerConfig.fromMap(ConfigOverrides.apply(d.toMap(), s.settings()));
            return new DreamerLearner(d, actions, discrete, s.seed());
        }
        if (s.latent() != null)
            throw new IllegalArgumentException("--latent is a Dreamer option (gaussian or categorical); PlaNet keeps its Gaussian state");
        if (discrete)
            throw new IllegalArgumentException(s.env() + " has discrete actions; PlaNet plans over continuous actions"
                    + " (use a task with a box action space, or --agent dreamer)");
        PlanetConfig c = PlanetConfig.preset(s.preset());
        if (s.objective() != null) c = c.withObjective(s.objective());
        if (s.overshooting() > 1) c = c.withOvershooting(s.overshooting(), 1f);
        int repeat = s.actionRepeat() != null ? s.actionRepeat() : defaultRepeat(s.env(), c.actionRepeat());
        c = c.withActionRepeat(repeat);
        if (!s.settings().isEmpty()) c = PlanetConfig.fromMap(ConfigOverrides.apply(c.toMap(), s.settings()));
        return new PlanetLearner(c, actions, s.seed());
    }

    /** PlaNet's per-task action repeat (REFERENCE.md); others keep the preset's. */
    static int defaultRepeat(String env, int preset) {
        return switch (env) {
            case "cartpole-swingup", "cartpole-balance", "cartpole-swingup-sparse" -> 8;
            case "reacher-easy", "reacher-hard" -> 4;
            default -> preset;
        };
    }

    /** Trains (fresh or resumed), then writes curve.png and dream.gif and prints the result. */
    static Trainer.Summary run(RunDir run, Learner learner, String env, long seed, boolean resume, Trainer.Budget budget,
                               PrintStream out) {
        Trainer trainer = resume ? Trainer.resume(run, learner) : Trainer.create(run, learner, env, seed);
        if (resume) out.printf(Locale.ROOT, "resuming %s at episode %d, %d train steps%n", run.path(), trainer.episodes(), trainer.trainSteps());
        ProgressBar bar = new ProgressBar(out);
        Trainer.Summary s;
        try {
            s = trainer.run(budget, bar);
        } finally {
            if (!run.readMetrics().isEmpty()) CurvePlot.write(run);
        }
        writeDream(run, learner, env, seed);
        out.printf(Locale.ROOT, "%nrun directory: %s%n", run.path().toAbsolutePath());
        out.printf(Locale.ROOT, "evaluation return over %d episodes: %.1f +- %.1f  (random policy on the same seeds: %.1f +- %.1f)%n",
                s.evalReturns().size(), s.evalMean(), s.evalStd(), s.randomMean(), s.randomStd());
        out.printf(Locale.ROOT, "%d environment steps, %d episodes, %d gradient steps, %s wall time%n",
                s.envSteps(), s.episodes(), s.trainSteps(), ProgressBar.clock(s.wallSeconds()));
        out.printf(Locale.ROOT, "pictures: %s, %s%n", run.curve(), run.dream());
        return s;
    }

    /** Records one evaluation episode with the learner's agent and writes dream.gif from it. */
    static Path writeDream(RunDir run, Learner learner, String env, long seed) {
        int repeat = learner.schedule().actionRepeat();
        Agent agent = learner.agent(0f, new Rng(seed));
        EpisodeFile.Episode ep = record(Trainer.makeEnv(env, repeat), agent, seed);
        WorldModel model = switch (learner) {
            case PlanetLearner p -> p.model();
            case DreamerLearner d -> d.model();
            default -> throw new IllegalArgumentException("dream: no world model pictures for agent " + learner.kind());
        };
        List<Frame> frames = Dream.render(model, ep, Math.min(5, ep.steps()), 60, new Rng(seed));
        Video.writeGif(frames, run.dream(), 100);
        return run.dream();
    }

    static EpisodeFile.Episode record(Env env, Agent agent, long seed) {
        Frame f = (Frame) env.reset(seed).observation();
        agent.reset();
        List<byte[]> frames = new java.util.ArrayList<>(List.of(f.data()));
        List<float[]> actions = new java.util.ArrayList<>();
        List<Float> rewards = new java.util.ArrayList<>();
        boolean terminal;
        while (true) {
            float[] a = agent.act(f);
            Step s = env.step(a);
            f = (Frame) s.observation();
            frames.add(f.data());
            actions.add(a);
            rewards.add((float) s.reward());
            if (s.done()) {
                terminal = s.terminated();
                break;
            }
        }
        float[] r = new float[rewards.size()];
        for (int i = 0; i < r.length; i++) r[i] = rewards.get(i);
        return new EpisodeFile.Episode(64, 64, 3, actions.getFirst().length, frames.toArray(byte[][]::new),
                actions.toArray(float[][]::new), r, terminal);
    }

    static Path defaultOut(String agent, String env, long seed) {
        Path p = Path.of("runs", agent + "-" + env + "-seed" + seed);
        for (int i = 2; Files.exists(p.resolve("config.json")); i++) p = Path.of("runs", agent + "-" + env + "-seed" + seed + "-" + i);
        return p;
    }

    static Agents.Opened open(Path dir) {
        return Agents.open(dir, true);
    }
}
