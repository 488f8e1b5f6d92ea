package latte.envs;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The factors of one {@link Scalable} task (all 1 at first), with the checks of {@link Scalable#setScale}. */
final class Scales {
    private final String task;
    private final Map<Scalable.Constant, String> meaning;
    private final double[] factors = {1, 1, 1};

    /** {@code meaning}: the constants the task scales, each with what it is there. */
    Scales(String task, Map<Scalable.Constant, String> meaning) {
        this.task = task;
        this.meaning = Collections.unmodifiableMap(new EnumMap<>(meaning));
    }

    Map<Scalable.Constant, String> meaning() {
        return meaning;
    }

    double get(Scalable.Constant c) {
        return factors[c.ordinal()];
    }

    void set(Scalable.Constant c, double factor) {
        if (!meaning.containsKey(c)) {
            throw new IllegalArgumentException(task + ": no " + c.label() + " to scale; it scales "
                    + meaning.keySet().stream().map(Scalable.Constant::label).collect(Collectors.joining(", ")));
        }
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException(task + ": " + c.label() + " factor " + factor + ", expected a finite value > 0");
        }
        factors[c.ordinal()] = factor;
    }
}
