package latte.models.ppo;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Observation;
import latte.models.Agent;

/**
 * Acting with a PPO policy: a_t ~ pi(. | s_t) when {@code sample}, else its mode (argmax of the
 * logits, or the Gaussian's mean, clipped to [-1, 1]) for evaluation. The policy is Markov: no
 * belief to reset.
 */
public final class PpoAgent implements Agent {
    private final Policy policy;
    private final boolean sample;
    private final Rng rng;

    public PpoAgent(Policy policy, boolean sample, Rng rng) {
        this.policy = policy;
        this.sample = sample;
        this.rng = rng;
    }

    @Override public void reset() {}
    @Override public int actionSize() { return policy.size().actions(); }

    @Override
    public float[] act(Observation observation) {
        if (observation == null || observation instanceof latte.envs.Frame)
            throw new IllegalArgumentException("PpoAgent.act: observation " + observation + ", expected a state vector or a grid of "
                    + policy.size().inputs() + " values");
        float[] x = Policy.input(observation);
        if (x.length != policy.size().inputs())
            throw new IllegalArgumentException("PpoAgent.act: observation of " + x.length + " values, the policy reads " + policy.size().inputs());
        try (Tape.Scope ignored = Tape.noGrad()) {
            Policy.Dist d = policy.apply(Var.of(x.clone(), 1, x.length)).dist();
            return policy.envAction(sample ? d.sample(rng) : d.mode(), 0);
        }
    }
}
