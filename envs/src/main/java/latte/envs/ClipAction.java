package latte.envs;

/** Clips each action to the bounds of the box action space before the task sees it. */
public final class ClipAction extends Wrapper {
    private final float[] low, high;

    public ClipAction(Env inner) {
        super(inner);
        if (!(inner.actionSpec() instanceof Space.Box b)) {
            throw new IllegalArgumentException("ClipAction: needs a Box action space, got " + inner.actionSpec());
        }
        this.low = b.low();
        this.high = b.high();
    }

    @Override
    public Step step(float[] action) {
        if (action == null || action.length != low.length) {
            throw new IllegalArgumentException("ClipAction: action has length " + (action == null ? "null" : action.length) + ", expected " + low.length);
        }
        float[] a = new float[low.length];
        for (int i = 0; i < a.length; i++) a[i] = Math.max(low[i], Math.min(high[i], action[i]));
        return inner.step(a);
    }
}
