package latte.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis ticks a reader takes in at a glance: round numbers of the 1-2-5 series (Heckbert's "nice
 * numbers", Graphics Gems, 1990), labelled as plain numbers with a k or M suffix for thousands and
 * millions, never in exponent notation.
 *
 * @param values the tick positions (for a log axis, the values themselves, not their logarithms)
 * @param labels a label per tick
 */
record Ticks(List<Double> values, List<String> labels) {
    /**
     * Ticks on a linear axis over [min, max]: multiples of the 1-2-5 step that gives about
     * {@code target} of them, inside the range. [-1634, -98] with 5 gives -1500, -1000, -500.
     */
    static Ticks linear(double min, double max, int target) {
        if (!(max > min)) return new Ticks(List.of(min), List.of(label(min, 1)));
        double step = nice((max - min) / Math.max(1, target - 1));
        // at least two ticks inside: step down the 1-2-5 series when the range falls between multiples
        while (Math.floor(max / step) - Math.ceil(min / step) < 1) step = smaller(step);
        List<Double> v = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + 1e-9 * step; k++) {
            double x = k * step;
            v.add(x == 0 ? 0.0 : x);                                             // no -0
            l.add(label(x, step));
        }
        return new Ticks(v, l);
    }

    /**
     * Ticks on a log axis over [min, max] (both positive): 1, 2 and 5 times the powers of ten
     * inside the range when it spans up to three decades, the powers of ten alone when it spans
     * more (every second or third one past nine decades).
     */
    static Ticks log(double min, double max) {
        if (!(min > 0) || !(max >= min)) throw new IllegalArgumentException("Ticks.log: need 0 < min <= max, got [" + min + ", " + max + "]");
        int lo = (int) Math.floor(Math.log10(min) + 1e-9), hi = (int) Math.ceil(Math.log10(max) - 1e-9);
        double decades = Math.log10(max / min);
        double[] mantissas = decades <= 3 ? new double[] {1, 2, 5} : new double[] {1};
        int every = decades <= 9 ? 1 : (int) Math.ceil(decades / 9);
        List<Double> v = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (int e = lo; e <= hi; e++) {
            if (Math.floorMod(e, every) != 0) continue;
            for (double m : mantissas) {
                double x = m * Math.pow(10, e);
                if (x < min * (1 - 1e-9) || x > max * (1 + 1e-9)) continue;
                v.add(x);
                l.add(logLabel(m, e));
            }
        }
        if (v.size() < 2) {                                                   // a narrow range: round numbers on a linear scale
            Ticks t = linear(min, max, 3);
            return new Ticks(t.values(), t.labels());
        }
        return new Ticks(v, l);
    }

    /** The 1-2-5 number nearest to {@code x} > 0 (1.4 -> 1, 1.6 -> 2, 3.84 -> 5, 8 -> 10). */
    static double nice(double x) {
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        double f = x / p;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
    }

    /** The next smaller number of the 1-2-5 series (500 -> 200 -> 100 -> 50). */
    private static double smaller(double step) {
        double p = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        double f = Math.round(step / p);
        return f >= 5 ? 2 * p : f >= 2 ? p : 0.5 * p;
    }

    /** A linear tick's label: as many decimals as the step needs; k for thousands, M for millions. */
    static String label(double x, double step) {
        if (x == 0) return "0";
        if (step >= 1e6 && Math.abs(x) >= 1e6) return plain(x / 1e6, step / 1e6) + "M";
        if (step >= 1e3 && Math.abs(x) >= 1e3) return plain(x / 1e3, step / 1e3) + "k";
        return plain(x, step);
    }

    private static String plain(double x, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    private static String logLabel(double mantissa, int exponent) {
        if (exponent >= 6) return new BigDecimal(mantissa).scaleByPowerOfTen(exponent - 6).stripTrailingZeros().toPlainString() + "M";
        if (exponent >= 3) return new BigDecimal(mantissa).scaleByPowerOfTen(exponent - 3).stripTrailingZeros().toPlainString() + "k";
        return new BigDecimal(mantissa).scaleByPowerOfTen(exponent).stripTrailingZeros().toPlainString();
    }
}
