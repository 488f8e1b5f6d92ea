package latte.envs;

/**
 * Ends an episode after {@code maxSteps} steps by setting {@code truncated} (the task itself
 * did not terminate, so a learner may bootstrap past the cut). Counts the steps of the
 * environment it wraps: put it inside {@link ActionRepeat} to limit task steps.
 */
public final class TimeLimit extends Wrapper {
    private final int maxSteps;
    private int elapsed;

    public TimeLimit(Env inner, int maxSteps) {
        super(inner);
        if (maxSteps <= 0) throw new IllegalArgumentException("TimeLimit: maxSteps = " + maxSteps + ", expected >= 1");
        this.maxSteps = maxSteps;
    }

    public int maxSteps() {
        return maxSteps;
    }

    @Override
    public Reset reset(long seed) {
        elapsed = 0;
        return inner.reset(seed);
    }

    @Override
    public Reset reset() {
        elapsed = 0;
        return inner.reset();
    }

    @Override
    public Step step(float[] action) {
        Step s = inner.step(action);
        elapsed++;
        if (elapsed >= maxSteps && !s.truncated()) {
            return new Step(s.observation(), s.reward(), s.terminated(), true, s.info());
        }
        return s;
    }
}
