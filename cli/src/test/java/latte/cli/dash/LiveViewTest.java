package latte.cli.dash;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import latte.autodiff.io.Json;
import latte.models.loop.Trainer;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.replay.ObsSpec;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live pictures: what they hold, and how often they are drawn. */
class LiveViewTest {
    /** An episode of {@code steps} frames whose red channel is the step number (so columns can be told apart). */
    static EpisodeFile.Episode episode(int steps) {
        int frame = 64 * 64 * 3;
        byte[][] obs = new byte[steps + 1][];
        float[][] actions = new float[steps][];
        for (int t = 0; t <= steps; t++) {
            obs[t] = new byte[frame];
            for (int i = 0; i < frame; i += 3) obs[t][i] = (byte) t;
            if (t < steps) actions[t] = new float[] {0.5f};
        }
        return new EpisodeFile.Episode(ObsSpec.frame(64, 64, 3), 1, obs, actions, new float[steps], false);
    }

    @Test
    void drawsTenStepsOfTheDreamInThreeRowsAndThePerStepSurprise(@TempDir Path dir) throws IOException {
        RunDir run = new RunDir(dir);
        EpisodeFile.write(run.episode(3), episode(100));
        assertThat(LiveView.write(run, new PlanetLearner(PlanetConfig.debug(), 1, 0), 3, 0)).isTrue();

        BufferedImage img = ImageIO.read(dir.resolve(LiveView.PICTURE).toFile());
        assertThat(img.getWidth()).isEqualTo(10 * 64 + 9 * 2);
        assertThat(img.getHeight()).isEqualTo(3 * 64 + 2 * 2);
        // top row: the real frames of steps 0, 7, ..., 59 of the dream (observations 1, 8, ..., 60)
        for (int c = 0; c < 10; c++) {
            int step = (int) Math.round(c * 59.0 / 9);
            assertThat((img.getRGB(c * 66 + 5, 5) >> 16) & 0xff).as("column %d", c).isEqualTo(step + 1);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> kl = (Map<String, Object>) Json.parse(Files.readString(dir.resolve(LiveView.SURPRISE)));
        assertThat(kl.get("episode")).isEqualTo(3L);
        assertThat((List<?>) kl.get("kl")).hasSize(LiveView.STEPS).allSatisfy(v -> assertThat(((Number) v).doubleValue()).isNotNegative());
        assertThat(LiveView.write(run, new PlanetLearner(PlanetConfig.debug(), 1, 0), 4, 0)).as("no episode 4").isFalse();
    }

    @Test
    void drawsAfterNewEpisodesAtMostAShareOfTheTimeAndCountsItOutsideTheTrainersClock(@TempDir Path dir) {
        RunDir run = new RunDir(dir);
        for (int e = 1; e <= 5; e++) EpisodeFile.write(run.episode(e), episode(20));
        List<String> seen = new ArrayList<>();
        Trainer.Listener inner = new Trainer.Listener() {
            @Override public void progress(Trainer.Progress p) { seen.add(p.phase() + " " + p.episode()); }
            @Override public double outsideSeconds() { return 7; }
        };
        Trainer.Listener live = LiveView.around(inner, run, new PlanetLearner(PlanetConfig.debug(), 1, 0), 0, 0.05);
        Path picture = dir.resolve(LiveView.PICTURE);
        double t = 1, costs = 0;
        for (int e = 1; e <= LiveView.WARM_UP; e++) {                       // warming up: one at each new episode
            live.progress(progress("collecting", e, t));
            assertThat(picture).as("episode %d", e).exists();
            picture.toFile().delete();
            double cost = live.outsideSeconds() - 7 - costs;
            assertThat(cost).isPositive();
            costs += cost;
            t += cost;
        }
        assertThat(seen).hasSize(LiveView.WARM_UP);
        live.progress(progress("collecting", 4, t));                        // too soon: the next waits 20 x a picture's cost
        assertThat(picture).doesNotExist();
        live.progress(progress("training", 4, t + 20 * costs + 0.01));       // long enough after (costs bounds that cost): drawn
        assertThat(picture).exists();
        picture.toFile().delete();
        live.progress(progress("training", 4, 1e6));                        // the same episode: nothing new to draw
        live.progress(progress("final evaluation", 5, 2e6));                // the end of the run is the trainer's
        assertThat(picture).doesNotExist();
        assertThat(live.outsideSeconds()).isGreaterThan(7 + costs);
        assertThat(seen).hasSize(LiveView.WARM_UP + 4);
    }

    private static Trainer.Progress progress(String phase, int episode, double elapsed) {
        return new Trainer.Progress(phase, episode, episode * 200L, 0, elapsed, 0, Double.NaN, Double.NaN, Map.of());
    }
}
