package latte.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import latte.cli.dash.DashServer;
import latte.cli.dash.LiveView;
import latte.models.Agents;
import latte.models.family.Families;
import latte.models.loop.Learner;
import latte.models.loop.Trainer;
import latte.models.run.RunDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latte train}: trains an agent into a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an agent; writes a run directory (config, metrics, checkpoint, curve.png, dream.gif, summary.json).",
                "Without --minutes or --episodes a run trains for 20 minutes, its final evaluation included."})
final class TrainCommand implements Callable<Integer> {
    /** The share of a run's time the live pictures may take. */
    static final double LIVE_SHARE = 0.05;
    static final String DEFAULT_AGENT = "planet", DEFAULT_ENV = "Pendulum-v1", DEFAULT_PRESET = "cpu";

    @Option(names = "--agent", description = "Agent: ${COMPLETION-CANDIDATES}. Default: " + DEFAULT_AGENT + ".",
            completionCandidates = AgentNames.class)
    String agent;

    @Option(names = "--env", description = "Environment (see 'latte envs'). Default: " + DEFAULT_ENV + ".")
    String env;

    @Option(names = "--preset", description = "Hyperparameters: paper, cpu or debug. Default: " + DEFAULT_PRESET + ".")
    String preset;

    @Option(names = "--minutes", description = "Wall-clock budget, final evaluation included. Default: 20 if --episodes is not given.")
    Double minutes;

    @Option(names = "--episodes", description = "Stop after this many collected episodes (seed episodes included).")
    Integer episodes;

    @Option(names = "--seed", description = "Seed of every random choice. Default: 0.")
    Long seed;

    @Option(names = "--out", description = "Run directory. Default: runs/<agent>-<env>-seed<seed>.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (its own settings; give a budget).")
    boolean resume;

    @Option(names = "--objective", description = "PlaNet's latent objective: variational or deterministic. Default: the preset's (variational).")
    String objective;

    @Option(names = "--overshooting", description = "PlaNet's latent overshooting distance (1 = off). Default: 1.")
    Integer overshooting;

    @Option(names = "--action-repeat", description = "Environment steps per decision (loop.actionRepeat). Default: PlaNet's for the task, else the preset's.")
    Integer actionRepeat;

    @Option(names = "--latent", description = "Dreamer's stochastic state: gaussian (Dreamer v1) or categorical"
            + " (DreamerV2: 32 x 32 one-hots for paper, 16 x 16 cpu, 4 x 4 debug; KL balancing 0.8). Default: gaussian.")
    String latent;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one hyperparameter by its dotted path in config.json"
            + " (repeatable), e.g. --set loop.batch=32 --set model.loss.freeNats=1; unknown names list the valid ones.")
    List<String> settings = new ArrayList<>();

    @Option(names = "--dashboard", arity = "0..1", fallbackValue = "" + DashServer.DEFAULT_PORT, paramLabel = "PORT",
            description = "Serve the live dashboard of this run (and the runs beside it) on 127.0.0.1:PORT (default "
                    + DashServer.DEFAULT_PORT + ", 0: any free port) while it trains, and after, until Ctrl-C.")
    Integer dashboard;

    @Option(names = "--bind", paramLabel = "ADDR", description = "The dashboard's address. Default: 127.0.0.1 (this machine only).")
    String bind = "127.0.0.1";

    static final class AgentNames extends ArrayList<String> {
        AgentNames() {
            super(Families.names());
        }
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        if (minutes != null && !(minutes > 0)) throw new IllegalArgumentException("--minutes must be positive, got " + minutes);
        if (episodes != null && episodes < 1) throw new IllegalArgumentException("--episodes must be at least 1, got " + episodes);
        Trainer.Budget budget = new Trainer.Budget(minutes == null ? (episodes == null ? 20 : 0) : minutes, episodes == null ? 0 : episodes);
        if (resume) {
            if (out == null) throw new IllegalArgumentException("--resume needs --out DIR (the run to continue)");
            if (!settings.isEmpty() || !options().isEmpty() || actionRepeat != null)
                throw new IllegalArgumentException("--set, --objective, --overshooting, --latent and --action-repeat apply to new runs;"
                        + " a resumed run keeps the settings in its config.json");
            Agents.Opened o = Agents.open(out, false);
            Object preset = latte.models.config.ConfigCodec.encode(o.learner().config()).get("preset");
            List<String> differ = new ArrayList<>();
            if (agent != null && !agent.equals(o.agent())) differ.add("--agent " + agent + " (the run's agent is " + o.agent() + ")");
            if (env != null && !env.equals(o.env())) differ.add("--env " + env + " (the run's env is " + o.env() + ")");
            if (this.preset != null && !this.preset.equals(preset)) differ.add("--preset " + this.preset + " (the run's preset is " + preset + ")");
            if (seed != null && seed != o.seed()) differ.add("--seed " + seed + " (the run's seed is " + o.seed() + ")");
            if (!differ.isEmpty())
                throw new IllegalArgumentException("--resume continues the run in " + out + " as it was started; it differs in "
                        + String.join(", ", differ) + ". Drop these options, or start a new run with another --out");
            return train(o.run(), o.learner(), o.env(), o.seed(), true, budget, start);
        }
        String a = agent != null ? agent : DEFAULT_AGENT, e = env != null ? env : DEFAULT_ENV;
        long s = seed != null ? seed : 0;
        List<String> all = new ArrayList<>();
        if (actionRepeat != null) all.add("loop.actionRepeat=" + actionRepeat);
        all.addAll(settings);
        Learner learner = Agents.create(new Agents.Spec(a, e, preset != null ? preset : DEFAULT_PRESET, s, options(), all));
        Path dir = out != null ? out : Training.defaultOut(a, e, s);
        return train(new RunDir(dir), learner, e, s, false, budget, start);
    }

    /** Trains; with --dashboard, serves the run's folder while it trains and draws the live pictures, then serves until Ctrl-C. */
    private int train(RunDir run, Learner learner, String env, long seed, boolean resume, Trainer.Budget budget, long start) {
        if (dashboard == null) {
            if (!bind.equals("127.0.0.1")) throw new IllegalArgumentException("--bind applies to --dashboard");
            Training.run(run, learner, env, seed, resume, budget, System.out, start);
            return 0;
        }
        Path dir = run.path().toAbsolutePath().normalize(), folder = dir.getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot create " + folder + ": " + ex.getMessage(), ex);
        }
        DashServer.Options options = DashServer.Options.of(folder, ResultsCommand::markdown).withBind(bind).withPort(dashboard)
                .withLive(dir.getFileName().toString());
        try (DashServer server = ServeCommand.start(options)) {
            System.out.println("dashboard: " + server.uri());
            System.out.flush();
            Training.run(run, learner, env, seed, resume, budget, System.out, start,
                    l -> LiveView.around(l, run, learner, seed, LIVE_SHARE));
            System.out.println("dashboard: " + server.uri() + " stays up until Ctrl-C");
            System.out.flush();
            new CountDownLatch(1).await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The family options given, by name, in a fixed order. */
    private Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        if (objective != null) o.put("objective", objective);
        if (overshooting != null) o.put("overshooting", Integer.toString(overshooting));
        if (latent != null) o.put("latent", latent);
        return o;
    }
}
