package latte.models.worldmodels;

import static latte.models.config.Presets.derive;
import static latte.models.config.Presets.tree;

import java.util.List;
import latte.models.config.ConfigCodec;
import latte.models.config.Optim;
import latte.models.config.Presets;

/**
 * Every hyperparameter of a World Models run (Ha and Schmidhuber 2018, section 4 and appendix),
 * grouped by stage: collecting rollouts, V, M, C and its evolution. {@link #paper()} holds the
 * published CarRacing values; {@link #cpu()} trains V, M and C from pixels within 20 minutes on
 * two cores; {@link #debug()} is tiny, for tests.
 *
 * @param dreamTraining evolve C inside M's dream ({@link DreamEnv}) instead of the real task; it is always evaluated in the real task
 * @param tau           temperature of M's sampling in the dream (the paper's tau: 1.15 for Doom)
 */
public record WorldModelsConfig(String preset, Collect collect, V vae, M mdn, C controller, Evolution evolution,
                                boolean dreamTraining, float tau) {
    public static final List<String> PRESETS = List.of("paper", "cpu", "debug");

    /** How rollouts of the real task are collected before V is trained. */
    public enum Policy {
        /** a fresh uniform action every decision (the paper's CarRacing rollouts) */
        RANDOM,
        /** a_t = clip(a_{t-1} + N(0, 0.3^2)): smooth action paths that move the system further than uniform noise */
        BROWNIAN
    }

    /**
     * @param rollouts       episodes collected with {@code policy} (the paper: 10,000)
     * @param policy         how the actions are drawn
     * @param actionRepeat   environment steps per decision
     * @param evalEpisodes   episodes of the final evaluation
     * @param replayCapacity decisions kept (all rollouts, for V and M)
     */
    public record Collect(int rollouts, Policy policy, int actionRepeat, int evalEpisodes, long replayCapacity) {
        public Collect {
            if (rollouts < 1 || policy == null || actionRepeat < 1 || evalEpisodes < 1 || replayCapacity < 1)
                throw new IllegalArgumentException("collect: rollouts " + rollouts + ", policy " + policy + ", actionRepeat " + actionRepeat
                        + ", evalEpisodes " + evalEpisodes + ", replayCapacity " + replayCapacity + " (each >= 1)");
        }
    }

    /**
     * V, the conv VAE ({@link Vae}).
     *
     * @param depth       channel multiplier of the conv stacks (32 in the paper)
     * @param latent      z
     * @param klTolerance free KL per latent dimension in nats (0.5)
     * @param batch       frames per step (100)
     * @param steps       gradient steps on random frames of the rollouts
     * @param optim       Adam (1e-4) and a global-norm clip
     */
    public record V(int depth, int latent, float klTolerance, int batch, int steps, Optim optim) {
        public V {
            if (depth < 1 || latent < 1 || !(klTolerance >= 0) || batch < 1 || steps < 0)
                throw new IllegalArgumentException("vae: depth " + depth + ", latent " + latent + ", klTolerance " + klTolerance + ", batch "
                        + batch + ", steps " + steps + " (sizes >= 1, klTolerance and steps >= 0)");
        }
    }

    /**
     * M, the MDN-RNN ({@link MdnRnn}).
     *
     * @param hidden       LSTM units (256 CarRacing, 512 Doom)
     * @param mixtures     Gaussians per latent dimension (5)
     * @param batch        sequences per step (100)
     * @param chunk        transitions per sequence (the paper: whole 1000-step rollouts)
     * @param steps        gradient steps
     * @param rewardWeight weight of the reward head's squared error
     * @param doneWeight   weight of the done head's cross-entropy
     * @param lr           Adam's learning rate (1e-3)
     * @param clip         every gradient clipped to +-clip (1.0)
     */
    public record M(int hidden, int mixtures, int batch, int chunk, int steps, float rewardWeight, float doneWeight, double lr, double clip) {
        public M {
            if (hidden < 1 || mixtures < 1 || batch < 1 || chunk < 1 || steps < 0 || !(rewardWeight >= 0) || !(doneWeight >= 0)
                    || !(lr > 0) || !(clip > 0))
                throw new IllegalArgumentException("mdn: hidden " + hidden + ", mixtures " + mixtures + ", batch " + batch + ", chunk " + chunk
                        + ", steps " + steps + ", weights " + rewardWeight + "/" + doneWeight + ", lr " + lr + ", clip " + clip
                        + " (sizes >= 1, steps and weights >= 0, lr and clip > 0)");
        }
    }

    /**
     * C, the controller ({@link Controller}).
     *
     * @param useHidden read [z, h] (the paper's full C) or z alone (its "z only" ablation)
     * @param units     tanh units of a hidden layer; 0 for the paper's linear C
     */
    public record C(boolean useHidden, int units) {
        public C {
            if (units < 0) throw new IllegalArgumentException("controller: units " + units + " (>= 0; 0 is the linear C)");
        }
    }

    /**
     * CMA-ES on C's parameters ({@link latte.models.evolve.CmaEs}).
     *
     * @param population  candidates per generation (64 in the paper; 0: CMA-ES's default 4 + 3 ln n)
     * @param rollouts    episodes averaged per candidate (16)
     * @param sigma0      initial step size (0.1), the search starting from zero
     * @param weightDecay fitness penalty weight on mean(theta^2) (0.01)
     * @param generations the most generations (the time budget may end the search first)
     * @param evalEvery   evaluate C's mean in the real task every this many generations
     * @param sharedStarts every candidate of a generation meets the same episodes (common random numbers: on a task with
     *                    random starts the ranking then measures the controllers, not the draw); the paper draws them apart
     */
    public record Evolution(int population, int rollouts, double sigma0, double weightDecay, int generations, int evalEvery,
                            boolean sharedStarts) {
        public Evolution {
            if (population == 1 || population < 0 || rollouts < 1 || !(sigma0 > 0) || !(weightDecay >= 0) || generations < 0 || evalEvery < 1)
                throw new IllegalArgumentException("evolution: population " + population + " (0 for the default, else >= 2), rollouts "
                        + rollouts + " (>= 1), sigma0 " + sigma0 + " (> 0), weightDecay " + weightDecay + " (>= 0), generations "
                        + generations + " (>= 0), evalEvery " + evalEvery + " (>= 1)");
        }
    }

    public WorldModelsConfig {
        if (!(tau > 0) || !Float.isFinite(tau))
            throw new IllegalArgumentException("WorldModelsConfig: tau " + tau + ", expected a finite temperature > 0");
    }

    /** The published CarRacing setup (V 4.3M parameters, M 256 units, C 867 parameters, CMA-ES 64 x 16). */
    public static WorldModelsConfig paper() {
        return ConfigCodec.decode(WorldModelsConfig.class, tree(
                "preset", "paper",
                "collect", tree("rollouts", 10_000, "policy", "RANDOM", "actionRepeat", 1, "evalEpisodes", 100,
                        "replayCapacity", 10_000_000),
                "vae", tree("depth", 32, "latent", 32, "klTolerance", 0.5, "batch", 100, "steps", 100_000,
                        "optim", tree("lr", 1e-4, "eps", 1e-7, "clip", 1e9)),
                "mdn", tree("hidden", 256, "mixtures", 5, "batch", 100, "chunk", 999, "steps", 20_000, "rewardWeight", 0,
                        "doneWeight", 0, "lr", 1e-3, "clip", 1.0),
                "controller", tree("useHidden", true, "units", 0),
                "evolution", tree("population", 64, "rollouts", 16, "sigma0", 0.1, "weightDecay", 0.01, "generations", 2000,
                        "evalEvery", 25, "sharedStarts", false),
                "dreamTraining", false, "tau", 1.15));
    }

    /**
     * Fits two cores in 20 minutes: 100 brownian rollouts; a quarter of V's channels and z = 16,
     * trained for 5,000 steps (before about 2,000 V sits on the mean image, which encodes no
     * pose); a 32-unit M over 32-step chunks; C with a hidden layer of 8 tanh units (a linear C on
     * Pendulum's state stalls near -850: it cannot both pump energy and balance); CMA-ES at its
     * default population with sigma0 0.5 (0.1 leaves the hidden units in their linear range,
     * where the fitness landscape is flat) and 4 rollouts per candidate from shared starts.
     */
    public static WorldModelsConfig cpu() {
        return derive(paper(), "cpu",
                "collect.rollouts", 100, "collect.policy", "BROWNIAN", "collect.actionRepeat", 2, "collect.evalEpisodes", 10,
                "collect.replayCapacity", 100_000,
                "vae.depth", 8, "vae.latent", 16, "vae.batch", 32, "vae.steps", 5000, "vae.optim.lr", 1e-3,
                "mdn.hidden", 32, "mdn.batch", 16, "mdn.chunk", 32, "mdn.steps", 1500, "mdn.rewardWeight", 1, "mdn.doneWeight", 1,
                "controller.units", 8,
                "evolution.population", 0, "evolution.rollouts", 4, "evolution.sigma0", 0.5, "evolution.sharedStarts", true,
                "evolution.generations", 100_000, "evolution.evalEvery", 10);
    }

    /** Tiny sizes for tests: a few seconds end to end. */
    public static WorldModelsConfig debug() {
        return derive(cpu(), "debug",
                "collect.rollouts", 2, "collect.actionRepeat", 4, "collect.evalEpisodes", 1, "collect.replayCapacity", 10_000,
                "vae.depth", 4, "vae.latent", 4, "vae.batch", 4, "vae.steps", 3,
                "mdn.hidden", 8, "mdn.mixtures", 2, "mdn.batch", 2, "mdn.chunk", 4, "mdn.steps", 3,
                "evolution.population", 4, "evolution.rollouts", 1, "evolution.generations", 2, "evolution.evalEvery", 1);
    }

    /** A preset by name; unknown names list the valid ones. */
    public static WorldModelsConfig preset(String name) {
        return switch (name) {
            case "paper" -> paper();
            case "cpu" -> cpu();
            case "debug" -> debug();
            default -> throw Presets.unknown(name, PRESETS);
        };
    }
}
