package latte.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One benchmark suite of {@code BenchMain}: which JMH benchmarks it runs and how its report reads.
 *
 * @param name        the command-line name ({@code ./latte bench <name>})
 * @param description one line for {@code --help}
 * @param include     JMH include regex selecting the suite's benchmarks
 * @param unit        the rate the table shows, e.g. {@code "GFLOP/s"}
 * @param unitScale   work units per displayed unit, e.g. {@code 1e9} for GFLOP/s from FLOPs
 * @param work        work units one benchmark op does, from the JMH params (e.g. 2mnk FLOPs)
 * @param workload    the row name from the JMH params; peer JSON rows join on it
 * @param columns     the benchmark methods shown, in order
 * @param ratio       numerator and denominator column labels of the ratio column (or null)
 * @param quick       JMH params for {@code --quick} (a smaller set of workloads)
 * @param probes      peers that may be missing on this machine: checked before the run
 * @param quickRun    iteration counts of {@code --quick} when the default (warmup 3 x 2 s,
 *                    measurement 5 x 1 s) does not fit, e.g. single-shot ops of seconds; or null
 * @param moreRatios  further ratio columns after {@code ratio} (e.g. the two-thread columns)
 */
public record Suite(String name, String description, String include, String unit, double unitScale,
                    ToDoubleFunction<Map<String, String>> work,
                    Function<Map<String, String>, String> workload,
                    List<Column> columns, Ratio ratio,
                    Map<String, String[]> quick, List<Probe> probes, QuickRun quickRun,
                    List<Ratio> moreRatios) {

    /** A suite with the default {@code --quick} iterations. */
    public Suite(String name, String description, String include, String unit, double unitScale,
                 ToDoubleFunction<Map<String, String>> work, Function<Map<String, String>, String> workload,
                 List<Column> columns, Ratio ratio, Map<String, String[]> quick, List<Probe> probes) {
        this(name, description, include, unit, unitScale, work, workload, columns, ratio, quick, probes, null, List.of());
    }

    /** Every ratio column: {@code ratio} (if any), then {@code moreRatios}. */
    public List<Ratio> ratios() {
        List<Ratio> all = new java.util.ArrayList<>();
        if (ratio != null) all.add(ratio);
        all.addAll(moreRatios);
        return all;
    }

    /** {@code --quick} warmup and measurement iteration counts (their times stay JMH's or the mode's). */
    public record QuickRun(int warmupIterations, int measurementIterations) {}

    /** A column of the table: the benchmark method name (last part of the JMH name) and its label. */
    public record Column(String method, String label) {}

    /** The ratio column {@code numerator / denominator} over column labels. */
    public record Ratio(String numerator, String denominator) {
        String label() {
            return numerator + "/" + denominator;
        }
    }

    /**
     * A peer that needs something outside the JVM (a native library). {@code missing} returns null
     * when the peer can run, else the one-line message to print; its benchmarks (the JMH exclude
     * regex {@code exclude}) are then skipped.
     */
    public record Probe(String exclude, Supplier<String> missing) {}
}
