package latte.models.config;

import static latte.models.config.Presets.tree;

import java.util.Map;
import latte.models.uncertainty.ExplorationConfig;

/**
 * Reads the flat {@code config.json} layout of runs written before the nested configurations
 * (file version "1") into today's trees, so every earlier PlaNet and Dreamer run still loads,
 * evaluates, dreams and resumes. Fields added over time are absent from older files; each gets
 * the value that reproduces the behaviour of the code that wrote the file (the setting was off,
 * or fixed at that value, before it existed).
 */
public final class LegacyConfigs {
    private LegacyConfigs() {}

    /** PlaNet's flat map: model, optimiser, loop and planner fields side by side. */
    public static Map<String, Object> planet(Map<String, Object> old) {
        Flat f = new Flat(old);
        return tree("preset", f.get("preset"), "model", model(f, false, 0, false), "optim", optim(f),
                "loop", loop(f, 1),
                "planner", tree("horizon", f.get("cemHorizon"), "candidates", f.get("cemCandidates"), "topK", f.get("cemTopK"),
                        "iterations", f.get("cemIterations"), "planMean", f.or("planMean", false)));   // acting on samples before planMean
    }

    /** Dreamer's map: PlaNet's flat map under "world" (its planner fields unused) and the behaviour fields beside it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> dreamer(Map<String, Object> old) {
        if (!(old.get("world") instanceof Map<?, ?> w))
            throw new IllegalArgumentException("config: missing object 'world' (the world model of a Dreamer run of file version 1)");
        Flat world = new Flat((Map<String, Object>) w), f = new Flat(old);
        Object eps = f.or("behaviourEps", world.get("adamEps"));           // one epsilon for every optimiser before behaviourEps
        Object clip = f.get("behaviourClip");
        return tree("preset", f.get("preset"),
                "model", model(world, f.get("freeNatsAfterMean"), f.get("klBalance"), f.get("continuation")),
                "optim", optim(world),
                "loop", loop(world, f.or("shards", 1)),
                "actor", tree("hidden", f.get("actorHidden"), "layers", f.get("actorLayers"), "initStd", f.get("actorInitStd"),
                        "meanScale", f.or("actorMeanScale", 5), "minStd", f.or("actorMinStd", 1e-4), "entropy", f.get("actorEntropy"),
                        "optim", tree("lr", f.get("actorLr"), "eps", eps, "clip", clip)),
                "value", tree("hidden", f.get("valueHidden"), "layers", f.get("valueLayers"), "symlog", f.or("symlogValue", false),
                        "targetEvery", f.get("targetEvery"), "optim", tree("lr", f.get("valueLr"), "eps", eps, "clip", clip)),
                "imagination", tree("horizon", f.get("horizon"), "gamma", f.get("gamma"), "lambda", f.get("lambda"),
                        "bounded", f.or("boundedImagination", false), "returnNorm", f.or("returnNorm", false),
                        "updates", f.or("behaviourUpdates", 1)),
                "exploration", ConfigCodec.encode(ExplorationConfig.OFF));                 // before exploration: off
    }

    private static Map<String, Object> model(Flat f, Object freeNatsAfterMean, Object klBalance, Object continuation) {
        boolean categorical = "CATEGORICAL".equals(f.or("latent", "GAUSSIAN"));   // Gaussian before categorical latents
        return tree("depth", f.get("depth"),
                "rssm", tree("deter", f.get("deter"), "stoch", f.get("stoch"), "hidden", f.get("hidden"), "minStd", f.get("minStd"),
                        "act", f.get("activation"), "latent", categorical ? "CATEGORICAL" : "GAUSSIAN",
                        "classes", categorical ? f.get("classes") : 0),
                "rewardHidden", f.get("rewardHidden"), "rewardLayers", f.get("rewardLayers"), "bitDepth", f.get("bitDepth"),
                "loss", tree("objective", f.get("objective"), "freeNats", f.get("freeNats"), "freeNatsAfterMean", freeNatsAfterMean,
                        "klScale", f.get("klScale"), "klBalance", klBalance, "rewardScale", f.get("rewardScale"),
                        "overshooting", f.get("overshooting"), "overshootingScale", f.get("overshootingScale"),
                        "continuation", continuation));
    }

    private static Map<String, Object> optim(Flat f) {
        return tree("lr", f.get("lr"), "eps", f.get("adamEps"), "clip", f.get("gradClip"));
    }

    private static Map<String, Object> loop(Flat f, Object shards) {
        return tree("batch", f.get("batch"), "chunk", f.get("chunk"), "seedEpisodes", f.get("seedEpisodes"),
                "trainSteps", f.get("trainSteps"), "explorationNoise", f.get("explorationNoise"), "actionRepeat", f.get("actionRepeat"),
                "evalEvery", f.get("evalEvery"), "evalEpisodes", f.get("evalEpisodes"), "replayCapacity", f.get("replayCapacity"),
                "shards", shards);
    }

    /** A flat map whose missing fields are named in the error. */
    private record Flat(Map<String, Object> m) {
        Object get(String k) {
            Object v = m.get(k);
            if (v == null) throw new IllegalArgumentException("config: missing field '" + k + "' (config.json of file version 1)");
            return v;
        }

        Object or(String k, Object absent) {
            Object v = m.get(k);
            return v == null ? absent : v;
        }
    }
}
