package latte.cli;

import static latte.autodiff.ShapeOps.reshape;
import static latte.autodiff.Ops.sub;
import static latte.autodiff.Ops.square;
import static latte.autodiff.ReduceOps.mean;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Linear;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Rng;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.models.Agent;
import latte.models.config.ConfigCodec;
import latte.models.config.LoopConfig;
import latte.models.config.Optim;
import latte.models.config.Presets;
import latte.models.family.AgentFamily;
import latte.models.family.TaskSpec;
import latte.models.loop.InterleavedLoop;
import latte.models.loop.Learner;
import latte.models.loop.Loop;
import latte.models.replay.Batch;
import latte.models.replay.ObsSpec;
import latte.models.run.Checkpoint;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;

/**
 * An agent family that exists only in the tests: a linear reward model r(o, a) fitted on replayed
 * state vectors, acting greedily among three candidate actions. It plugs into the registry like
 * PlaNet and Dreamer, reads state vectors instead of frames, and pictures its predictions.
 */
final class ToyFamily implements AgentFamily<ToyFamily.Config> {
    /** Its whole configuration. */
    record Config(String preset, LoopConfig loop, Optim optim) {}

    static final ToyFamily INSTANCE = new ToyFamily();

    @Override public String name() { return "toy"; }
    @Override public String summary() { return "a linear reward model acting greedily (a test family)"; }
    @Override public Class<Config> configType() { return Config.class; }
    @Override public ObsSpec.Kind observation() { return ObsSpec.Kind.VECTOR; }

    @Override
    public Config preset(String name) {
        Config base = ConfigCodec.decode(Config.class, Presets.tree("preset", "debug",
                "loop", Presets.tree("batch", 4, "chunk", 3, "seedEpisodes", 1, "trainSteps", 3, "explorationNoise", 0.1,
                        "actionRepeat", 4, "evalEvery", 1, "evalEpisodes", 1, "replayCapacity", 1000, "shards", 1),
                "optim", Presets.tree("lr", 0.05, "eps", 1e-8, "clip", 100)));
        if (name.equals("debug")) return base;
        throw Presets.unknown(name, List.of("debug"));
    }

    @Override
    public List<String> presets() {
        return List.of("debug");
    }

    @Override
    public Learner learner(Config config, TaskSpec task, long seed) {
        return new ToyLearner(config, task, seed);
    }

    /** One frame per step: the real reward (left bar) next to the model's prediction (right bar), both scaled by 1/20. */
    @Override
    public List<Frame> dream(Learner learner, EpisodeFile.Episode ep, Rng rng) {
        ToyLearner l = (ToyLearner) learner;
        List<Frame> out = new ArrayList<>();
        for (int t = 0; t < ep.steps(); t++) {
            float[] o = ((Observation.State) ep.layout().decode(ep.obs()[t], 0)).values();
            float predicted;
            try (Tape.Scope ignored = Tape.noGrad()) {
                predicted = l.predict(o, ep.actions()[t]);
            }
            byte[] px = new byte[16 * 16 * 3];
            bar(px, 2, -ep.rewards()[t] / 20);
            bar(px, 10, -predicted / 20);
            out.add(new Frame(16, 16, 3, px));
        }
        return out;
    }

    private static void bar(byte[] px, int x0, float height) {
        int h = Math.max(0, Math.min(16, Math.round(16 * height)));
        for (int y = 16 - h; y < 16; y++) for (int x = x0; x < x0 + 4; x++) px[(y * 16 + x) * 3] = (byte) 255;
    }

    static final class ToyLearner implements Learner, InterleavedLoop.Steps {
        private final Config config;
        private final TaskSpec task;
        private final ParamStore store = new ParamStore();
        private final Linear reward;
        private final Adam adam;
        private final Checkpoint checkpoint;

        ToyLearner(Config config, TaskSpec task, long seed) {
            this.config = config;
            this.task = task;
            this.reward = new Linear(store.scope("reward"), task.observation().channels() + task.actionSize(), 1, new Rng(seed));
            this.adam = new Adam(store, config.optim().adam());
            this.checkpoint = new Checkpoint(List.of(new Checkpoint.Params("model", "", store)), List.of(new Checkpoint.Moments("", adam)));
        }

        float predict(float[] obs, float[] action) {
            float[] x = new float[obs.length + action.length];
            System.arraycopy(obs, 0, x, 0, obs.length);
            System.arraycopy(action, 0, x, obs.length, action.length);
            return reward.apply(Var.of(x, 1, x.length)).item();
        }

        @Override public String family() { return "toy"; }
        @Override public Config config() { return config; }

        @Override
        public Settings settings() {
            return new Settings(ObsSpec.Kind.VECTOR, config.loop().actionRepeat(), config.loop().evalEpisodes(), config.loop().replayCapacity());
        }

        @Override
        public Loop loop() {
            return new InterleavedLoop(config.loop(), this);
        }

        /** r(o_{t-1}, a_t) regressed on the replayed reward r_t: the previous observation comes from the row before. */
        @Override
        public Map<String, Double> trainStep(Batch b, Rng rng) {
            int n = (b.steps() - 1) * b.batch(), d = b.layout().channels(), a = b.actionSize();
            float[] x = new float[n * (d + a)], y = new float[n];
            for (int t = 1; t < b.steps(); t++)
                for (int i = 0; i < b.batch(); i++) {
                    int row = (t - 1) * b.batch() + i, prev = (t - 1) * b.batch() + i, cur = t * b.batch() + i;
                    ByteBuffer o = ByteBuffer.wrap(b.obs(), prev * b.frameSize(), b.frameSize()).order(ByteOrder.LITTLE_ENDIAN);
                    for (int k = 0; k < d; k++) x[row * (d + a) + k] = o.getFloat();
                    System.arraycopy(b.action(), cur * a, x, row * (d + a) + d, a);
                    y[row] = b.reward()[cur];
                }
            float loss;
            try (Tape tape = Tape.record()) {
                Var l = mean(square(sub(reshape(reward.apply(Var.of(x, n, d + a)), n), Var.of(y, n))));
                loss = l.item();
                tape.backward(l);
            }
            double norm = GradClip.globalNorm(store, config.optim().clip());
            adam.step();
            store.zeroGrad();
            return Map.of("reward", (double) loss, "gradNorm", norm);
        }

        /** Greedy among -1, 0 and +1 on every action dimension at once, plus the exploration noise. */
        @Override
        public Agent agent(float noise, Rng rng) {
            return new Agent() {
                @Override public void reset() {}
                @Override public int actionSize() { return task.actionSize(); }

                @Override
                public float[] act(Observation observation) {
                    float[] o = ((Observation.State) observation).values(), best = null;
                    float bestR = Float.NEGATIVE_INFINITY;
                    try (Tape.Scope ignored = Tape.noGrad()) {
                        for (float c : new float[] {-1, 0, 1}) {
                            float[] act = new float[task.actionSize()];
                            java.util.Arrays.fill(act, c);
                            float r = predict(o, act);
                            if (r > bestR) { bestR = r; best = act; }
                        }
                    }
                    for (int i = 0; i < best.length; i++) best[i] = Math.max(-1, Math.min(1, best[i] + noise * rng.normal()));
                    return best;
                }
            };
        }

        @Override
        public void save(RunDir run, Map<String, String> metadata) {
            checkpoint.save(run, metadata, Map.of(), Map.of());
        }

        @Override
        public void load(RunDir run) {
            checkpoint.load(run);
        }
    }
}
