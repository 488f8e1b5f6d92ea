package latte.models.planet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.nn.Activation;
import latte.models.plan.Cem;
import latte.models.rssm.Rssm;

/**
 * Every hyperparameter of a PlaNet run, with the published values in {@link #paper()}
 * (Hafner et al. 2019, appendix A and the official configs), a {@link #cpu()} preset that learns
 * on two cores, and a tiny {@link #debug()} preset for tests.
 *
 * @param depth            encoder/decoder channel multiplier d (channels d, 2d, 4d, 8d)
 * @param rssm             state sizes, min std and activation
 * @param rewardHidden     width of the reward MLP's hidden layers
 * @param rewardLayers     number of hidden layers of the reward MLP
 * @param objective        variational (ELBO) or deterministic encoder
 * @param freeNats         KL below this many nats per step is not penalised
 * @param klScale          weight of the KL (or transition log-likelihood) term
 * @param rewardScale      weight of the reward log-likelihood (10 in the official config)
 * @param overshooting     latent overshooting distance D (1 = off)
 * @param overshootingScale weight of the overshooting KL terms for distances 2..D
 * @param bitDepth         observation bit depth (5: x' = floor(x / 8) / 32 + U(0, 1/32) - 0.5)
 * @param batch            sequences per batch B
 * @param chunk            steps per sequence T
 * @param lr               Adam learning rate
 * @param adamEps          Adam epsilon
 * @param gradClip         global-norm gradient clip
 * @param cem              planner sizes
 * @param seedEpisodes     episodes of random actions before training
 * @param trainSteps       gradient steps per collected episode
 * @param explorationNoise std of the Gaussian noise added to the planner's action when collecting
 * @param actionRepeat     environment steps per decision
 * @param evalEvery        evaluate (without noise) every this many collected episodes
 * @param evalEpisodes     episodes per evaluation
 * @param replayCapacity   replay buffer bound in decisions (each a 64x64x3 frame of 12 KB)
 * @param planMean         act on means: the filter keeps the posterior mean and the planner rolls
 *                         candidates forward on the prior mean, instead of samples (PlaNet samples;
 *                         with few candidates the sampling noise hides small return differences)
 */
public record PlanetConfig(String preset, int depth, Rssm.Config rssm, int rewardHidden, int rewardLayers,
                           Objective objective, float freeNats, float klScale, float rewardScale,
                           int overshooting, float overshootingScale, int bitDepth,
                           int batch, int chunk, double lr, double adamEps, double gradClip,
                           Cem.Config cem, int seedEpisodes, int trainSteps, float explorationNoise,
                           int actionRepeat, int evalEvery, int evalEpisodes, long replayCapacity,
                           boolean planMean) {

    public static final List<String> PRESETS = List.of("paper", "cpu", "debug");

    public PlanetConfig {
        // name every bad field (fields are not assigned yet, so this record's toString is of no use here)
        java.util.List<String> bad = new java.util.ArrayList<>();
        if (depth <= 0) bad.add("depth " + depth + " (> 0)");
        if (rewardHidden <= 0 || rewardLayers < 0) bad.add("reward MLP " + rewardLayers + " x " + rewardHidden);
        if (batch <= 0) bad.add("batch " + batch + " (> 0)");
        if (chunk < 2) bad.add("chunk " + chunk + " (>= 2)");
        if (bitDepth < 1 || bitDepth > 8) bad.add("bitDepth " + bitDepth + " (1..8)");
        if (overshooting < 1 || overshooting > chunk) bad.add("overshooting " + overshooting + " (1..chunk)");
        if (seedEpisodes < 1) bad.add("seedEpisodes " + seedEpisodes + " (>= 1)");
        if (trainSteps < 0) bad.add("trainSteps " + trainSteps + " (>= 0)");
        if (actionRepeat < 1) bad.add("actionRepeat " + actionRepeat + " (>= 1)");
        if (evalEvery < 1 || evalEpisodes < 1) bad.add("evalEvery " + evalEvery + ", evalEpisodes " + evalEpisodes + " (>= 1)");
        if (replayCapacity < chunk) bad.add("replayCapacity " + replayCapacity + " (>= chunk)");
        if (!(lr > 0) || !(gradClip > 0)) bad.add("lr " + lr + ", gradClip " + gradClip + " (> 0)");
        if (!bad.isEmpty()) throw new IllegalArgumentException("PlanetConfig: invalid " + String.join("; ", bad));
    }

    /** PlaNet's planner, which rolls candidates forward on prior samples ({@code planMean} false). */
    public PlanetConfig(String preset, int depth, Rssm.Config rssm, int rewardHidden, int rewardLayers,
                        Objective objective, float freeNats, float klScale, float rewardScale,
                        int overshooting, float overshootingScale, int bitDepth,
                        int batch, int chunk, double lr, double adamEps, double gradClip,
                        Cem.Config cem, int seedEpisodes, int trainSteps, float explorationNoise,
                        int actionRepeat, int evalEvery, int evalEpisodes, long replayCapacity) {
        this(preset, depth, rssm, rewardHidden, rewardLayers, objective, freeNats, klScale, rewardScale,
                overshooting, overshootingScale, bitDepth, batch, chunk, lr, adamEps, gradClip, cem, seedEpisodes,
                trainSteps, explorationNoise, actionRepeat, evalEvery, evalEpisodes, replayCapacity, false);
    }

    /** The published configuration (about 5.3M parameters at 64x64). */
    public static PlanetConfig paper() {
        return new PlanetConfig("paper", 32, new Rssm.Config(200, 30, 200, 0.1f, Activation.RELU), 300, 3,
                Objective.VARIATIONAL, 3f, 1f, 10f, 1, 0f, 5,
                50, 50, 1e-3, 1e-4, 1000,
                Cem.Config.paper(), 5, 100, 0.3f, 2, 10, 10, 1_000_000);
    }

    /**
     * Fits two cores: a quarter of the conv channels, smaller states, 16 x 32 batches, a lighter
     * planner that acts on means ({@code planMean}: on four trained Pendulum runs, 5 evaluation
     * episodes each, sampling gave -490, -605, -804, -228 and means -208, -362, -633, -100), and
     * fewer gradient steps per episode so that many episodes are collected in a few minutes.
     */
    public static PlanetConfig cpu() {
        return new PlanetConfig("cpu", 8, new Rssm.Config(64, 16, 64, 0.1f, Activation.RELU), 64, 2,
                Objective.VARIATIONAL, 3f, 1f, 10f, 1, 0f, 5,
                16, 32, 1e-3, 1e-4, 1000,
                new Cem.Config(12, 200, 20, 5), 5, 40, 0.3f, 2, 5, 10, 100_000, true);
    }

    /** Tiny sizes for tests: a few seconds end to end. */
    public static PlanetConfig debug() {
        return new PlanetConfig("debug", 2, new Rssm.Config(8, 4, 8, 0.1f, Activation.RELU), 8, 1,
                Objective.VARIATIONAL, 3f, 1f, 10f, 1, 0f, 5,
                2, 4, 1e-3, 1e-4, 1000,
                new Cem.Config(3, 10, 3, 2), 1, 2, 0.3f, 4, 1, 1, 10_000);
    }

    /** A preset by name; unknown names list the valid ones. */
    public static PlanetConfig preset(String name) {
        return switch (name) {
            case "paper" -> paper();
            case "cpu" -> cpu();
            case "debug" -> debug();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "'; valid presets: " + String.join(", ", PRESETS));
        };
    }

    public PlanetConfig withObjective(Objective o) {
        return new PlanetConfig(preset, depth, rssm, rewardHidden, rewardLayers, o, freeNats, klScale, rewardScale,
                overshooting, overshootingScale, bitDepth, batch, chunk, lr, adamEps, gradClip, cem, seedEpisodes,
                trainSteps, explorationNoise, actionRepeat, evalEvery, evalEpisodes, replayCapacity, planMean);
    }

    public PlanetConfig withOvershooting(int distance, float scale) {
        return new PlanetConfig(preset, depth, rssm, rewardHidden, rewardLayers, objective, freeNats, klScale, rewardScale,
                distance, scale, bitDepth, batch, chunk, lr, adamEps, gradClip, cem, seedEpisodes,
                trainSteps, explorationNoise, actionRepeat, evalEvery, evalEpisodes, replayCapacity, planMean);
    }

    public PlanetConfig withPlanMean(boolean mean) {
        return new PlanetConfig(preset, depth, rssm, rewardHidden, rewardLayers, objective, freeNats, klScale, rewardScale,
                overshooting, overshootingScale, bitDepth, batch, chunk, lr, adamEps, gradClip, cem, seedEpisodes,
                trainSteps, explorationNoise, actionRepeat, evalEvery, evalEpisodes, replayCapacity, mean);
    }

    public PlanetConfig withRssm(Rssm.Config r) {
        return new PlanetConfig(preset, depth, r, rewardHidden, rewardLayers, objective, freeNats, klScale, rewardScale,
                overshooting, overshootingScale, bitDepth, batch, chunk, lr, adamEps, gradClip, cem, seedEpisodes,
                trainSteps, explorationNoise, actionRepeat, evalEvery, evalEpisodes, replayCapacity, planMean);
    }

    public PlanetConfig withActionRepeat(int repeat) {
        return new PlanetConfig(preset, depth, rssm, rewardHidden, rewardLayers, objective, freeNats, klScale, rewardScale,
                overshooting, overshootingScale, bitDepth, batch, chunk, lr, adamEps, gradClip, cem, seedEpisodes,
                trainSteps, explorationNoise, repeat, evalEvery, evalEpisodes, replayCapacity, planMean);
    }

    /** A flat JSON-ready map (for config.json); {@link #fromMap} reads it back. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("depth", depth);
        m.put("deter", rssm.deter());
        m.put("stoch", rssm.stoch());
        m.put("hidden", rssm.hidden());
        m.put("minStd", rssm.minStd());
        m.put("activation", rssm.act().name());
        m.put("latent", rssm.latent().name());
        m.put("classes", rssm.classes());
        m.put("rewardHidden", rewardHidden);
        m.put("rewardLayers", rewardLayers);
        m.put("objective", objective.name());
        m.put("freeNats", freeNats);
        m.put("klScale", klScale);
        m.put("rewardScale", rewardScale);
        m.put("overshooting", overshooting);
        m.put("overshootingScale", overshootingScale);
        m.put("bitDepth", bitDepth);
        m.put("batch", batch);
        m.put("chunk", chunk);
        m.put("lr", lr);
        m.put("adamEps", adamEps);
        m.put("gradClip", gradClip);
        m.put("cemHorizon", cem.horizon());
        m.put("cemCandidates", cem.candidates());
        m.put("cemTopK", cem.topK());
        m.put("cemIterations", cem.iterations());
        m.put("seedEpisodes", seedEpisodes);
        m.put("trainSteps", trainSteps);
        m.put("explorationNoise", explorationNoise);
        m.put("actionRepeat", actionRepeat);
        m.put("evalEvery", evalEvery);
        m.put("evalEpisodes", evalEpisodes);
        m.put("replayCapacity", replayCapacity);
        m.put("planMean", planMean);
        return m;
    }

    public static PlanetConfig fromMap(Map<String, Object> m) {
        Reader r = new Reader(m);
        return new PlanetConfig(r.str("preset"), r.i("depth"),
                rssm(r),
                r.i("rewardHidden"), r.i("rewardLayers"), Objective.valueOf(r.str("objective")), r.f("freeNats"),
                r.f("klScale"), r.f("rewardScale"), r.i("overshooting"), r.f("overshootingScale"), r.i("bitDepth"),
                r.i("batch"), r.i("chunk"), r.d("lr"), r.d("adamEps"), r.d("gradClip"),
                new Cem.Config(r.i("cemHorizon"), r.i("cemCandidates"), r.i("cemTopK"), r.i("cemIterations")),
                r.i("seedEpisodes"), r.i("trainSteps"), r.f("explorationNoise"), r.i("actionRepeat"),
                r.i("evalEvery"), r.i("evalEpisodes"), (long) r.d("replayCapacity"),
                r.bool("planMean", false));
    }

    /** The RSSM's sizes; config.json files written before categorical latents have no "latent": Gaussian. */
    private static Rssm.Config rssm(Reader r) {
        Rssm.Config g = new Rssm.Config(r.i("deter"), r.i("stoch"), r.i("hidden"), r.f("minStd"), Activation.valueOf(r.str("activation")));
        if (!r.m().containsKey("latent")) return g;
        String kind = r.str("latent");
        for (Rssm.Kind k : Rssm.Kind.values())
            if (k.name().equals(kind)) return k == Rssm.Kind.GAUSSIAN ? g : g.categorical(g.stoch(), r.i("classes"));
        throw new IllegalArgumentException("config: field 'latent' is '" + kind + "', expected one of "
                + java.util.Arrays.toString(Rssm.Kind.values()));
    }

    /** Reads typed fields from a parsed JSON map with errors that name the field. */
    record Reader(Map<String, Object> m) {
        Object get(String k) {
            Object v = m.get(k);
            if (v == null) throw new IllegalArgumentException("config: missing field '" + k + "'");
            return v;
        }

        String str(String k) {
            return String.valueOf(get(k));
        }

        double d(String k) {
            if (get(k) instanceof Number n) return n.doubleValue();
            throw new IllegalArgumentException("config: field '" + k + "' is not a number: " + get(k));
        }

        float f(String k) {
            return (float) d(k);
        }

        /** A boolean that configs written before the field existed lack: those get {@code absent}. */
        boolean bool(String k, boolean absent) {
            Object v = m.get(k);
            if (v == null) return absent;
            if (v instanceof Boolean b) return b;
            throw new IllegalArgumentException("config: field '" + k + "' is not a boolean: " + v);
        }

        int i(String k) {
            return (int) d(k);
        }
    }
}
