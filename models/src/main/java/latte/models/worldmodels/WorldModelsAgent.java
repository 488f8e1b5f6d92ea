package latte.models.worldmodels;

import latte.autodiff.LstmState;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.envs.Space;
import latte.models.Agent;

/**
 * Acting with World Models (Ha and Schmidhuber 2018, section 2, figure 8): V encodes the frame,
 * C reads [z, h], M folds (z, a) into its memory for the next step.
 * <pre>
 *   z_t = mu(o_t)                              V's posterior mean
 *   a_t = C([z_t, h_t])                        or C(z_t) for the z-only controller
 *   h_{t+1} = LSTM([z_t, a_t], (h_t, c_t))     M's memory
 * </pre>
 * C is deterministic, so the agent has no exploration noise of its own: CMA-ES explores in
 * parameter space.
 */
public final class WorldModelsAgent implements Agent {
    private final Vae v;
    private final MdnRnn m;
    private final Controller c;
    private LstmState state;

    public WorldModelsAgent(Vae v, MdnRnn m, Controller c) {
        this.v = v;
        this.m = m;
        this.c = c;
        reset();
    }

    @Override
    public void reset() {
        state = m.initialState(1);
    }

    @Override
    public int actionSize() {
        return m.size().actions();
    }

    /** z for one frame: V's posterior mean, [1, z]. */
    static Var encode(Vae v, Frame f) {
        if (f.height() != 64 || f.width() != 64 || f.channels() != 3)
            throw new IllegalArgumentException("observation " + f + ", expected a frame [64, 64, 3]");
        float[] x = new float[64 * 64 * 3];
        Vae.toUnit(f.data(), 0, x.length, x, 0);
        return v.encode(Var.of(x, 1, 64, 64, 3)).mu();
    }

    @Override
    public float[] act(Observation observation) {
        if (!(observation instanceof Frame f))
            throw new IllegalArgumentException("WorldModelsAgent.act: observation " + observation + ", expected a frame [64, 64, 3]");
        try (Tape.Scope ignored = Tape.noGrad()) {
            Var z = encode(v, f);                                                      // [1, z]
            float[] a = c.size().hidden() > 0 ? c.act(z.toArray(), state.h().toArray()) : c.act(z.toArray());
            state = m.step(z, Var.of(a.clone(), 1, a.length), state).state();           // h, c [1, H]
            return a;
        }
    }

    /** The action space C maps into: the box [-1, 1]^A, or [0, 1]^n one-hot scores of a discrete task. */
    static Space actions(int size, boolean discrete) {
        return Space.Box.uniform(discrete ? 0 : -1, 1, size);
    }
}
