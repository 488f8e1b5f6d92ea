package latte.models.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.models.config.ConfigCodec;
import latte.models.nets.Frames;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.replay.Batch;
import latte.models.replay.ObsSpec;
import latte.models.rssm.Rssm;
import latte.models.run.EpisodeFile;
import org.junit.jupiter.api.Test;

/** The open-loop prediction error and the per-step surprise, against hand computations. */
class OpenLoopTest {
    /** An episode of {@code steps} steps: a red bar that moves with the actions. */
    static EpisodeFile.Episode episode(int steps, long seed) {
        Rng rng = new Rng(seed);
        int frame = 64 * 64 * 3;
        byte[][] obs = new byte[steps + 1][];
        float[][] actions = new float[steps][];
        float[] rewards = new float[steps];
        obs[0] = new byte[frame];
        float x = 0;
        for (int t = 0; t < steps; t++) {
            float a = rng.uniform(-1, 1);
            x = Math.max(-1, Math.min(1, x + 0.3f * a));
            int col = (int) ((x + 1) * 31.5f);
            byte[] g = new byte[frame];
            for (int y = 20; y < 44; y++)
                for (int c = Math.max(0, col - 3); c < Math.min(64, col + 3); c++) g[(y * 64 + c) * 3] = (byte) 255;
            obs[t + 1] = g;
            actions[t] = new float[] {a};
            rewards[t] = -x * x;
        }
        return new EpisodeFile.Episode(ObsSpec.frame(64, 64, 3), 1, obs, actions, rewards, false);
    }

    @Test
    void batchedStartsEqualOneStartAtATimeByHandAndHoldingTheFrameIsItsBaseline() {
        WorldModel model = new PlanetLearner(PlanetConfig.debug(), 1, 0).model();
        EpisodeFile.Episode ep = episode(30, 1);
        int[] horizons = {5, 1, 10, 5};
        OpenLoop.Errors e = OpenLoop.errors(model, ep, 5, horizons, 5, new Rng(0));
        assertThat(e.horizons()).containsExactly(1, 5, 10);
        assertThat(e.starts()).isEqualTo(4);                               // t = 4, 9, 14, 19: t + 10 <= 29

        double[] model5 = new double[1], hold5 = new double[1];
        int frame = 64 * 64 * 3;
        try (Tape.Scope ignored = Tape.noGrad()) {
            for (int start : new int[] {4, 9, 14, 19}) {
                Rssm.State s = model.initial(1);
                for (int t = 0; t <= start; t++)
                    s = model.filter(s, Var.of(ep.actions()[t].clone(), 1, 1), ep.layout().decode(ep.obs()[t + 1], 0), true, null);
                for (int k = 1; k <= 5; k++) s = model.imagine(s, Var.of(ep.actions()[start + k].clone(), 1, 1), true, null);
                byte[] img = new byte[frame];
                Frames.postprocess(model.decode(model.features(s)).toArray(), 0, frame, img, 0);
                model5[0] += mse(ep.obs()[start + 6], img);
                hold5[0] += mse(ep.obs()[start + 6], ep.obs()[start + 1]);
            }
        }
        assertThat(e.modelMse()[1]).isCloseTo(model5[0] / 4, within(1e-6));
        assertThat(e.holdMse()[1]).isCloseTo(hold5[0] / 4, within(1e-12));
        assertThat(e.holdMse()[0]).isPositive();                          // the bar moves
        OpenLoop.Errors twice = e.plus(e);
        assertThat(twice.modelMse()).containsExactly(e.modelMse(), within(1e-12));
        assertThat(twice.starts()).isEqualTo(8);
    }

    @Test
    void anEpisodeTooShortForTheHorizonIsAnErrorThatSaysSo() {
        WorldModel model = new PlanetLearner(PlanetConfig.debug(), 1, 0).model();
        assertThatThrownBy(() -> OpenLoop.errors(model, episode(12, 1), 5, new int[] {1, 10}, 5, new Rng(0)))
                .hasMessageContaining("12 steps is too short for 5 context frames and a horizon of 10");
        assertThatThrownBy(() -> OpenLoop.errors(model, episode(12, 1), 5, new int[] {0}, 5, new Rng(0)))
                .hasMessageContaining("horizons >= 1");
    }

    /** Without free nats, the surprise of each step averages to the KL term of the training loss on the same chunk. */
    @Test
    void perStepSurpriseAveragesToTheLossKlTerm() {
        PlanetConfig c = ConfigCodec.with(PlanetConfig.debug(), "model.loss.freeNats", 0, "model.loss.klBalance", 0);
        RssmWorldModel model = new PlanetLearner(c, 1, 0).model();
        EpisodeFile.Episode ep = episode(20, 2);
        float[] kl = Surprise.perStep(model, ep, 12, new Rng(7));
        assertThat(kl).hasSize(12);
        double mean = 0;
        for (float k : kl) {
            assertThat(k).isFinite().isGreaterThanOrEqualTo(0f);
            mean += k / 12.0;
        }
        Batch chunk = ep.chunk(1, 12);
        float lossKl;
        try (Tape.Scope ignored = Tape.noGrad()) {
            lossKl = model.loss(chunk, new Rng(7)).kl();
        }
        assertThat(mean).isCloseTo(lossKl, within(1e-4 * Math.max(1, lossKl)));
    }

    @Test
    void anEpisodeChunkFollowsTheBatchConvention() {
        EpisodeFile.Episode ep = episode(6, 3);
        Batch b = ep.chunk(2, 3);
        assertThat(b.steps()).isEqualTo(3);
        assertThat(b.action()).containsExactly(ep.actions()[1][0], ep.actions()[2][0], ep.actions()[3][0]);
        assertThat(b.reward()).containsExactly(ep.rewards()[1], ep.rewards()[2], ep.rewards()[3]);
        assertThat(java.util.Arrays.copyOfRange(b.obs(), 0, 64 * 64 * 3)).isEqualTo(ep.obs()[2]);
        assertThatThrownBy(() -> ep.chunk(0, 2)).hasMessageContaining("observation 0 has no action");
        assertThatThrownBy(() -> ep.chunk(5, 3)).hasMessageContaining("not within");
    }

    private static double mse(byte[] x, byte[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = ((x[i] & 0xff) - (y[i] & 0xff)) / 255.0;
            s += d * d;
        }
        return s / x.length;
    }
}
