package latte.models.planet;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.Agent;
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
    private final Belief belief;
    private final PlanScorer scorer;                 // null for a categorical state: the reference path plans then
    private float noise;

    public PlanetAgent(WorldModel model, Rng rng) {
        this.model = model;
        int a = model.actionSize();
        float[] lo = new float[a], hi = new float[a];
        java.util.Arrays.fill(lo, -1f);
        java.util.Arrays.fill(hi, 1f);
        this.cem = new Cem(model.config().cem(), lo, hi);
        this.rng = rng;
        this.belief = new Belief(model, rng);
        this.scorer = model.rssm().config().latent() == Rssm.Kind.GAUSSIAN
                ? new PlanScorer(model, cem.config().candidates(), cem.config().horizon()) : null;
    }

    /** Sets the std of the exploration noise (0 for evaluation). */
    public PlanetAgent withNoise(float std) {
        this.noise = std;
        return this;
    }

    @Override
    public void reset() {
        belief.reset();
    }

    @Override
    public int actionSize() {
        return model.actionSize();
    }

    @Override
    public float[] act(Frame frame) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            belief.update(frame, "PlanetAgent.act");
            float[] a = cem.plan(this::score, rng);
            for (int d = 0; d < a.length; d++)
                a[d] = Math.max(-1f, Math.min(1f, a[d] + (noise > 0 ? noise * rng.normal() : 0f)));
            belief.executed(a);
            return a;
        }
    }

    /** Sum of predicted rewards of J candidate plans [H, J, A] from the current belief. */
    private void score(float[] actions, int j, float[] returns) {
        boolean planMean = model.config().planMean();
        if (scorer != null) scorer.score(belief.state(), actions, j, returns, planMean, rng);
        else scoreReference(model, belief.state(), cem.config().horizon(), actions, j, returns, planMean, rng);
    }

    /**
     * {@link #score} through the autodiff ops, one batched op at a time: the reference that
     * {@link PlanScorer} is tested against, and the planner for a categorical state.
     */
    static void scoreReference(WorldModel model, Rssm.State b, int horizon, float[] actions, int j, float[] returns,
                               boolean planMean, Rng rng) {
        int a = model.actionSize();
        Rssm rssm = model.rssm();
        Rssm.State st = new Rssm.State(expand(b.h(), j, b.h().dim(1)), expand(b.s(), j, b.s().dim(1)));
        java.util.Arrays.fill(returns, 0, j, 0f);
        for (int t = 0; t < horizon; t++) {
            float[] at = java.util.Arrays.copyOfRange(actions, t * j * a, (t + 1) * j * a);
            Var h = rssm.deterministic(st, Var.of(at, j, a));                            // [J, D]
            var prior = rssm.prior(h);
            st = new Rssm.State(h, planMean ? prior.mean() : prior.rsample(rng));        // [J, S]
            float[] r = model.reward(Rssm.features(st)).toArray();                       // [J]
            for (int c = 0; c < j; c++) returns[c] += r[c];
        }
    }
}
