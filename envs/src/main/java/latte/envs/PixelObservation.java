package latte.envs;

/** Replaces the state observation by the rendered frame, {@code uint8 [H, W, 3]}. */
public final class PixelObservation extends Wrapper {
    public PixelObservation(Env inner) {
        super(inner);
    }

    @Override
    public Reset reset(long seed) {
        Reset r = inner.reset(seed);
        return new Reset(inner.render(), r.info());
    }

    @Override
    public Reset reset() {
        Reset r = inner.reset();
        return new Reset(inner.render(), r.info());
    }

    @Override
    public Step step(float[] action) {
        Step s = inner.step(action);
        return new Step(inner.render(), s.reward(), s.terminated(), s.truncated(), s.info());
    }

    @Override
    public Space observationSpec() {
        int[] hw = unwrapped().renderSize();
        return Space.Box.uniform(0, 255, hw[0], hw[1], 3);
    }
}
