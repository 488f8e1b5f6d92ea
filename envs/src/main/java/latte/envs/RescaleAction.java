package latte.envs;

/**
 * Lets an agent act in {@code [-1, 1]^n} on a box of any bounds:
 * {@code a = low + (a' + 1) (high - low) / 2}. With {@code clip}, {@code a'} is first clipped to
 * {@code [-1, 1]} (so any real-valued policy output is a valid action).
 */
public final class RescaleAction extends Wrapper {
    private final float[] low, high;
    private final boolean clip;

    public RescaleAction(Env inner, boolean clip) {
        super(inner);
        if (!(inner.actionSpec() instanceof Space.Box b)) {
            throw new IllegalArgumentException("RescaleAction: needs a Box action space, got " + inner.actionSpec());
        }
        for (int i = 0; i < b.size(); i++) {
            if (!Float.isFinite(b.low()[i]) || !Float.isFinite(b.high()[i])) {
                throw new IllegalArgumentException("RescaleAction: action bound " + i + " is infinite in " + b);
            }
        }
        this.low = b.low();
        this.high = b.high();
        this.clip = clip;
    }

    @Override
    public Step step(float[] action) {
        if (action == null || action.length != low.length) {
            throw new IllegalArgumentException("RescaleAction: action has length " + (action == null ? "null" : action.length) + ", expected " + low.length);
        }
        float[] a = new float[low.length];
        for (int i = 0; i < a.length; i++) {
            float x = action[i];
            if (clip) x = Math.max(-1f, Math.min(1f, x)); // NaN stays NaN and is rejected by the task
            a[i] = low[i] + (x + 1) * 0.5f * (high[i] - low[i]);
        }
        return inner.step(a);
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-1, 1, low.length);
    }
}
