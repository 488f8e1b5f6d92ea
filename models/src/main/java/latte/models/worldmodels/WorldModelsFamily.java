package latte.models.worldmodels;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.LstmState;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.dist.MixtureGaussian1d;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.config.ConfigCodec;
import latte.models.family.AgentFamily;
import latte.models.family.TaskSpec;
import latte.models.loop.Learner;
import latte.models.replay.ObsSpec;
import latte.models.run.EpisodeFile;

/** World Models (Ha and Schmidhuber 2018): V (conv VAE), M (MDN-RNN), C (linear, evolved by CMA-ES). */
public final class WorldModelsFamily implements AgentFamily<WorldModelsConfig> {
    public static final String NAME = "worldmodels";
    public static final WorldModelsFamily INSTANCE = new WorldModelsFamily();

    private WorldModelsFamily() {}

    @Override public String name() { return NAME; }
    @Override public String summary() { return "World Models: conv VAE + MDN-RNN + linear controller evolved by CMA-ES (real or dream)"; }
    @Override public Class<WorldModelsConfig> configType() { return WorldModelsConfig.class; }
    @Override public WorldModelsConfig preset(String name) { return WorldModelsConfig.preset(name); }
    @Override public ObsSpec.Kind observation() { return ObsSpec.Kind.FRAME; }

    /** The task's customary action repeat ({@link TaskSpec#actionRepeat}), else the preset's. */
    @Override
    public WorldModelsConfig forTask(WorldModelsConfig c, TaskSpec task) {
        return ConfigCodec.with(c, "collect.actionRepeat", task.actionRepeat(c.collect().actionRepeat()));
    }

    @Override
    public Learner learner(WorldModelsConfig config, TaskSpec task, long seed) {
        return new WorldModelsLearner(config, task, seed);
    }

    /**
     * One row per step: | real frame | V's reconstruction of it | M's dream |. The dream column
     * follows the real frames for the first {@code context} steps (z = V's mean, h from M), then
     * M samples z_{t+1} from its mixture at the run's temperature under the recorded actions,
     * without seeing another frame, and V decodes what M imagines.
     */
    @Override
    public List<Frame> dream(Learner learner, EpisodeFile.Episode ep, Rng rng) {
        WorldModelsLearner l = (WorldModelsLearner) learner;
        Vae v = l.vae();
        MdnRnn m = l.mdn();
        int steps = Math.min(ep.steps(), 60), context = Math.min(5, steps), frame = 64 * 64 * 3;
        float tau = l.config().tau();
        List<Frame> out = new ArrayList<>(steps);
        try (Tape.Scope ignored = Tape.noGrad()) {
            LstmState state = m.initialState(1);
            Var dreamed = null;
            for (int t = 0; t < steps; t++) {
                Var z = WorldModelsAgent.encode(v, (Frame) ep.layout().decode(ep.obs()[t], 0));      // [1, z]
                Var zd = t < context ? z : dreamed;
                Var both = v.decode(latte.autodiff.ShapeOps.concat(0, z, zd));                    // [2, 64, 64, 3] in (0, 1)
                float[] img = both.toArray();
                byte[] row = new byte[64 * 192 * 3];
                byte[][] panels = {ep.obs()[t], pixels(img, 0), pixels(img, frame)};
                for (int y = 0; y < 64; y++)
                    for (int p = 0; p < 3; p++) System.arraycopy(panels[p], y * 64 * 3, row, (y * 192 + p * 64) * 3, 64 * 3);
                out.add(new Frame(64, 192, 3, row));
                // M steps on the dream's own z once the context is over; its sample is the next dreamed z
                MdnRnn.Prediction next = m.step(zd, Var.of(ep.actions()[t].clone(), 1, ep.actions()[t].length), state);
                state = next.state();
                MixtureGaussian1d mix = next.next();
                dreamed = mix.sample(rng, tau);
            }
        }
        return out;
    }

    private static byte[] pixels(float[] img, int offset) {
        byte[] b = new byte[64 * 64 * 3];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Math.round(255 * Math.max(0f, Math.min(1f, img[offset + i])));
        return b;
    }
}
