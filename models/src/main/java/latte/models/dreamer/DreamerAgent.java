package latte.models.dreamer;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.dist.TanhGaussian;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.Agent;
import latte.models.nets.ConvEncoder;
import latte.models.planet.WorldModel;
import latte.models.rssm.Rssm;
import latte.models.train.OneHotActions;

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
    private float noise;
    private Rssm.State belief;
    private float[] previous;

    public DreamerAgent(WorldModel model, Actor actor, Rng rng) {
        this.model = model;
        this.actor = actor;
        this.rng = rng;
        reset();
    }

    /** Sets the exploration noise (0 for evaluation). */
    public DreamerAgent withNoise(float std) {
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
            throw new IllegalArgumentException("DreamerAgent.act: frame " + frame + ", expected [64, 64, 3]");
        try (Tape.Scope ignored = Tape.noGrad()) {
            Var e = model.encoder().apply(model.frames(frame.data(), 0, 1, null));        // [1, E]
            Var h = model.rssm().deterministic(belief, Var.of(previous.clone(), 1, previous.length));
            belief = new Rssm.State(h, model.rssm().posterior(h, e).rsample(rng));       // [1, D], [1, S]
            Var f = Rssm.features(belief);                                               // [1, F]
            float[] a;
            if (noise == 0f) a = actor.mode(f).toArray();
            else if (actor.discrete()) a = OneHotActions.oneHot(actor.categorical(f).sampleIndices(rng)[0], actor.actions());
            else {
                TanhGaussian d = actor.gaussian(f);
                a = d.rsample(rng).action().toArray();
                for (int i = 0; i < a.length; i++) a[i] = Math.max(-1f, Math.min(1f, a[i] + noise * rng.normal()));
            }
            previous = a.clone();
            return a;
        }
    }
}
