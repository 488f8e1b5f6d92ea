package latte.envs.minatar;

import java.util.List;

/**
 * A {@link Draws} that plays a recorded list back. Every request must match the next recorded
 * draw (a {@code rand()} for a {@code rand}, a {@code randint} with the same bounds); a mismatch
 * or a request past the end throws an {@link IllegalStateException} that names the draw, what
 * the game asked for and what the stream holds.
 */
public final class ReplayDraws implements Draws {
    private final List<Draw> draws;
    private int next;

    ReplayDraws(List<Draw> draws) {
        if (draws == null) throw new IllegalArgumentException("ReplayDraws: draws is null");
        this.draws = List.copyOf(draws);
    }

    @Override
    public double rand() {
        if (take("rand()") instanceof Draw.Rand r) return r.value();
        throw mismatch("rand()");
    }

    @Override
    public int randint(int low, int high) {
        String asked = "randint(" + low + ", " + high + ")";
        if (take(asked) instanceof Draw.RandInt r && r.low() == low && r.high() == high) return r.value();
        throw mismatch(asked);
    }

    private Draw take(String asked) {
        if (next >= draws.size()) {
            throw new IllegalStateException("draws: the game asked for draw " + (next + 1) + ", " + asked + ", but the stream ends after "
                    + draws.size() + " draws");
        }
        return draws.get(next++);
    }

    private IllegalStateException mismatch(String asked) {
        return new IllegalStateException("draws: draw " + next + " does not match: the game asked for " + asked
                + " but the stream holds '" + draws.get(next - 1).line() + "'");
    }

    /** Draws used so far. */
    public int used() {
        return next;
    }

    /** Draws not used yet. */
    public int remaining() {
        return draws.size() - next;
    }
}
