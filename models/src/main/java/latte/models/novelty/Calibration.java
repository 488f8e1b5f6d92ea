package latte.models.novelty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import latte.core.Rng;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;

/**
 * The thresholds of novelty detection, from the scores the model gave the data it was trained
 * on: per score kind, quantiles of the per-step scores ({@link Novelty}) on the replay's last
 * episodes. No constant is tuned (Zollicoffer et al. 2025): a detector alarms when a step scores
 * above, say, the 99% quantile, so on data like the training data about 1% of steps alarm. The
 * empirical distribution is used rather than a parametric fit because with free nats the
 * training KL sits near its floor with a long right tail.
 * <pre>
 *   x_(1) <= ... <= x_(n)  the sorted scores;   h = (n - 1) p
 *   q(p) = x_(floor h + 1) + (h - floor h) (x_(floor h + 2) - x_(floor h + 1))     linear interpolation (NumPy's default)
 * </pre>
 * Written as {@code calibration.json} in the run directory (atomically) at the end of training
 * by {@link latte.models.loop.Trainer} for families with a world model, or afterwards by
 * {@code latte ood --calibrate}.
 *
 * @param episodes  the replay episodes scored
 * @param steps     scored steps per kind (the same for every kind)
 * @param quantiles per kind, the quantile at each of {@link #LEVELS}
 * @param means     per kind, the mean score
 */
public record Calibration(String source, int episodes, long steps, Map<Novelty.Kind, double[]> quantiles,
                          Map<Novelty.Kind, Double> means) {
    /** The quantile levels stored. */
    public static final double[] LEVELS = {0.95, 0.99, 0.999};
    /** The level a detector uses unless told otherwise. */
    public static final double DEFAULT_LEVEL = 0.99;
    /** How many of the replay's last episodes are scored. */
    public static final int EPISODES = 10;
    /** The file name in a run directory. */
    public static final String FILE = "calibration.json";

    public Calibration {
        quantiles = Map.copyOf(quantiles);
        means = Map.copyOf(means);
        for (double[] q : quantiles.values())
            if (q.length != LEVELS.length) throw new IllegalArgumentException("Calibration: " + q.length + " quantiles, expected " + LEVELS.length);
    }

    /** The file of {@code run}. */
    public static Path file(RunDir run) {
        return run.path().resolve(FILE);
    }

    /** The kinds calibrated. */
    public boolean has(Novelty.Kind kind) {
        return quantiles.containsKey(kind);
    }

    /** The threshold of {@code kind} at {@code level}, one of {@link #LEVELS}. */
    public double threshold(Novelty.Kind kind, double level) {
        double[] q = quantiles.get(kind);
        if (q == null) throw new IllegalArgumentException("Calibration: no " + kind.label() + " scores were calibrated; have " + quantiles.keySet());
        for (int i = 0; i < LEVELS.length; i++) if (LEVELS[i] == level) return q[i];
        throw new IllegalArgumentException("Calibration: level " + level + " is not calibrated; valid levels: " + levels());
    }

    /** The stored levels, as text. */
    public static String levels() {
        return String.join(", ", Arrays.stream(LEVELS).mapToObj(Calibration::percent).toList());
    }

    /** 0.999 as "99.9%". */
    public static String percent(double level) {
        String s = String.format(Locale.ROOT, "%.1f", level * 100);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
    }

    /** The quantile of sorted values at level {@code p} in [0, 1], by linear interpolation between order statistics. */
    public static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Calibration: quantile level " + p + " not in [0, 1]");
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The calibration of {@code novelty} on {@code episodes} (episodes of fewer than two steps are skipped). */
    public static Calibration measure(Novelty novelty, List<EpisodeFile.Episode> episodes, String source, Rng rng) {
        Map<Novelty.Kind, List<double[]>> byKind = new EnumMap<>(Novelty.Kind.class);
        int used = 0;
        for (EpisodeFile.Episode ep : episodes) {
            if (ep.steps() < 2) continue;
            Novelty.Scores s = novelty.score(ep, rng);
            for (Novelty.Kind k : novelty.kinds()) byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(s.of(k));
            used++;
        }
        if (used == 0) throw new IllegalArgumentException("Calibration: no episode of at least two steps to score in " + source);
        Map<Novelty.Kind, double[]> q = new EnumMap<>(Novelty.Kind.class);
        Map<Novelty.Kind, Double> m = new EnumMap<>(Novelty.Kind.class);
        long steps = 0;
        for (Map.Entry<Novelty.Kind, List<double[]>> e : byKind.entrySet()) {
            double[] all = Detection.pool(e.getValue(), 0);
            Arrays.sort(all);
            steps = all.length;
            double[] qs = new double[LEVELS.length];
            for (int i = 0; i < qs.length; i++) qs[i] = quantile(all, LEVELS[i]);
            q.put(e.getKey(), qs);
            m.put(e.getKey(), Arrays.stream(all).average().orElse(Double.NaN));
        }
        return new Calibration(source, used, steps, q, m);
    }

    /**
     * The calibration on the last {@link #EPISODES} episode files of {@code run} up to episode
     * {@code last} (the replay's newest; pruned episodes are gone from disk and skipped).
     */
    public static Calibration ofRun(RunDir run, int last, Novelty novelty, Rng rng) {
        List<EpisodeFile.Episode> eps = new ArrayList<>();
        int first = last;
        for (int i = last; i >= 1 && eps.size() < EPISODES; i--) {
            if (!Files.exists(run.episode(i))) continue;
            eps.addFirst(EpisodeFile.read(run.episode(i)));
            first = i;
        }
        if (eps.isEmpty()) throw new IllegalArgumentException(run.path() + ": no episode files to calibrate on in " + run.episodes());
        return measure(novelty, eps, "replay episodes " + first + ".." + last, rng);
    }

    /** Writes {@code calibration.json} into {@code run}, atomically (a reader sees the old file or the new one). */
    public void write(RunDir run) {
        Map<String, Object> scores = new LinkedHashMap<>();
        for (Novelty.Kind k : Novelty.Kind.values()) {
            if (!quantiles.containsKey(k)) continue;
            Map<String, Object> one = new LinkedHashMap<>();
            for (int i = 0; i < LEVELS.length; i++) one.put(key(LEVELS[i]), finiteOrNull(quantiles.get(k)[i]));
            one.put("mean", finiteOrNull(means.get(k)));
            scores.put(k.label(), one);
        }
        run.writeJson(file(run), RunDir.record("version", 1, "source", source, "episodes", episodes, "steps", steps,
                "levels", Arrays.stream(LEVELS).boxed().toList(), "scores", scores));
    }

    /** Reads {@code calibration.json} of {@code run}; a run without one is an error saying how to make it. */
    public static Calibration read(RunDir run) {
        Path f = file(run);
        if (!Files.exists(f))
            throw new IllegalArgumentException(run.path() + " has no " + FILE + " (the thresholds from training scores; runs trained before"
                    + " it existed lack it): make one with  latte ood --run " + run.path() + " --calibrate");
        Map<String, Object> json = RunDir.readJson(f);
        if (!(json.get("scores") instanceof Map<?, ?> scores))
            throw new IllegalArgumentException(f + " is corrupt: no \"scores\"; remake it with latte ood --run " + run.path() + " --calibrate");
        Map<Novelty.Kind, double[]> q = new EnumMap<>(Novelty.Kind.class);
        Map<Novelty.Kind, Double> m = new EnumMap<>(Novelty.Kind.class);
        for (Map.Entry<?, ?> e : scores.entrySet()) {
            Novelty.Kind k = Novelty.Kind.of(String.valueOf(e.getKey()));
            Map<?, ?> one = (Map<?, ?>) e.getValue();
            double[] qs = new double[LEVELS.length];
            for (int i = 0; i < qs.length; i++) qs[i] = num(one.get(key(LEVELS[i])), f);
            q.put(k, qs);
            m.put(k, num(one.get("mean"), f));
        }
        return new Calibration(String.valueOf(json.get("source")), (int) num(json.get("episodes"), f), (long) num(json.get("steps"), f), q, m);
    }

    /** 0.99 as "p99", 0.999 as "p99.9". */
    static String key(double level) {
        return "p" + percent(level).replace("%", "");
    }

    /** JSON has no NaN or infinity: such a value is written as null (and read back as NaN). */
    static Double finiteOrNull(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static double num(Object o, Path f) {
        if (o instanceof Number n) return n.doubleValue();
        if (o == null) return Double.NaN;                              // JSON null: a NaN written out
        throw new IllegalArgumentException(f + " is corrupt: " + o + " is not a number");
    }
}
