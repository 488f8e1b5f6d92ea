package latte.envs;

import java.util.Locale;
import java.util.Map;

/**
 * A task whose physical constants can be scaled while it runs. The physics perturbations of
 * {@code latte.envs.perturb} use it to change the dynamics at a known step, so that a novelty
 * detector can be scored on how soon it notices.
 *
 * <p>Every factor starts at 1, and at 1 the task is bit-identical to the plain port: each
 * constant is the original times its factor ({@code x * 1.0 == x} exactly) and every derived
 * quantity is computed by the same expression as before.
 */
public interface Scalable {
    /** The constants a factor may scale; what each one means depends on the task. */
    enum Constant {
        MASS, GRAVITY, LENGTH;

        /** The lower-case name ({@code mass}, {@code gravity}, {@code length}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The constants this task can scale, each with what it means here (e.g. "the pole's mass"). */
    Map<Constant, String> scalable();

    /** The factor now applied to {@code constant} (1 unless changed). */
    double scale(Constant constant);

    /**
     * Multiplies {@code constant}'s original value by {@code factor} from the next step on (the
     * factor replaces any earlier one; it does not compound). Throws if the task has no such
     * constant or the factor is not finite and positive.
     */
    void setScale(Constant constant, double factor);
}
