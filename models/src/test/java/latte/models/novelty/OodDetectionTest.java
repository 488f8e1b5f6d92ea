package latte.models.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

/** AUROC, false alarms, detection delays and calibration quantiles against hand-computed values. */
class OodDetectionTest {
    private static final double NaN = Double.NaN;

    /** Every pair by hand: wins count 1, ties 1/2. */
    private static double pairs(double[] p, double[] n) {
        double s = 0;
        for (double a : p) for (double b : n) s += a > b ? 1 : a == b ? 0.5 : 0;
        return s / (p.length * n.length);
    }

    @Test
    void aurocOfASmallExampleWithTiesIsMannWhitneyByHand() {
        double[] pos = {3, 5, 2, 2}, neg = {1, 2, 4};
        // pairs: 3 beats 1, 2 (loses to 4) = 2; 5 beats all = 3; each 2 beats 1, ties 2, loses to 4 = 1.5; total 8 of 12
        assertThat(Detection.auroc(pos, neg)).isCloseTo(8.0 / 12, within(1e-12));
        assertThat(Detection.auroc(neg, pos)).isCloseTo(4.0 / 12, within(1e-12));
        assertThat(Detection.auroc(new double[] {1, 1}, new double[] {1, 1, 1})).isEqualTo(0.5);
        assertThat(Detection.auroc(new double[] {2, 3}, new double[] {0, 1})).isEqualTo(1.0);
        assertThat(Detection.auroc(new double[] {0}, new double[] {1})).isEqualTo(0.0);
        // NaN (unscored) steps are left out; empty sides give NaN
        assertThat(Detection.auroc(new double[] {NaN, 3, 5, 2, 2}, new double[] {1, NaN, 2, 4})).isCloseTo(8.0 / 12, within(1e-12));
        assertThat(Detection.auroc(new double[] {NaN}, neg)).isNaN();
    }

    @Test
    void aurocMatchesThePairCountOnRandomDataWithManyTies() {
        Rng rng = new Rng(4);
        for (int trial = 0; trial < 20; trial++) {
            double[] p = new double[1 + rng.integers(30)], n = new double[1 + rng.integers(30)];
            for (int i = 0; i < p.length; i++) p[i] = rng.integers(6);
            for (int i = 0; i < n.length; i++) n[i] = rng.integers(5);
            assertThat(Detection.auroc(p, n)).isCloseTo(pairs(p, n), within(1e-12));
        }
    }

    @Test
    void falseAlarmsCountEpisodesWithAnyStepAboveAndStepsAbove() {
        List<double[]> clean = List.of(
                new double[] {NaN, 0.1, 0.2, 0.9},      // one alarm (0.9 > 0.5)
                new double[] {NaN, 0.5, 0.4, 0.3},      // 0.5 is not above 0.5: none
                new double[] {NaN, 0.6, 0.7, NaN});     // two alarms; the NaN is not a step
        Detection.FalseAlarms f = Detection.falseAlarms(clean, 0.5);
        assertThat(f.episodes()).isEqualTo(3);
        assertThat(f.alarmedEpisodes()).isEqualTo(2);
        assertThat(f.steps()).isEqualTo(8);
        assertThat(f.alarmedSteps()).isEqualTo(3);
        assertThat(f.episodeRate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(f.stepRate()).isCloseTo(3.0 / 8, within(1e-12));
        assertThat(Detection.falseAlarms(List.of(), 0).episodeRate()).isNaN();
    }

    @Test
    void delaysCountFromTheOnsetIgnoreEarlierAlarmsAndReportTheUndetected() {
        int at = 3;
        List<double[]> perturbed = List.of(
                new double[] {NaN, 9, 0, 1, 0, 0},      // the alarm at step 1 is before the onset; first at/after 3: step 3 -> 0
                new double[] {NaN, 0, 0, 0, 0, 2},      // step 5 -> 2
                new double[] {NaN, 0, 0, 0, 0, 0},      // never
                new double[] {NaN, 0, 0, 0, 3, 0},      // step 4 -> 1
                new double[] {NaN, 0, 0, NaN, NaN, 7}); // NaN steps skipped: step 5 -> 2
        Detection.Delays d = Detection.delays(perturbed, at, 0.5);
        assertThat(d.delays()).containsExactly(0, 2, 1, 2);
        assertThat(d.undetected()).isEqualTo(1);
        assertThat(d.median()).isEqualTo(1.5);                           // sorted 0 1 2 2: (1 + 2) / 2
        assertThat(Detection.delays(perturbed.subList(0, 2), at, 0.5).median()).isEqualTo(1.0);
        assertThat(Detection.delays(List.of(new double[] {0, 0}), 0, 1).median()).isNaN();
        assertThatThrownBy(() -> Detection.delays(perturbed, -1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at = -1");
    }

    @Test
    void poolTakesTheStepsFromTheOnsetWithoutNaNs() {
        assertThat(Detection.pool(List.of(new double[] {NaN, 1, 2, 3}, new double[] {NaN, 4, NaN}), 2)).containsExactly(2, 3);
        assertThat(Detection.pool(List.of(new double[] {NaN, 1, 2}), 0)).containsExactly(1, 2);
    }

    @Test
    void quantilesInterpolateBetweenOrderStatisticsAsASortedReference() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Calibration.quantile(sorted, 0)).isEqualTo(1);
        assertThat(Calibration.quantile(sorted, 1)).isEqualTo(10);
        assertThat(Calibration.quantile(sorted, 0.5)).isEqualTo(5.5);              // h = 4.5
        assertThat(Calibration.quantile(sorted, 0.95)).isCloseTo(9.55, within(1e-12));   // h = 8.55
        assertThat(Calibration.quantile(sorted, 0.99)).isCloseTo(9.91, within(1e-12));
        assertThat(Calibration.quantile(new double[] {7}, 0.99)).isEqualTo(7);
        // on 1001 random values the 99% quantile is the order statistic of index 990 exactly, 99.9% of 999
        Rng rng = new Rng(1);
        double[] x = new double[1001];
        for (int i = 0; i < x.length; i++) x[i] = rng.normal();
        double[] s = x.clone();
        Arrays.sort(s);
        assertThat(Calibration.quantile(s, 0.99)).isEqualTo(s[990]);
        assertThat(Calibration.quantile(s, 0.999)).isEqualTo(s[999]);
        assertThat(Calibration.quantile(s, 0.95)).isEqualTo(s[950]);
        assertThatThrownBy(() -> Calibration.quantile(s, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Calibration.key(0.999)).isEqualTo("p99.9");
        assertThat(Calibration.key(0.95)).isEqualTo("p95");
    }
}
