package latte.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a JMH JSON result file (plus optional peer JSON files) into the per-workload table of a
 * {@link Suite}: rate per column, the ratio column, and the geometric mean of the ratios.
 *
 * <p>A peer file is a JSON list of {@code {"workload": ..., "threads": n, "seconds_per_op": s}}
 * where {@code workload} is the suite's row name (for gemm the shape string, e.g.
 * {@code "50x600x200"} or {@code "1024x1024x1024:NT"}). Its rows appear as the column
 * {@code label} (threads 1) or {@code label xN}.
 */
public final class Report {
    /** A peer result file and the column label it gets. */
    public record Peer(String label, Path file) {
        /** Parses {@code LABEL=FILE}. */
        static Peer parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1)
                throw new IllegalArgumentException("--peer: expected LABEL=FILE, got '" + spec + "'");
            return new Peer(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
        }
    }

    /** Median seconds per op and allocation per op (NaN when not measured) of one cell. */
    record Cell(double secondsPerOp, double bytesPerOp) {}

    private final Suite suite;
    /** workload -> column label -> cell, rows in first-seen order. */
    private final Map<String, Map<String, Cell>> rows = new LinkedHashMap<>();
    private final Map<String, Double> workPerOp = new LinkedHashMap<>();
    private final List<String> columns = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    Report(Suite suite) {
        this.suite = suite;
        for (Suite.Column c : suite.columns()) columns.add(c.label());
    }

    /** Adds every result of {@code jmhJson} that belongs to the suite. */
    @SuppressWarnings("unchecked")
    Report addJmh(Path jmhJson) throws IOException {
        Object root = Json.parse(Files.readString(jmhJson));
        if (!(root instanceof List<?> list))
            throw new IllegalArgumentException(jmhJson + ": not a JMH JSON result list");
        Pattern include = Pattern.compile(suite.include());
        for (Object o : list) {
            Map<String, Object> r = (Map<String, Object>) o;
            String bench = (String) r.get("benchmark");
            if (bench == null || !include.matcher(bench).find()) continue;
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            String label = labelOf(method);
            if (label == null) continue;
            Map<String, String> params = new LinkedHashMap<>();
            Object ps = r.get("params");
            if (ps instanceof Map<?, ?> pm) pm.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            String workload = suite.workload().apply(params);
            workPerOp.put(workload, suite.work().applyAsDouble(params));
            Map<String, Object> pm = (Map<String, Object>) r.get("primaryMetric");
            double seconds = secondsPerOp(median(pm), (String) pm.get("scoreUnit"));
            double bytes = Double.NaN;
            Object sec = r.get("secondaryMetrics");
            if (sec instanceof Map<?, ?> sm) {
                for (Map.Entry<?, ?> e : sm.entrySet()) {
                    if (((String) e.getKey()).endsWith("gc.alloc.rate.norm"))
                        bytes = ((Number) ((Map<String, Object>) e.getValue()).get("score")).doubleValue();
                }
            }
            rows.computeIfAbsent(workload, w -> new LinkedHashMap<>()).put(label, new Cell(seconds, bytes));
        }
        return this;
    }

    /** Adds a peer's rows (a list of {workload, threads, seconds_per_op}). */
    @SuppressWarnings("unchecked")
    Report addPeer(Peer peer) throws IOException {
        Object root = Json.parse(Files.readString(peer.file()));
        if (!(root instanceof List<?> list))
            throw new IllegalArgumentException(peer.file() + ": expected a JSON list of {workload, threads, seconds_per_op}");
        for (Object o : list) {
            Map<String, Object> r = (Map<String, Object>) o;
            Object w = r.get("workload"), t = r.get("threads"), s = r.get("seconds_per_op");
            if (!(w instanceof String workload) || !(t instanceof Number threads) || !(s instanceof Number sec))
                throw new IllegalArgumentException(peer.file() + ": entry " + r
                        + " lacks workload (string), threads (number) or seconds_per_op (number)");
            String label = threads.intValue() == 1 ? peer.label() : peer.label() + " x" + threads.intValue();
            if (!columns.contains(label)) columns.add(label);
            rows.computeIfAbsent(workload, x -> new LinkedHashMap<>()).put(label, new Cell(sec.doubleValue(), Double.NaN));
        }
        return this;
    }

    /** Notes a message (e.g. a peer that was skipped) to print under the table. */
    void note(String message) {
        errors.add(message);
    }

    /** The table as text. */
    String render() {
        StringBuilder out = new StringBuilder();
        int w0 = "workload".length();
        for (String r : rows.keySet()) w0 = Math.max(w0, r.length());
        List<String> header = new ArrayList<>(columns);
        List<Suite.Ratio> ratios = suite.ratios();
        for (Suite.Ratio r : ratios) header.add(r.label());
        out.append(String.format(Locale.ROOT, "%-" + w0 + "s", "workload"));
        for (String h : header) out.append(String.format(Locale.ROOT, " %12s", h));
        out.append("   (").append(suite.unit()).append(")\n");
        double[] logSum = new double[ratios.size()];
        int[] count = new int[ratios.size()];
        boolean anyAlloc = false;
        for (Map.Entry<String, Map<String, Cell>> row : rows.entrySet()) {
            out.append(String.format(Locale.ROOT, "%-" + w0 + "s", row.getKey()));
            Double work = workPerOp.get(row.getKey());
            for (String col : columns) out.append(String.format(Locale.ROOT, " %12s", fmt(rate(work, row.getValue().get(col)))));
            for (int i = 0; i < ratios.size(); i++) {
                Suite.Ratio ratio = ratios.get(i);
                double r = rate(work, row.getValue().get(ratio.numerator())) / rate(work, row.getValue().get(ratio.denominator()));
                out.append(String.format(Locale.ROOT, " %12s", Double.isFinite(r) ? String.format(Locale.ROOT, "%.3f", r) : "-"));
                if (Double.isFinite(r) && r > 0) { logSum[i] += Math.log(r); count[i]++; }
            }
            out.append('\n');
            for (Cell c : row.getValue().values()) anyAlloc |= !Double.isNaN(c.bytesPerOp());
        }
        for (int i = 0; i < ratios.size(); i++)
            out.append(String.format(Locale.ROOT, "geometric mean %s over %d workloads: %s%n", ratios.get(i).label(), count[i],
                    count[i] == 0 ? "-" : String.format(Locale.ROOT, "%.3f", Math.exp(logSum[i] / count[i]))));
        if (anyAlloc) {
            out.append("\nallocation (B/op, JMH -prof gc):\n");
            out.append(String.format(Locale.ROOT, "%-" + w0 + "s", "workload"));
            for (String col : columns) out.append(String.format(Locale.ROOT, " %12s", col));
            out.append('\n');
            for (Map.Entry<String, Map<String, Cell>> row : rows.entrySet()) {
                out.append(String.format(Locale.ROOT, "%-" + w0 + "s", row.getKey()));
                for (String col : columns) {
                    Cell c = row.getValue().get(col);
                    out.append(String.format(Locale.ROOT, " %12s", c == null || Double.isNaN(c.bytesPerOp()) ? "-"
                            : String.format(Locale.ROOT, "%.1f", c.bytesPerOp())));
                }
                out.append('\n');
            }
        }
        for (String e : errors) out.append(e).append('\n');
        return out.toString();
    }

    private double rate(Double work, Cell c) {
        if (work == null || c == null || !(c.secondsPerOp() > 0)) return Double.NaN;
        return work / c.secondsPerOp() / suite.unitScale();
    }

    private static String fmt(double v) {
        if (!Double.isFinite(v)) return "-";
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.2f" : "%.4f", v);
    }

    private String labelOf(String method) {
        for (Suite.Column c : suite.columns()) if (c.method().equals(method)) return c.label();
        return null;
    }

    /** The median of all iterations (JMH's 50th percentile), else the mean score. */
    @SuppressWarnings("unchecked")
    private static double median(Map<String, Object> primary) {
        Object p = primary.get("scorePercentiles");
        if (p instanceof Map<?, ?> pm && ((Map<String, Object>) pm).get("50.0") instanceof Number n) return n.doubleValue();
        return ((Number) primary.get("score")).doubleValue();
    }

    /** Converts a JMH score in {@code unit} (time per op or ops per time) to seconds per op. */
    static double secondsPerOp(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2) throw new IllegalArgumentException("JMH unit '" + unit + "' is not X/Y");
        if (parts[1].equals("op")) return score * seconds(parts[0]);
        if (parts[0].equals("ops")) return seconds(parts[1]) / score;
        throw new IllegalArgumentException("JMH unit '" + unit + "' is neither time/op nor ops/time");
    }

    private static double seconds(String u) {
        return switch (u) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("JMH time unit '" + u + "' unknown");
        };
    }
}
