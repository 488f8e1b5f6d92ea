package latte.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code latte train}: trains an agent into a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an agent; writes a run directory (config, metrics, checkpoint, curve.png, dream.gif, summary.json).",
                "Without --minutes or --episodes a run trains for 20 minutes, its final evaluation included."})
final class TrainCommand implements Callable<Integer> {
    /** The share of a run's time the live pictures may take. */
    static final double LIVE_SHARE = 0.05;
    static final String DEFAULT_AGENT = "planet", DEFAULT_ENV = "Pendulum-v1";

    @Option(names = "--agent", description = "Agent: ${COMPLETION-CANDIDATES}. Default: " + DEFAULT_AGENT + ".",
            completionCandidates = AgentNames.class)
    String agent;

    @Option(names = "--env", description = "Environment (see 'latte envs'). Default: " + DEFAULT_ENV + ".")
    String env;

    @Option(names = "--seed", description = "Seed of every random choice. Default: 0.")
    Long seed;

    @Option(names = "--out", description = "Run directory. Default: runs/<agent>-<env>-seed<seed>.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (its own settings; give a budget).")
    boolean resume;

    @Mixin
    CellOptions run = new CellOptions();

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
        Trainer.Budget budget = run.budget();
        if (resume) {
            if (out == null) throw new IllegalArgumentException("--resume needs --out DIR (the run to continue)");
            if (!run.settings.isEmpty() || !run.options().isEmpty() || run.actionRepeat != null)
                throw new IllegalArgumentException("--set, --objective, --overshooting, --latent and --action-repeat apply to new runs;"
                        + " a resumed run keeps the settings in its config.json");
            Agents.Opened o = Agents.open(out, false);
            Object preset = latte.models.config.ConfigCodec.encode(o.learner().config()).get("preset");
            List<String> differ = new ArrayList<>();
            if (agent != null && !agent.equals(o.agent())) differ.add("--agent " + agent + " (the run's agent is " + o.agent() + ")");
            if (env != null && !env.equals(o.env())) differ.add("--env " + env + " (the run's env is " + o.env() + ")");
            if (run.preset != null && !run.preset.equals(preset)) differ.add("--preset " + run.preset + " (the run's preset is " + preset + ")");
            if (seed != null && seed != o.seed()) differ.add("--seed " + seed + " (the run's seed is " + o.seed() + ")");
            if (!differ.isEmpty())
                throw new IllegalArgumentException("--resume continues the run in " + out + " as it was started; it differs in "
                        + String.join(", ", differ) + ". Drop these options, or start a new run with another --out");
            return train(o.run(), o.learner(), o.env(), o.seed(), true, budget, start);
        }
        String a = agent != null ? agent : DEFAULT_AGENT, e = env != null ? env : DEFAULT_ENV;
        long s = seed != null ? seed : 0;
        Learner learner = Agents.create(new Agents.Spec(a, e, run.preset(), s, run.options(), run.allSettings()));
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
}
