package latte.models.novelty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well a per-step score separates perturbed steps from clean ones, and how a threshold on it
 * behaves as a detector (Zollicoffer et al., ICML 2025, section 5's three figures). NaN scores
 * (steps not scored) are left out everywhere; a step is an alarm when its score is strictly
 * above the threshold.
 * <pre>
 *   AUROC = (1 / |P||N|) sum_{p in P} sum_{n in N} ( [p > n] + 1/2 [p = n] )      Mann-Whitney U / |P||N|
 *   false alarms: episodes of clean runs with any alarm / clean episodes;  alarms / scored clean steps
 *   delay = min{ t >= at : score_t > threshold } - at, per perturbed episode (never: undetected)
 * </pre>
 * AUROC is the probability that a random perturbed step outscores a random clean one (ties
 * count half): 0.5 is chance, 1 perfect separation, whatever the threshold.
 */
public final class Detection {
    private Detection() {}

    /** The clean episodes' alarms. */
    public record FalseAlarms(int episodes, int alarmedEpisodes, long steps, long alarmedSteps) {
        /** Fraction of clean episodes with at least one alarm. */
        public double episodeRate() {
            return episodes == 0 ? Double.NaN : (double) alarmedEpisodes / episodes;
        }

        /** Fraction of scored clean steps that are alarms. */
        public double stepRate() {
            return steps == 0 ? Double.NaN : (double) alarmedSteps / steps;
        }
    }

    /** The perturbed episodes' delays from onset to the first alarm; {@code undetected} episodes never alarmed after onset. */
    public record Delays(int[] delays, int undetected) {
        /** The median delay of the detected episodes (mean of the two middle ones for an even count); NaN when none was. */
        public double median() {
            return Detection.median(delays);
        }
    }

    /** Mann-Whitney AUROC of {@code positives} against {@code negatives}, ties counted half (average ranks); NaN when either is empty. */
    public static double auroc(double[] positives, double[] negatives) {
        double[] p = finite(positives), n = finite(negatives);
        if (p.length == 0 || n.length == 0) return Double.NaN;
        int total = p.length + n.length;
        double[][] all = new double[total][];                   // {value, 1 for positive}
        for (int i = 0; i < p.length; i++) all[i] = new double[] {p[i], 1};
        for (int i = 0; i < n.length; i++) all[p.length + i] = new double[] {n[i], 0};
        Arrays.sort(all, (x, y) -> Double.compare(x[0], y[0]));
        double rankSum = 0;                                     // sum of the positives' ranks (1-based), ties at their average rank
        for (int i = 0; i < total; ) {
            int j = i;
            while (j < total && all[j][0] == all[i][0]) j++;
            double rank = (i + 1 + j) / 2.0;                    // mean of ranks i+1..j
            for (int k = i; k < j; k++) if (all[k][1] == 1) rankSum += rank;
            i = j;
        }
        double u = rankSum - p.length * (p.length + 1) / 2.0;   // pairs a positive wins, ties half
        return u / ((double) p.length * n.length);
    }

    /** Alarms of {@code threshold} on clean episodes (one score array each). */
    public static FalseAlarms falseAlarms(List<double[]> clean, double threshold) {
        int alarmed = 0;
        long steps = 0, above = 0;
        for (double[] ep : clean) {
            boolean any = false;
            for (double s : ep) {
                if (Double.isNaN(s)) continue;
                steps++;
                if (s > threshold) {
                    above++;
                    any = true;
                }
            }
            if (any) alarmed++;
        }
        return new FalseAlarms(clean.size(), alarmed, steps, above);
    }

    /** Steps from {@code at} to the first alarm at or after it in each perturbed episode. */
    public static Delays delays(List<double[]> perturbed, int at, double threshold) {
        if (at < 0) throw new IllegalArgumentException("Detection: onset at = " + at + ", expected a step >= 0");
        List<Integer> d = new ArrayList<>();
        int never = 0;
        for (double[] ep : perturbed) {
            int first = -1;
            for (int t = at; t < ep.length && first < 0; t++) if (!Double.isNaN(ep[t]) && ep[t] > threshold) first = t;
            if (first < 0) never++;
            else d.add(first - at);
        }
        return new Delays(d.stream().mapToInt(Integer::intValue).toArray(), never);
    }

    /** The scores of steps {@code t >= from} of every episode, NaNs left out (e.g. the perturbed steps, from the onset). */
    public static double[] pool(List<double[]> episodes, int from) {
        List<Double> out = new ArrayList<>();
        for (double[] ep : episodes)
            for (int t = Math.max(0, from); t < ep.length; t++) if (!Double.isNaN(ep[t])) out.add(ep[t]);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double median(int[] x) {
        if (x.length == 0) return Double.NaN;
        int[] s = x.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
    }

    private static double[] finite(double[] x) {
        return Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray();
    }
}
