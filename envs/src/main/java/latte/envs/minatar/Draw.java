package latte.envs.minatar;

import java.util.Locale;

/**
 * One draw of a {@link Draws} source, as a line of a draws file:
 * <pre>
 *   rand 0.7310581749102879        a rand() that returned 0.7310581749102879
 *   randint 1 9 4                  a randint(1, 9) that returned 4 (randint(n) is randint 0 n)
 * </pre>
 * Doubles are written with {@link Double#toString}, which reads back to the same bits.
 */
public sealed interface Draw permits Draw.Rand, Draw.RandInt {

    /** The line of a draws file. */
    String line();

    /** A {@code rand()} that returned {@code value} in [0, 1). */
    record Rand(double value) implements Draw {
        public Rand {
            if (!(value >= 0 && value < 1)) throw new IllegalArgumentException("rand value " + value + ", expected a number in [0, 1)");
        }

        @Override
        public String line() {
            return "rand " + value;
        }
    }

    /** A {@code randint(low, high)} that returned {@code value} in [low, high). */
    record RandInt(int low, int high, int value) implements Draw {
        public RandInt {
            if (low >= high) throw new IllegalArgumentException("randint " + low + " " + high + ": empty range, expected low < high");
            if (value < low || value >= high) {
                throw new IllegalArgumentException("randint " + low + " " + high + " value " + value + ", expected a value in [" + low + ", " + high + ")");
            }
        }

        @Override
        public String line() {
            return "randint " + low + " " + high + " " + value;
        }
    }

    /** Parses a line written by {@link #line()}; throws an {@link IllegalArgumentException} saying what was expected. */
    static Draw parse(String line) {
        String[] w = line.strip().split("\\s+");
        String expected = "expected 'rand VALUE' or 'randint LOW HIGH VALUE'";
        try {
            return switch (w[0].toLowerCase(Locale.ROOT)) {
                case "rand" -> {
                    if (w.length != 2) throw new IllegalArgumentException("'" + line + "': " + expected);
                    yield new Rand(Double.parseDouble(w[1]));
                }
                case "randint" -> {
                    if (w.length != 4) throw new IllegalArgumentException("'" + line + "': " + expected);
                    yield new RandInt(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]));
                }
                default -> throw new IllegalArgumentException("'" + line + "': " + expected);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + line + "': not a number (" + e.getMessage() + "); " + expected, e);
        }
    }
}
