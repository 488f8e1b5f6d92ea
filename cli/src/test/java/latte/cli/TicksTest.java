package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Round ticks: the 1-2-5 series, plain labels, never "1e2.9". */
class TicksTest {
    @Test
    void aReturnAxisGetsRoundHundredsInsideTheData() {
        Ticks five = Ticks.linear(-1634, -98, 5);
        assertThat(five.values()).containsExactly(-1500.0, -1000.0, -500.0);
        assertThat(five.labels()).containsExactly("-1500", "-1000", "-500");
        Ticks eight = Ticks.linear(-1634, -98, 8);
        assertThat(eight.values()).containsExactly(-1600.0, -1400.0, -1200.0, -1000.0, -800.0, -600.0, -400.0, -200.0);
    }

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(Ticks.nice(1.4)).isEqualTo(1);
        assertThat(Ticks.nice(1.6)).isEqualTo(2);
        assertThat(Ticks.nice(3.84)).isEqualTo(5);
        assertThat(Ticks.nice(384)).isEqualTo(500);
        assertThat(Ticks.nice(0.08)).isEqualTo(0.1);
        for (double[] r : new double[][] {{0, 1}, {-3.7, 12.2}, {0.001, 0.0173}, {17, 18}, {-1e6, 3e7}, {5, 5.0001}}) {
            Ticks t = Ticks.linear(r[0], r[1], 6);
            assertThat(t.values()).as("%s..%s", r[0], r[1]).hasSizeBetween(2, 12)
                    .allSatisfy(v -> assertThat(v).isBetween(r[0] - 1e-9 * (r[1] - r[0]), r[1] + 1e-9 * (r[1] - r[0])));
            double step = t.values().get(1) - t.values().get(0);
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
            assertThat(Math.round(mantissa)).as("step %s", step).isIn(1L, 2L, 5L);
            assertThat(t.labels()).noneMatch(l -> l.contains("e") || l.contains("E"));
        }
    }

    @Test
    void environmentStepsReadInThousandsAndSmallNumbersKeepTheirDecimals() {
        Ticks steps = Ticks.linear(0, 127_400, 7);
        assertThat(steps.labels()).containsExactly("0", "20k", "40k", "60k", "80k", "100k", "120k");
        assertThat(Ticks.linear(0, 2_600_000, 4).labels()).containsExactly("0", "1M", "2M");
        assertThat(Ticks.linear(0, 0.37, 5).labels()).containsExactly("0", "0.1", "0.2", "0.3");
        assertThat(Ticks.linear(-0.05, 0.05, 3).labels()).containsExactly("-0.05", "0", "0.05");
    }

    @Test
    void aLogAxisIsLabelledOneTwoFiveTimesPowersOfTenAsPlainNumbers() {
        Ticks losses = Ticks.log(3, 2000);
        assertThat(losses.values()).containsExactly(5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0);
        assertThat(losses.labels()).containsExactly("5", "10", "20", "50", "100", "200", "500", "1k", "2k");
        assertThat(Ticks.log(0.004, 0.3).labels()).containsExactly("0.005", "0.01", "0.02", "0.05", "0.1", "0.2");
        // many decades: the powers of ten alone
        assertThat(Ticks.log(1e-3, 1e5).labels()).containsExactly("0.001", "0.01", "0.1", "1", "10", "100", "1k", "10k", "100k");
        // less than a doubling: round numbers on a linear scale within it
        assertThat(Ticks.log(700, 760).values()).allSatisfy(v -> assertThat(v).isBetween(700.0, 760.0)).hasSizeGreaterThan(1);
        assertThatThrownBy(() -> Ticks.log(0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 < min");
    }
}
