package latte.cli;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import latte.autodiff.io.AtomicFile;
import latte.autodiff.io.Json;
import latte.cluster.Cell;
import latte.cluster.CellState;
import latte.cluster.Grid;
import latte.cluster.Members;
import latte.cluster.Sweep;
import latte.cluster.Worker;
import latte.models.Agents;
import latte.models.loop.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latte sweep}: one training run per cell of agents x environments x settings x seeds,
 * spread over the members of a Hazelcast cluster (this process is one; {@code latte worker}
 * adds more), gathered into one directory with a results table and a combined plot.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Train a grid of runs (agents x envs x --set values x seeds) on a cluster; gather them into --out with",
                "results.md (the table of 'latte results') and curves.png. Every train option applies to each cell.",
                "This process is a member; './latte worker --join ADDRESS' on other machines adds members. Re-running the",
                "command skips the cells done in --out and resumes unfinished ones from their last checkpoint.",
                "The cluster has no authentication: run it on a trusted network only (127.0.0.1 unless --bind is given)."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--agents", paramLabel = "A[,A...]", description = "Agents. Default: " + TrainCommand.DEFAULT_AGENT + ".")
    String agents = TrainCommand.DEFAULT_AGENT;

    @Option(names = "--envs", paramLabel = "ENV[,ENV...]", description = "Environments. Default: " + TrainCommand.DEFAULT_ENV + ".")
    String envs = TrainCommand.DEFAULT_ENV;

    @Option(names = "--seeds", paramLabel = "0-2|0,3", description = "Seeds: a list or ranges. Default: 0.")
    String seeds = "0";

    @Option(names = "--out", required = true, description = "Sweep directory: cells/NAME/ (a run directory per cell), results.md, curves.png.")
    Path out;

    @Option(names = "--local-members", description = "Members on this machine, each a JVM of its own: this one and N-1 workers it starts"
            + " (and stops). Default: 1.")
    int localMembers = 1;

    @Mixin
    CellOptions run = new CellOptions();

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        cluster.applyThreads();
        if (localMembers < 1) throw new IllegalArgumentException("--local-members " + localMembers + ": give at least 1 (this member)");
        Trainer.Budget budget = run.budget();
        List<Cell> cells = Grid.cells(Grid.list("--agents", agents), Grid.list("--envs", envs), Grid.seeds(seeds), run.preset(),
                run.options(), run.allSettings(), budget.minutes(), budget.episodes());
        validate(cells);
        writeSweepJson(cells);
        HazelcastInstance h = Members.start(cluster.member(List.of(), false));
        String address = Members.address(h);
        System.out.printf(Locale.ROOT, "latte sweep: %d cells into %s; coordinator %s (cluster '%s')%n", cells.size(), out, address,
                cluster.cluster);
        System.out.printf(Locale.ROOT, "latte sweep: add members with: ./latte worker --join %s%s%n", address,
                cluster.cluster.equals(Members.DEFAULT_CLUSTER) ? "" : " --cluster " + cluster.cluster);
        List<Process> local = new ArrayList<>();
        Sweep.Result r;
        try (Worker w = new Worker(h, cluster.worker(), System.out)) {
            for (int i = 1; i < localMembers; i++) local.add(LocalMembers.start(address, cluster, out.resolve("logs").resolve("worker-" + i + ".log")));
            w.start();
            r = new Sweep(h, out, cells).run(new SweepDisplay(System.out, cells.size()));
        } finally {
            for (Process p : local) p.destroy();
            h.shutdown();
            LocalMembers.awaitExit(local);
        }
        List<ResultsCommand.Run> runs = new ArrayList<>();
        for (Cell c : cells) if (Files.exists(Sweep.cellDir(out, c.name()).resolve("config.json"))) runs.add(ResultsCommand.read(Sweep.cellDir(out, c.name())));
        AtomicFile.write(out.resolve("results.md"), ResultsCommand.table(runs));
        CurvePlot.sweep(runs, out.resolve("curves.png"));
        int ran = cells.size() - r.skipped();
        System.out.printf(Locale.ROOT, "%nlatte sweep: %d cells done (%d now, %d before), %d failed, in %s%n",
                r.cells().stream().filter(c -> c.status() == CellState.Status.DONE).count(), ran - r.failed().size(), r.skipped(),
                r.failed().size(), ProgressBar.clock(r.wallSeconds()));
        if (ran > 0)
            System.out.printf(Locale.ROOT, "latte sweep: overhead per cell: %.2f s uploading checkpoints (%s), %.2f s gathering%n",
                    r.syncSeconds() / ran, mb(r.syncBytes() / ran), r.gatherSeconds() / ran);
        for (CellState f : r.failed()) System.out.println("latte sweep: failed: " + f.cell().name() + ": " + f.message());
        System.out.println("results: " + out.resolve("results.md") + ", " + out.resolve("curves.png"));
        return r.failed().isEmpty() ? 0 : 1;
    }

    /** Builds one learner per distinct configuration: a bad name or setting is refused before any member starts. */
    private static void validate(List<Cell> cells) {
        Map<String, Cell> distinct = new LinkedHashMap<>();
        for (Cell c : cells) distinct.putIfAbsent(c.agent() + "|" + c.env() + "|" + c.options() + "|" + c.settings(), c);
        for (Cell c : distinct.values()) Agents.create(c.spec()).loop().checkBudget(c.budget());
    }

    private void writeSweepJson(List<Cell> cells) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "latte " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        s.put("cells", cells.stream().map(Cell::name).toList());
        AtomicFile.write(out.resolve("sweep.json"), Json.write(s) + "\n");
    }

    static String mb(double bytes) {
        return bytes >= 1e6 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
    }

    /** Worker JVMs on this machine, started and stopped by the sweep. */
    static final class LocalMembers {
        private LocalMembers() {}

        static Process start(String address, ClusterOptions c, Path log) {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString())));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
                if (!a.startsWith("-Dlatte.threads=") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) cmd.add(a);
            if (c.threads != null) cmd.add("-Dlatte.threads=" + c.threads);
            if (System.getProperty("latte.backend") != null) cmd.add("-Dlatte.backend=" + System.getProperty("latte.backend"));   // --device
            String cp = System.getProperty("java.class.path");
            if (cp.endsWith(".jar") && !cp.contains(java.io.File.pathSeparator)) cmd.addAll(List.of("-jar", cp));   // latte.jar: its manifest's flags
            else cmd.addAll(List.of("-cp", cp, Main.class.getName()));
            cmd.addAll(List.of("worker", "--join", address, "--cluster", c.cluster, "--bind", c.bind, "--port", Integer.toString(c.port),
                    "--slots", Integer.toString(c.slots), "--sync-seconds", Double.toString(c.syncSeconds)));
            try {
                Files.createDirectories(log.getParent());
                return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a local member: " + e.getMessage(), e);
            }
        }

        /** Waits a little for stopped members, then ends them. */
        static void awaitExit(List<Process> ps) throws InterruptedException {
            for (Process p : ps) if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}
