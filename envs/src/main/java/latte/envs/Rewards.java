package latte.envs;

/**
 * dm_control's reward shaping helper {@code rewards.tolerance}: 1 inside {@code [lo, hi]},
 * falling off outside with a sigmoid of the distance measured in units of {@code margin}, such
 * that the value at distance {@code margin} is {@code valueAtMargin}.
 */
public final class Rewards {
    /** The shape of the fall-off outside the bounds. */
    public enum Sigmoid { GAUSSIAN, LONG_TAIL, QUADRATIC, LINEAR }

    private Rewards() {}

    /** {@code tolerance(x, bounds=(lo, hi), margin, sigmoid='gaussian', value_at_margin=0.1)}. */
    public static double tolerance(double x, double lo, double hi, double margin) {
        return tolerance(x, lo, hi, margin, Sigmoid.GAUSSIAN, 0.1);
    }

    /**
     * <pre>
     *   inside = lo <= x <= hi;  margin == 0: inside ? 1 : 0
     *   d = (x < lo ? lo - x : x - hi) / margin
     *   gaussian:  exp(-0.5 (d sqrt(-2 ln v))^2)       long_tail: 1 / ((d sqrt(1/v - 1))^2 + 1)
     *   quadratic: |d'| < 1 ? 1 - d'^2 : 0, d' = d sqrt(1 - v)
     *   linear:    |d'| < 1 ? 1 - d' : 0,   d' = d (1 - v)
     * </pre>
     */
    public static double tolerance(double x, double lo, double hi, double margin, Sigmoid sigmoid, double valueAtMargin) {
        if (lo > hi) throw new IllegalArgumentException("tolerance: lower bound " + lo + " > upper bound " + hi);
        if (margin < 0) throw new IllegalArgumentException("tolerance: margin " + margin + " must be >= 0");
        boolean inside = lo <= x && x <= hi;
        if (inside) return 1.0;
        if (margin == 0) return 0.0;
        double d = (x < lo ? lo - x : x - hi) / margin;
        return switch (sigmoid) {
            case GAUSSIAN -> {
                checkValue(valueAtMargin, false);
                double scale = Math.sqrt(-2 * Math.log(valueAtMargin));
                yield Math.exp(-0.5 * (d * scale) * (d * scale));
            }
            case LONG_TAIL -> {
                checkValue(valueAtMargin, false);
                double scale = Math.sqrt(1 / valueAtMargin - 1);
                yield 1 / ((d * scale) * (d * scale) + 1);
            }
            case QUADRATIC -> {
                checkValue(valueAtMargin, true);
                double s = d * Math.sqrt(1 - valueAtMargin);
                yield Math.abs(s) < 1 ? 1 - s * s : 0.0;
            }
            case LINEAR -> {
                checkValue(valueAtMargin, true);
                double s = d * (1 - valueAtMargin);
                yield Math.abs(s) < 1 ? 1 - s : 0.0;
            }
        };
    }

    private static void checkValue(double v, boolean zeroAllowed) {
        if (!(v < 1 && (zeroAllowed ? v >= 0 : v > 0))) {
            throw new IllegalArgumentException("tolerance: value_at_margin " + v + ", expected " + (zeroAllowed ? "0 <= v < 1" : "0 < v < 1"));
        }
    }
}
