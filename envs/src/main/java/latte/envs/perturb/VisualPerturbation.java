package latte.envs.perturb;

import latte.envs.Env;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.envs.Reset;
import latte.envs.Step;

/**
 * A perturbation of what the agent sees: while {@link #active()}, every frame that passes
 * through (observations that are {@link Frame}s, and {@link #render()}) is replaced by an
 * altered copy; the inner frame is never modified. Works above {@code PixelObservation}
 * (the observations are frames) and below it (it renders through this wrapper), and on
 * stacked frames (channels a multiple of 3: each RGB triple is treated alike).
 */
public abstract class VisualPerturbation extends Perturbation {
    protected VisualPerturbation(Env inner, int at) {
        super(inner, at);
    }

    /**
     * The altered copy of {@code f}, the frame of observation {@code elapsed()}; pixels are
     * stored HWC, {@code f.channels()} a multiple of 3.
     */
    protected abstract Frame alter(Frame f);

    private Observation maybe(Observation o) {
        return active() && o instanceof Frame f ? checked(f) : o;
    }

    private Frame checked(Frame f) {
        if (f.channels() % 3 != 0) {
            throw new IllegalStateException(getClass().getSimpleName() + ": frame has " + f.channels() + " channels, expected RGB (a multiple of 3)");
        }
        return alter(f);
    }

    @Override
    protected final Reset onReset(Reset r) {
        return new Reset(maybe(r.observation()), r.info());
    }

    @Override
    protected final Step onStep(Step s) {
        Observation o = maybe(s.observation());
        return o == s.observation() ? s : new Step(o, s.reward(), s.terminated(), s.truncated(), s.info());
    }

    @Override
    public final Frame render() {
        Frame f = inner.render();
        return active() ? checked(f) : f;
    }

    static int clamp8(long v) {
        return v < 0 ? 0 : (v > 255 ? 255 : (int) v);
    }
}
