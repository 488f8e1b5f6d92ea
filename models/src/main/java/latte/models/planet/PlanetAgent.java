package latte.models.planet;

import static latte.autodiff.Ops.*;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.Agent;
import latte.models.nets.ConvEncoder;
import latte.models.plan.Cem;
import latte.models.rssm.Rssm;

/**
 * Acting with PlaNet (Hafner et al. 2019, section 3, "Planning algorithm"): filter the belief
 * with the posterior, then plan with CEM in latent space under the prior and execute the first
 * action of the best plan, replanning every step. Everything runs without a tape.
 * <pre>
 *   h_t = GRU(h_{t-1}, [s_{t-1}, a_{t-1}]),  s_t ~ q(s_t | h_t, enc(o_t))        belief update
 *   a_t = CEM_{a_{t:t+H}} sum_k E[r(h_{t+k}, s_{t+k})],  s_{t+k} ~ p(. | h_{t+k})  plan
 * </pre>
 * Actions live in {@code [-1, 1]^A}. Exploration adds {@code N(0, noise^2)} and clips; the noisy
 * action is the one remembered for the next belief update, since it is what the world saw.
 */
public final class PlanetAgent implements Agent {
    private final WorldModel model;
    private final Cem cem;
    private final Rng rng;
    private float noise;
    private Rssm.State belief;
    private float[] previous;

    public PlanetAgent(WorldModel model, Rng rng) {
        this.model = model;
        int a = model.actionSize();
        float[] lo = new float[a], hi = new float[a];
        java.util.Arrays.fill(lo, -1f);
        java.util.Arrays.fill(hi, 1f);
        this.cem = new Cem(model.config().cem(), lo, hi);
        this.rng = rng;
        reset();
    }

    /** Sets the std of the exploration noise (0 for evaluation). */
    public PlanetAgent withNoise(float std) {
        this.noise = std;
        return this;
    }

    @Override
    public void reset() {
        belief = model.rssm().initial(1);
        previous = new float[model.actionSize()];
    }

    @Override
    public int actionSize() {
        return model.actionSize();
    }

    @Override
    public float[] act(Frame frame) {
        if (frame.height() != ConvEncoder.SIZE || frame.width() != ConvEncoder.SIZE || frame.channels() != 3)
            throw new IllegalArgumentException("PlanetAgent.act: frame " + frame + ", expected [64, 64, 3]");
        try (Tape.Scope ignored = Tape.noGrad()) {
            Var e = model.encoder().apply(model.frames(frame.data(), 0, 1, null));        // [1, E]
            Var h = model.rssm().deterministic(belief, Var.of(previous.clone(), 1, previous.length));
            belief = new Rssm.State(h, model.rssm().posterior(h, e).rsample(rng));       // [1, D], [1, S]
            float[] a = cem.plan(this::score, rng);
            for (int d = 0; d < a.length; d++)
                a[d] = Math.max(-1f, Math.min(1f, a[d] + (noise > 0 ? noise * rng.normal() : 0f)));
            previous = a.clone();
            return a;
        }
    }

    /** Sum of predicted rewards of J candidate plans [H, J, A] from the current belief. */
    private void score(float[] actions, int j, float[] returns) {
        int a = model.actionSize(), horizon = cem.config().horizon();
        Rssm rssm = model.rssm();
        Rssm.State st = new Rssm.State(expand(belief.h(), j, belief.h().dim(1)), expand(belief.s(), j, belief.s().dim(1)));
        java.util.Arrays.fill(returns, 0, j, 0f);
        for (int t = 0; t < horizon; t++) {
            float[] at = java.util.Arrays.copyOfRange(actions, t * j * a, (t + 1) * j * a);
            Var h = rssm.deterministic(st, Var.of(at, j, a));                            // [J, D]
            st = new Rssm.State(h, rssm.prior(h).rsample(rng));                          // [J, S]
            float[] r = model.reward(Rssm.features(st)).toArray();                       // [J]
            for (int c = 0; c < j; c++) returns[c] += r[c];
        }
    }
}
