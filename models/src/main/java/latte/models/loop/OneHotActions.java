package latte.models.loop;

import latte.envs.Env;
import latte.envs.Space;
import latte.envs.Step;
import latte.envs.Wrapper;

/**
 * The one place where discrete actions change form: agents, the replay buffer and the world
 * model see an action of {@code Discrete(n)} as a one-hot vector of size n (a box
 * {@code [0, 1]^n}); the environment receives the index of its largest entry as the one-element
 * array {@link Env} expects.
 */
public final class OneHotActions extends Wrapper {
    private final int n;

    public OneHotActions(Env inner) {
        super(inner);
        if (!(inner.actionSpec() instanceof Space.Discrete d))
            throw new IllegalArgumentException("OneHotActions: needs a Discrete action space, got " + inner.actionSpec());
        this.n = d.n();
    }

    /** The number of choices n. */
    public int choices() {
        return n;
    }

    @Override
    public Step step(float[] action) {
        if (action == null || action.length != n)
            throw new IllegalArgumentException("OneHotActions: action has length " + (action == null ? "null" : action.length)
                    + ", expected a one-hot vector of " + n);
        return inner.step(new float[] {argmax(action)});
    }

    /** The index of the largest entry (first on ties). */
    public static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /** The one-hot vector of {@code index} among {@code n}. */
    public static float[] oneHot(int index, int n) {
        float[] v = new float[n];
        v[index] = 1f;
        return v;
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(0, 1, n);
    }
}
