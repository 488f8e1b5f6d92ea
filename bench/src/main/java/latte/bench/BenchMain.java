package latte.bench;

import latte.core.kernels.Simd;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./latte bench <suite> [--quick] [--peer LABEL=FILE]... [--report FILE] [JMH options]}:
 * runs a suite of {@link Suites} through the JMH Runner API, keeps the JMH JSON under
 * {@code target/bench/<suite>-<timestamp>.json} (relative to the working directory) and prints the
 * suite's table with the machine facts.
 *
 * <ul>
 *   <li>Suites with a peer program ({@link Peers}) run it after JMH and join its columns, unless
 *       {@code --peer} or {@code --no-peers} is given.</li>
 *   <li>{@code --quick}: fewer workloads, one fork, warmup 3 x 2 s, measurement 5 x 1 s (JMH
 *       options given explicitly win).</li>
 *   <li>{@code --peer LABEL=FILE}: joins a peer's JSON list of {workload, threads, seconds_per_op}
 *       (e.g. the PyTorch script's output) as extra columns.</li>
 *   <li>{@code --report FILE}: prints the table of an existing JMH JSON file without running.</li>
 *   <li>Anything else goes to JMH ({@code -f 1 -wi 3 -w 2s -i 5 -r 1s -prof gc -p shape=...}).</li>
 * </ul>
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws IOException, RunnerException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.println(help());
            return args.length == 0 ? 2 : 0;
        }
        Suite suite = Suites.find(args[0]);
        if (suite == null) {
            System.err.println("bench: unknown suite '" + args[0] + "'\n\n" + help());
            return 2;
        }
        boolean quick = false, runPeers = true;
        Path report = null;
        List<Report.Peer> peers = new ArrayList<>();
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-peers" -> runPeers = false;
                case "--peer", "--report" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("bench: " + args[i] + " needs a value");
                        return 2;
                    }
                    if (args[i].equals("--peer")) peers.add(Report.Peer.parse(args[++i]));
                    else report = Path.of(args[++i]);
                }
                default -> jmhArgs.add(args[i]);
            }
        }
        Report table = new Report(suite);
        if (report == null) {
            report = runJmh(suite, quick, jmhArgs, table);
            if (report == null) return 2;
            if (runPeers && peers.isEmpty()) peers.addAll(Peers.run(suite.name(), quick, table));
        }
        table.addJmh(report);
        for (Report.Peer p : peers) table.addPeer(p);
        System.out.println();
        System.out.println("== " + suite.name() + ": " + suite.description());
        System.out.println(machine());
        System.out.println("JMH results: " + report);
        System.out.println();
        System.out.print(table.render());
        return 0;
    }

    /** Runs the suite; returns the JSON result path, or null after printing a usage error. */
    private static Path runJmh(Suite suite, boolean quick, List<String> jmhArgs, Report table)
            throws IOException, RunnerException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("bench: bad JMH option: " + e.getMessage());
            return null;
        }
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cmd);
        if (cmd.getIncludes().isEmpty()) b.include(suite.include());
        for (Suite.Probe probe : suite.probes()) {
            String missing = probe.missing().get();
            if (missing != null) {
                String msg = missing + " -- skipping " + probe.exclude();
                System.out.println(msg);
                table.note(msg);
                b.exclude(probe.exclude());
            }
        }
        if (quick) {
            if (!cmd.getForkCount().hasValue()) b.forks(1);
            Suite.QuickRun q = suite.quickRun();
            if (!cmd.getWarmupIterations().hasValue()) b.warmupIterations(q != null ? q.warmupIterations() : 3);
            if (!cmd.getWarmupTime().hasValue() && q == null) b.warmupTime(TimeValue.seconds(2));
            if (!cmd.getMeasurementIterations().hasValue()) b.measurementIterations(q != null ? q.measurementIterations() : 5);
            if (!cmd.getMeasurementTime().hasValue() && q == null) b.measurementTime(TimeValue.seconds(1));
            for (Map.Entry<String, String[]> e : suite.quick().entrySet())
                if (!cmd.getParameter(e.getKey()).hasValue()) b.param(e.getKey(), e.getValue());
        }
        Path out;
        if (cmd.getResult().hasValue()) {
            out = Path.of(cmd.getResult().get());
        } else {
            String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            out = Path.of("target", "bench", suite.name() + "-" + stamp + ".json");
            Files.createDirectories(out.getParent());
            b.result(out.toString());
        }
        b.resultFormat(ResultFormatType.JSON);
        System.out.println("bench: " + suite.name() + (quick ? " (quick)" : "") + " -- load average before: " + loadAverage());
        runWaitingForLock(b);
        System.out.println("bench: load average after: " + loadAverage());
        return out;
    }

    /**
     * Runs JMH; while another JMH run holds its machine-wide lock (another benchmark on this
     * machine), waits for it rather than measuring two runs on top of each other.
     */
    private static void runWaitingForLock(ChainedOptionsBuilder b) throws RunnerException {
        long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
        boolean told = false;
        while (true) {
            try {
                new Runner(b.build()).run();
                return;
            } catch (RunnerException e) {
                if (e.getMessage() == null || !e.getMessage().contains("JMH lock") || System.nanoTime() > deadline) throw e;
                if (!told) {
                    System.out.println("bench: another JMH run holds /tmp/jmh.lock; waiting for it (up to 30 min) ...");
                    told = true;
                }
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static String help() {
        StringBuilder s = new StringBuilder("""
                usage: ./latte bench <suite> [--quick] [--peer LABEL=FILE]... [--report FILE] [JMH options]

                  --quick            fewer workloads, 1 fork, warmup 3x2s, measurement 5x1s (planet, dreamer: 2 + 3 single shots)
                  --peer LABEL=FILE  join a peer JSON list of {workload, threads, seconds_per_op}
                  --no-peers         do not run the suite's peer program (conv, gru, planet, dreamer: PyTorch)
                  --report FILE      print the table of an existing JMH JSON result, do not run
                  JMH options        e.g. -f 1 -wi 3 -w 2s -i 5 -r 1s -prof gc -p shape=256x256x256

                suites:
                """);
        for (Suite x : Suites.ALL) s.append(String.format("  %-12s %s%n", x.name(), x.description()));
        s.append("\nResults: target/bench/<suite>-<UTC timestamp>.json (JMH JSON), table on stdout.");
        return s.toString();
    }

    /** CPU, JDK, vector width, cores, load, date: printed with every table. */
    static String machine() {
        return "machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs"
                + "\nJDK: " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
                + "\nvector: " + Simd.describe()
                + "\nOpenBLAS: " + OpenBlas.describe()
                + (System.getenv("OPENBLAS_CORETYPE") != null ? "\n  note: OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE")
                        + " in the environment forces OpenBLAS's kernels; for its own choice run: env -u OPENBLAS_CORETYPE ./latte bench ..." : "")
                + "\nload average: " + loadAverage()
                + "\ndate: " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + "Z";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
