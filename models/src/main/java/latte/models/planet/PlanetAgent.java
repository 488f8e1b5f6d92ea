package latte.models.planet;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Observation;
import latte.models.Agent;
import latte.models.plan.Cem;
import latte.models.rssm.Rssm;
import latte.models.world.Belief;
import latte.models.world.RewardSource;
import latte.models.world.RssmWorldModel;
import latte.models.world.WorldModel;

/**
 * Acting with PlaNet (Hafner et al. 2019, section 3, "Planning algorithm"): filter the belief
 * with the posterior, then plan with CEM in latent space under the prior and execute the first
 * action of the best plan, replanning every step. Everything runs without a tape.
 * <pre>
 *   h_t = GRU(h_{t-1}, [s_{t-1}, a_{t-1}]),  s_t ~ q(s_t | h_t, enc(o_t))        belief update
 *   a_t = CEM_{a_{t:t+H}} sum_k E[r(h_{t+k}, s_{t+k})],  s_{t+k} ~ p(. | h_{t+k})  plan
 * </pre>
 * Actions live in {@code [-1, 1]^A}. Exploration adds {@code N(0, noise^2)} and clips; the noisy
 * action is the one remembered for the next belief update, since it is what the world saw. The
 * plan's score reads rewards from a {@link RewardSource} (the reward head by default).
 */
public final class PlanetAgent implements Agent {
    private final RssmWorldModel model;
    private final PlannerConfig planner;
    private final Cem cem;
    private final Rng rng;
    private final Belief belief;
    private RewardSource rewards;
    private PlanScorer scorer;                 // the fused path: Gaussian state, extrinsic reward
    private float noise;

    public PlanetAgent(RssmWorldModel model, PlannerConfig planner, Rng rng) {
        this.model = model;
        this.planner = planner;
        int a = model.actionSize();
        float[] lo = new float[a], hi = new float[a];
        java.util.Arrays.fill(lo, -1f);
        java.util.Arrays.fill(hi, 1f);
        this.cem = new Cem(planner.cem(), lo, hi);
        this.rng = rng;
        this.belief = new Belief(model, planner.planMean(), rng);
        rewardSource(RewardSource.extrinsic(model));
    }

    /** Sets the std of the exploration noise (0 for evaluation). */
    public PlanetAgent withNoise(float std) {
        this.noise = std;
        return this;
    }

    /**
     * Scores plans with {@code source} instead of the reward head (e.g. the extrinsic reward plus
     * an exploration bonus). Only the reward head runs on the fused {@link PlanScorer}.
     */
    public PlanetAgent rewardSource(RewardSource source) {
        this.rewards = source;
        boolean fused = source instanceof RewardSource.Extrinsic e && e.model() == model
                && model.rssm().config().latent() == Rssm.Kind.GAUSSIAN;
        this.scorer = fused ? new PlanScorer(model, planner.candidates(), planner.horizon()) : null;
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
    public float[] act(Observation observation) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            belief.update(observation, "PlanetAgent.act");
            float[] a = cem.plan(this::score, rng);
            for (int d = 0; d < a.length; d++)
                a[d] = Math.max(-1f, Math.min(1f, a[d] + (noise > 0 ? noise * rng.normal() : 0f)));
            belief.executed(a);
            return a;
        }
    }

    /** Sum of predicted rewards of J candidate plans [H, J, A] from the current belief. */
    private void score(float[] actions, int j, float[] returns) {
        if (scorer != null) scorer.score(belief.state(), actions, j, returns, planner.planMean(), rng);
        else scoreReference(model, rewards, belief.state(), planner.horizon(), actions, j, returns, planner.planMean(), rng);
    }

    /**
     * {@link #score} through the world-model interface, one batched op at a time: the reference
     * that {@link PlanScorer} is tested against, and the planner for a categorical state or
     * another reward source.
     */
    static void scoreReference(WorldModel model, RewardSource rewards, Rssm.State b, int horizon, float[] actions, int j,
                               float[] returns, boolean planMean, Rng rng) {
        int a = model.actionSize();
        Rssm.State st = new Rssm.State(expand(b.h(), j, b.h().dim(1)), expand(b.s(), j, b.s().dim(1)));
        java.util.Arrays.fill(returns, 0, j, 0f);
        for (int t = 0; t < horizon; t++) {
            Var at = Var.of(java.util.Arrays.copyOfRange(actions, t * j * a, (t + 1) * j * a), j, a);  // [J, A]
            Rssm.State from = st;
            st = model.imagine(st, at, planMean, rng);                                             // [J, .]
            Var to = model.features(st);                                                           // [J, F]
            float[] r = rewards.reward(new RewardSource.Transitions(to, () -> model.features(from), () -> at)).toArray(); // [J]
            for (int c = 0; c < j; c++) returns[c] += r[c];
        }
    }
}
