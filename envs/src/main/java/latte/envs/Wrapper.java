package latte.envs;

/** An environment that forwards to an inner one; subclasses override what they change. */
public abstract class Wrapper implements Env {
    protected final Env inner;

    protected Wrapper(Env inner) {
        if (inner == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": inner environment is null");
        this.inner = inner;
    }

    /** The environment this one wraps. */
    public Env inner() {
        return inner;
    }

    @Override
    public Reset reset(long seed) {
        return inner.reset(seed);
    }

    @Override
    public Reset reset() {
        return inner.reset();
    }

    @Override
    public Step step(float[] action) {
        return inner.step(action);
    }

    @Override
    public Space actionSpec() {
        return inner.actionSpec();
    }

    @Override
    public Space observationSpec() {
        return inner.observationSpec();
    }

    @Override
    public Frame render() {
        return inner.render();
    }

    @Override
    public BaseEnv unwrapped() {
        return inner.unwrapped();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + inner + ")";
    }
}
