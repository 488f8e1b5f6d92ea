package latte.envs;

/**
 * Applies each action {@code repeat} times and returns the last observation with the summed
 * reward (PlaNet's action repeat); stops early when the episode terminates or is truncated.
 */
public final class ActionRepeat extends Wrapper {
    private final int repeat;

    public ActionRepeat(Env inner, int repeat) {
        super(inner);
        if (repeat <= 0) throw new IllegalArgumentException("ActionRepeat: repeat = " + repeat + ", expected >= 1");
        this.repeat = repeat;
    }

    public int repeat() {
        return repeat;
    }

    @Override
    public Step step(float[] action) {
        Step s = null;
        double total = 0;
        for (int i = 0; i < repeat; i++) {
            s = inner.step(action);
            total += s.reward();
            if (s.done()) break;
        }
        return new Step(s.observation(), total, s.terminated(), s.truncated(), s.info());
    }
}
