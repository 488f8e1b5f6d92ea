package latte.models.ppo;

import static latte.models.config.Presets.derive;
import static latte.models.config.Presets.tree;

import java.util.ArrayList;
import java.util.List;
import latte.models.config.ConfigCodec;
import latte.models.config.Presets;

/**
 * Every hyperparameter of a PPO run (Schulman et al. 2017), grouped by concern: the rollouts,
 * the optimisation of the clipped objective, the networks, and the evaluation. {@link #paper()}
 * holds the paper's MuJoCo values (table 3); {@link #cpu()} learns the classic-control tasks in
 * minutes on two cores; {@link #debug()} solves CartPole-v1 within 100K steps in seconds (the
 * regression test of PPO itself).
 */
public record PpoConfig(String preset, Rollout rollout, Optimisation optimisation, Network network, Evaluation evaluation) {
    public static final List<String> PRESETS = List.of("paper", "cpu", "debug");

    /**
     * The vectorised rollouts: every update reads N x T transitions.
     *
     * @param envs  N, environment copies stepped in lockstep (the paper's "actors")
     * @param steps T, steps per copy between two updates (the paper's horizon)
     */
    public record Rollout(int envs, int steps) {
        public Rollout {
            if (envs < 1 || steps < 1)
                throw new IllegalArgumentException("rollout: envs " + envs + ", steps " + steps + " (each >= 1)");
        }

        /** N T, the transitions of one update. */
        public int batch() {
            return envs * steps;
        }
    }

    /**
     * The optimisation of L^CLIP - c1 L^VF + c2 S (section 5) on each rollout.
     *
     * @param epochs       K, passes over the rollout
     * @param minibatches  minibatches per epoch; must divide N T
     * @param lr           Adam's learning rate
     * @param clip         epsilon of the clipped ratio
     * @param valueCoef    c1, the value loss's weight
     * @param entropyCoef  c2, the entropy bonus's weight
     * @param maxGradNorm  global gradient-norm clip
     * @param gamma        discount
     * @param lambda       GAE's lambda
     * @param clipValue    clip the value prediction's change to +-clip around the rollout's value (as OpenAI's baselines)
     * @param annealSteps  environment steps over which lr and clip fall linearly to 0 (the paper's alpha on Atari); 0 keeps them constant
     */
    public record Optimisation(int epochs, int minibatches, double lr, double clip, double valueCoef, double entropyCoef,
                               double maxGradNorm, double gamma, double lambda, boolean clipValue, long annealSteps) {
        public Optimisation {
            List<String> bad = new ArrayList<>();
            if (epochs < 1) bad.add("epochs " + epochs + " (>= 1)");
            if (minibatches < 1) bad.add("minibatches " + minibatches + " (>= 1)");
            if (!(lr > 0)) bad.add("lr " + lr + " (> 0)");
            if (!(clip > 0)) bad.add("clip " + clip + " (> 0)");
            if (!(valueCoef >= 0)) bad.add("valueCoef " + valueCoef + " (>= 0)");
            if (!(entropyCoef >= 0)) bad.add("entropyCoef " + entropyCoef + " (>= 0)");
            if (!(maxGradNorm > 0)) bad.add("maxGradNorm " + maxGradNorm + " (> 0)");
            if (!(gamma >= 0 && gamma <= 1)) bad.add("gamma " + gamma + " (in [0, 1])");
            if (!(lambda >= 0 && lambda <= 1)) bad.add("lambda " + lambda + " (in [0, 1])");
            if (annealSteps < 0) bad.add("annealSteps " + annealSteps + " (>= 0)");
            if (!bad.isEmpty()) throw new IllegalArgumentException("optimisation: invalid " + String.join("; ", bad));
        }

        /** alpha after {@code envSteps}: 1 - envSteps / annealSteps, at least 0; 1 when not annealing. */
        public double alpha(long envSteps) {
            return annealSteps == 0 ? 1 : Math.max(0, 1 - (double) envSteps / annealSteps);
        }
    }

    /**
     * The policy and the value function: two separate MLPs of {@code layers} x {@code units} tanh
     * units (the paper's MuJoCo networks: 2 x 64).
     *
     * @param units  units per hidden layer
     * @param layers hidden layers
     * @param logStd the initial log-std of a continuous policy's Gaussian (a state-independent parameter)
     */
    public record Network(int units, int layers, double logStd) {
        public Network {
            if (units < 1 || layers < 1 || !Double.isFinite(logStd))
                throw new IllegalArgumentException("network: units " + units + ", layers " + layers + " (each >= 1), logStd " + logStd
                        + " (finite)");
        }
    }

    /**
     * @param every    evaluate the noiseless policy (one episode) every this many updates
     * @param episodes episodes of the final evaluation
     */
    public record Evaluation(int every, int episodes) {
        public Evaluation {
            if (every < 1 || episodes < 1)
                throw new IllegalArgumentException("evaluation: every " + every + ", episodes " + episodes + " (each >= 1)");
        }
    }

    public PpoConfig {
        if (rollout.batch() % optimisation.minibatches() != 0)
            throw new IllegalArgumentException("PpoConfig: optimisation.minibatches " + optimisation.minibatches()
                    + " must divide rollout.envs x rollout.steps = " + rollout.envs() + " x " + rollout.steps() + " = " + rollout.batch());
    }

    /** The minibatch size N T / minibatches. */
    public int minibatchSize() {
        return rollout.batch() / optimisation.minibatches();
    }

    /**
     * The paper's MuJoCo setup (Schulman et al. 2017, table 3): one actor, horizon 2048, Adam 3e-4,
     * 10 epochs of minibatches of 64, gamma 0.99, lambda 0.95, clip 0.2, 2 x 64 tanh networks, no
     * entropy bonus. The paper has separate networks and no gradient clip; maxGradNorm 0.5 and
     * valueCoef 0.5 are OpenAI baselines' ppo2 values (with separate networks c1 only scales the
     * value network's step).
     */
    public static PpoConfig paper() {
        return ConfigCodec.decode(PpoConfig.class, tree(
                "preset", "paper",
                "rollout", tree("envs", 1, "steps", 2048),
                "optimisation", tree("epochs", 10, "minibatches", 32, "lr", 3e-4, "clip", 0.2, "valueCoef", 0.5, "entropyCoef", 0.0,
                        "maxGradNorm", 0.5, "gamma", 0.99, "lambda", 0.95, "clipValue", false, "annealSteps", 0),
                "network", tree("units", 64, "layers", 2, "logStd", 0.0),
                "evaluation", tree("every", 10, "episodes", 10)));
    }

    /** Classic control in minutes on two cores: 8 copies of 128 steps, 4 minibatches of 256. */
    public static PpoConfig cpu() {
        return derive(paper(), "cpu",
                "rollout.envs", 8, "rollout.steps", 128,
                "optimisation.minibatches", 4);
    }

    /**
     * Solves CartPole-v1 within 100K steps in seconds (the tuned CartPole values of rl-baselines3-zoo's
     * PPO): 8 copies of 32 steps, 20 epochs over the whole rollout as one minibatch, Adam 1e-3 and clip
     * 0.2 annealed to 0 over 100K steps, gamma 0.98, lambda 0.8, no entropy bonus.
     */
    public static PpoConfig debug() {
        return derive(cpu(), "debug",
                "rollout.envs", 8, "rollout.steps", 32,
                "optimisation.epochs", 20, "optimisation.minibatches", 1, "optimisation.lr", 1e-3, "optimisation.gamma", 0.98,
                "optimisation.lambda", 0.8, "optimisation.annealSteps", 100_000,
                "evaluation.every", 25, "evaluation.episodes", 10);
    }

    /** A preset by name; unknown names list the valid ones. */
    public static PpoConfig preset(String name) {
        return switch (name) {
            case "paper" -> paper();
            case "cpu" -> cpu();
            case "debug" -> debug();
            default -> throw Presets.unknown(name, PRESETS);
        };
    }
}
