package latte.envs.perturb;

import latte.envs.Env;
import latte.envs.Reset;
import latte.envs.Step;
import latte.envs.Wrapper;

/**
 * A wrapper that changes the environment from a known step of every episode on, so that a
 * novelty detector can be scored against the true onset (false alarms before it, detection
 * delay after it).
 *
 * <p>Steps are this wrapper's {@link #step} calls since the last reset; observation {@code t}
 * is the one returned after {@code t} steps (0: the reset's). The perturbation is
 * <em>active</em> for observation {@code t} when {@code t >= at}:
 * <ul>
 *   <li>a visual perturbation alters observation {@code at} and every later one (and
 *       {@link #render()} while active);</li>
 *   <li>a physics perturbation changes the transition that produces observation {@code at}
 *       and every later one (the reset's observation cannot be changed by the physics).</li>
 * </ul>
 * So observation {@code at} is the first one the perturbation can touch, and everything
 * before it is bit-identical to the unwrapped environment. Put the wrapper outside
 * {@code ActionRepeat} to count decisions, inside it to count task steps.
 */
public abstract class Perturbation extends Wrapper {
    private final int at;
    private int elapsed;

    protected Perturbation(Env inner, int at) {
        super(inner);
        if (at < 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": at = " + at + ", expected a step >= 0");
        this.at = at;
    }

    /** The factory name of this kind ({@code colour}, {@code occlude}, {@code noise}, {@code mass}, ...). */
    public abstract String kind();

    /** The magnitude in the units of {@link Perturbations.Kind#magnitudeMeaning()}. */
    public abstract double magnitude();

    /** The step from which the perturbation is on. */
    public final int at() {
        return at;
    }

    /** Steps taken since the last reset: the index of the last observation returned. */
    public final int elapsed() {
        return elapsed;
    }

    /** Whether the last observation returned was made under the perturbation ({@code elapsed() >= at()}). */
    public final boolean active() {
        return elapsed >= at;
    }

    /** Whether observation {@code t} of an episode is made under the perturbation: the label an OOD score is judged by. */
    public final boolean activeAt(int t) {
        return t >= at;
    }

    @Override
    public final Reset reset(long seed) {
        elapsed = 0;
        episodeStarts(seed, true);
        return onReset(inner.reset(seed));
    }

    @Override
    public final Reset reset() {
        elapsed = 0;
        episodeStarts(0, false);
        return onReset(inner.reset());
    }

    @Override
    public final Step step(float[] action) {
        beforeStep(activeAt(elapsed + 1));
        Step s = inner.step(action);
        elapsed++;
        return onStep(s);
    }

    /** Called before the inner reset; {@code seeded}: whether {@code seed} was given (else the episode continues the last stream). */
    protected void episodeStarts(long seed, boolean seeded) {}

    /** Called before the inner step with whether the transition about to be taken is perturbed. */
    protected void beforeStep(boolean perturbed) {}

    /** What the reset returns; {@link #active()} already describes its observation. */
    protected Reset onReset(Reset r) {
        return r;
    }

    /** What the step returns; {@link #active()} already describes its observation. */
    protected Step onStep(Step s) {
        return s;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + kind() + " " + magnitude() + " at " + at + ", " + inner + ")";
    }
}
