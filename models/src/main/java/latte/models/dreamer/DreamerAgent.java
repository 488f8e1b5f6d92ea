package latte.models.dreamer;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.dist.TanhGaussian;
import latte.core.Rng;
import latte.envs.Observation;
import latte.models.Agent;
import latte.models.loop.OneHotActions;
import latte.models.world.Belief;
import latte.models.world.WorldModel;

/**
 * Acting with Dreamer: filter the belief with the posterior as PlaNet does, then one forward
 * pass of the actor instead of a planner.
 * <pre>
 *   h_t = GRU(h_{t-1}, [s_{t-1}, a_{t-1}]),  s_t ~ q(s_t | h_t, enc(o_t))        belief update
 *   a_t ~ q(a | h_t, s_t)                                                         act
 * </pre>
 * Evaluation ({@code noise == 0}) takes the mode: tanh(mean), or the most probable choice.
 * Exploration samples the actor and, for continuous actions, adds {@code N(0, noise^2)} and
 * clips to [-1, 1] (Dreamer v1); discrete actions are sampled from the actor's categorical.
 * The executed action is the one remembered for the next belief update.
 */
public final class DreamerAgent implements Agent {
    private final WorldModel model;
    private final Actor actor;
    private final Rng rng;
    private final Belief belief;
    private float noise;

    public DreamerAgent(WorldModel model, Actor actor, Rng rng) {
        this.model = model;
        this.actor = actor;
        this.rng = rng;
        this.belief = new Belief(model, false, rng);
    }

    /** Sets the exploration noise (0 for evaluation). */
    public DreamerAgent withNoise(float std) {
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
    public float[] act(Observation observation) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            Var f = model.features(belief.update(observation, "DreamerAgent.act"));              // [1, F]
            float[] a;
            if (noise == 0f) a = actor.mode(f).toArray();
            else if (actor.discrete()) a = OneHotActions.oneHot(actor.categorical(f).sampleIndices(rng)[0], actor.actions());
            else {
                TanhGaussian d = actor.gaussian(f);
                a = d.rsample(rng).action().toArray();
                for (int i = 0; i < a.length; i++) a[i] = Math.max(-1f, Math.min(1f, a[i] + noise * rng.normal()));
            }
            belief.executed(a);
            return a;
        }
    }
}
