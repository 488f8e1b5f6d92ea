package latte.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import latte.autodiff.io.AtomicFile;
import latte.models.run.RunDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code latte results}: one Markdown table of finished runs, read from their run directories
 * (config.json, summary.json, metrics.jsonl), so a results table is regenerated, never edited by
 * hand. Runs of one agent, environment and preset (and the same settings) share a row.
 */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Tabulate finished runs as one Markdown table, regenerated from their run directories.",
                "A row per agent, env, preset and settings: final evaluation per seed and across seeds, the random policy,",
                "episodes, environment and gradient steps, wall time and time per training step. A DIR is a run",
                "directory or a folder of them; runs without summary.json are listed as unfinished."})
final class ResultsCommand implements Callable<Integer> {
    static final String BEGIN = "<!-- results", END = "<!-- /results -->", COMMAND = "./latte results";
    /** The first line of the table of finished runs. */
    static final String HEADER = "| agent | env | preset | seeds | evaluation episodes | final evaluation per seed | across seeds"
            + " | random policy | episodes / env steps / gradient steps | wall minutes | time per training step |";

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Run directories, or folders holding run directories.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--out", description = "Write the table to this file instead of standard output.")
    Path out;

    @Option(names = "--readme", description = "Rewrite the table between '" + BEGIN + " ...-->' and '" + END + "' in this file;"
            + " without DIR, the run directories of the command recorded there.")
    Path readme;

    /** What one run directory says about itself. */
    record Run(Path dir, String agent, String env, String preset, long seed, Map<String, Object> config, Map<String, Object> summary,
               Map<String, Object> state, double stepMs) {
        boolean finished() {
            return summary != null;
        }

        double num(String key) {
            Map<String, Object> m = summary != null ? summary : state;
            return m != null && m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    @Override
    public Integer call() {
        List<Path> from = dirs;
        String text = null;
        if (readme != null) {
            text = readText(readme);
            if (from.isEmpty()) from = recordedDirs(text, readme);
        }
        if (from.isEmpty()) throw new IllegalArgumentException("results: give at least one run directory (or a folder of them)");
        String table = table(collect(from));
        if (readme != null) {
            String command = COMMAND + " " + String.join(" ", from.stream().map(Path::toString).toList());
            AtomicFile.write(readme, replaceRegion(text, command, table, readme));
            System.out.println("rewrote the results in " + readme + " (" + command + ")");
        } else if (out != null) {
            AtomicFile.write(out, table);
            System.out.println("wrote " + out.toAbsolutePath());
        } else {
            System.out.print(table);
        }
        return 0;
    }

    /** The table of the runs in {@code dirs} (run directories or folders of them), as the command prints it. */
    static String markdown(List<Path> dirs) {
        return table(collect(dirs));
    }

    /** The runs in {@code dirs}: each is a run directory (it has config.json) or a folder whose run directories are taken. */
    static List<Run> collect(List<Path> dirs) {
        List<Run> runs = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.exists(d.resolve("config.json"))) {
                runs.add(read(d));
                continue;
            }
            if (!Files.isDirectory(d)) throw new IllegalArgumentException("results: " + d + " does not exist");
            List<Path> children;
            try (Stream<Path> s = Files.list(d)) {
                children = s.filter(c -> Files.exists(c.resolve("config.json"))).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (children.isEmpty())
                throw new IllegalArgumentException("results: " + d + " is neither a run directory (no config.json) nor a folder of run directories");
            for (Path c : children) runs.add(read(c));
        }
        return runs;
    }

    @SuppressWarnings("unchecked")
    static Run read(Path dir) {
        RunDir run = new RunDir(dir);
        Map<String, Object> cfg = RunDir.readJson(run.config());
        Map<String, Object> config = cfg.get("config") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> summary = Files.exists(run.summary()) ? RunDir.readJson(run.summary()) : null;
        Map<String, Object> state = Files.exists(run.state()) ? RunDir.readJson(run.state()) : null;
        double[] ms = run.readMetrics().stream().filter(r -> "train".equals(r.get("type")) && r.get("trainStepMs") instanceof Number)
                .mapToDouble(r -> ((Number) r.get("trainStepMs")).doubleValue()).sorted().toArray();
        double median = ms.length == 0 ? Double.NaN : ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
        return new Run(dir, String.valueOf(cfg.get("agent")), String.valueOf(cfg.get("env")), String.valueOf(config.get("preset")),
                cfg.get("seed") instanceof Number n ? n.longValue() : 0, config, summary, state, median);
    }

    /** The Markdown: a row per agent, environment, preset and settings; then the unfinished runs, if any. */
    static String table(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        List<Run> finished = runs.stream().filter(Run::finished).toList(), unfinished = runs.stream().filter(r -> !r.finished()).toList();
        if (!finished.isEmpty()) {
            sb.append(HEADER).append('\n');
            sb.append("|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, List<Run>> row : groups(finished).entrySet()) {
                List<Run> g = row.getValue().stream().sorted(Comparator.comparingLong(Run::seed)).toList();
                Run first = g.getFirst();
                StringBuilder perSeed = new StringBuilder();
                for (Run r : g) {
                    if (!perSeed.isEmpty()) perSeed.append(", ");
                    perSeed.append(r.seed()).append(": ").append(meanStd(r.num("evalReturnMean"), r.num("evalReturnStd")));
                }
                double[] means = g.stream().mapToDouble(r -> r.num("evalReturnMean")).toArray();
                String across = g.size() == 1 ? fmt(means[0]) : meanStd(mean(means), std(means));
                sb.append("| ").append(first.agent()).append(" | ").append(first.env()).append(" | ").append(row.getKey().split("\t")[2])
                        .append(" | ").append(g.size()).append(" | ").append(range(g, r -> r.num("evalEpisodes"), "%.0f"))
                        .append(" | ").append(perSeed).append(" | **").append(across).append("**")
                        .append(" | ").append(fmt(mean(g.stream().mapToDouble(r -> r.num("randomReturnMean")).toArray())))
                        .append(" | ").append(range(g, r -> r.num("episodes"), "%,.0f"))
                        .append(" / ").append(range(g, r -> r.num("envSteps"), "%,.0f"))
                        .append(" / ").append(range(g, r -> r.num("trainSteps"), "%,.0f"))
                        .append(" | ").append(range(g, r -> r.num("wallSeconds") / 60, "%.1f"))
                        .append(" | ").append(range(g, Run::stepMs, "%.0f")).append(g.stream().allMatch(r -> Double.isNaN(r.stepMs())) ? "" : " ms")
                        .append(" |\n");
            }
            sb.append("\nFinal evaluation: episodes without exploration noise on fixed seeds, mean +- std over the episodes; across seeds: mean +- std of the"
                            + " seeds' means; random policy: mean over the same evaluation seeds. Time per training step: median of the"
                            + " run's training rounds (a range over the seeds).\n");
        }
        if (!unfinished.isEmpty()) {
            sb.append(finished.isEmpty() ? "" : "\n").append("Unfinished runs (no summary.json), as of their last checkpoint:\n\n");
            sb.append("| run | agent | env | preset | seed | episodes | env steps | gradient steps | minutes so far |\n");
            sb.append("|---|---|---|---|---:|---:|---:|---:|---:|\n");
            for (Run r : unfinished)
                sb.append("| ").append(r.dir()).append(" | ").append(r.agent()).append(" | ").append(r.env()).append(" | ").append(r.preset())
                        .append(" | ").append(r.seed()).append(" | ").append(count(r.num("episodes"))).append(" | ").append(count(r.num("envSteps")))
                        .append(" | ").append(count(r.num("trainSteps"))).append(" | ")
                        .append(Double.isNaN(r.num("wallSeconds")) ? "-" : String.format(Locale.ROOT, "%.1f", r.num("wallSeconds") / 60))
                        .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Runs by agent, environment, preset and settings, in the order first seen. Runs of one preset
     * whose settings differ (a --set, a file version) get rows of their own, labelled with the
     * settings that differ from the most common ones.
     */
    static Map<String, List<Run>> groups(List<Run> runs) {
        Map<String, List<Run>> byPreset = new LinkedHashMap<>();
        for (Run r : runs) byPreset.computeIfAbsent(r.agent() + "\t" + r.env() + "\t" + r.preset(), k -> new ArrayList<>()).add(r);
        Map<String, List<Run>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Run>> e : byPreset.entrySet()) {
            Map<Map<String, String>, List<Run>> bySettings = new LinkedHashMap<>();
            for (Run r : e.getValue()) bySettings.computeIfAbsent(flatten(r.config()), k -> new ArrayList<>()).add(r);
            Map<String, String> common = bySettings.entrySet().stream().max(Comparator.comparingInt(s -> s.getValue().size()))
                    .orElseThrow().getKey();
            for (Map.Entry<Map<String, String>, List<Run>> s : bySettings.entrySet())
                out.put(e.getKey() + differences(s.getKey(), common), s.getValue());
        }
        return out;
    }

    /** ", key=value" for each setting that differs from {@code common} (three at most), or "". */
    private static String differences(Map<String, String> settings, Map<String, String> common) {
        List<String> d = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet())
            if (!e.getValue().equals(common.get(e.getKey())) && !e.getKey().equals("preset")) d.add(e.getKey() + "=" + e.getValue());
        for (String k : common.keySet()) if (!settings.containsKey(k) && !k.equals("preset")) d.add(k + " unset");
        if (d.isEmpty()) return "";
        return " with " + String.join(", ", d.subList(0, Math.min(3, d.size()))) + (d.size() > 3 ? ", ..." : "");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> flatten(Map<String, Object> config) {
        Map<String, String> out = new TreeMap<>();
        config.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) flatten((Map<String, Object>) m).forEach((k2, v2) -> out.put(k + "." + k2, v2));
            else out.put(k, String.valueOf(v));
        });
        return out;
    }

    /** The region's text: the command that made the table, then the table. */
    static String replaceRegion(String text, String command, String table, Path file) {
        int begin = text.indexOf(BEGIN), end = text.indexOf(END);
        if (begin < 0 || end < begin)
            throw new IllegalArgumentException("results: " + file + " has no region '" + BEGIN + " ... -->' ... '" + END + "' to rewrite");
        int afterMarker = text.indexOf("-->", begin) + 3;
        return text.substring(0, afterMarker) + "\n```bash\n" + command + "\n```\n\n" + table + text.substring(end);
    }

    /** The run directories of the command recorded in the file's results region. */
    static List<Path> recordedDirs(String text, Path file) {
        int begin = text.indexOf(BEGIN), end = text.indexOf(END);
        if (begin >= 0 && end > begin)
            for (String line : text.substring(begin, end).split("\n"))
                if (line.startsWith(COMMAND + " "))
                    return Arrays.stream(line.substring(COMMAND.length()).trim().split("\\s+"))
                            .filter(a -> !a.startsWith("-")).map(Path::of).toList();
        throw new IllegalArgumentException("results: no '" + COMMAND + " DIR...' line in the results region of " + file + "; give DIR");
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("results: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A return, to the precision that matters: no decimals from 100 on, one from 10, two below. */
    static String fmt(double x) {
        if (Double.isNaN(x)) return "-";
        double a = Math.abs(x);
        return String.format(Locale.ROOT, a >= 99.5 ? "%.0f" : a >= 9.95 ? "%.1f" : "%.2f", x);
    }

    /** "mean +- std", the std to the mean's precision. */
    static String meanStd(double mean, double std) {
        String m = fmt(mean);
        int dot = m.indexOf('.');
        int decimals = dot < 0 ? 0 : m.length() - dot - 1;
        return m + " +- " + (Double.isNaN(std) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", std));
    }

    private static String count(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%,.0f", x);
    }

    /** "lo-hi" of a figure over the runs, or the one value when they agree at the format's precision. */
    private static String range(List<Run> g, ToDoubleFunction<Run> f, String format) {
        double[] v = g.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) return "-";
        String lo = String.format(Locale.ROOT, format, Arrays.stream(v).min().orElseThrow()),
                hi = String.format(Locale.ROOT, format, Arrays.stream(v).max().orElseThrow());
        return lo.equals(hi) ? lo : lo + "-" + hi;
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    /** The standard deviation over the values (population, as the trainer's over episodes). */
    static double std(double[] x) {
        double m = mean(x);
        return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / Math.max(1, x.length));
    }
}
