package latte.models.world;

import static latte.autodiff.Ops.add;
import static latte.autodiff.Ops.scale;

import java.util.function.Supplier;
import latte.autodiff.Var;

/**
 * Where imagination takes its reward from: the world model's reward head (extrinsic, the task's
 * reward as learned), an intrinsic signal (e.g. the disagreement of an ensemble, Plan2Explore),
 * or a weighted mix. Dreamer's actor-critic and PlaNet's planner read rewards only through this.
 */
@FunctionalInterface
public interface RewardSource {
    /**
     * Imagined transitions {@code x -> a -> x'}, batched over N rows. {@code to} is always
     * there; {@code from} and {@code action} are assembled on demand, because an extrinsic
     * source reads only {@code to}.
     *
     * @param to     features of the states reached {@code [N, F]}
     * @param from   features of the states the actions were taken in {@code [N, F]}
     * @param action the actions {@code [N, A]}
     */
    record Transitions(Var to, Supplier<Var> from, Supplier<Var> action) {}

    /** The reward of each transition: {@code [N]}, differentiable where the source is. */
    Var reward(Transitions t);

    /** The world model's reward head on the state reached: PlaNet's and Dreamer's reward. */
    static RewardSource extrinsic(WorldModel model) {
        return new Extrinsic(model);
    }

    /** {@code wa * a + wb * b}. */
    static RewardSource mix(RewardSource a, float wa, RewardSource b, float wb) {
        return t -> add(scale(a.reward(t), wa), scale(b.reward(t), wb));
    }

    /** The reward head of {@code model}; planners recognise it to run their fused fast path. */
    record Extrinsic(WorldModel model) implements RewardSource {
        @Override
        public Var reward(Transitions t) {
            return model.reward(t.to());
        }
    }
}
