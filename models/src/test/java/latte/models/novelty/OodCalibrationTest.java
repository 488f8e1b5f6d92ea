package latte.models.novelty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import latte.core.Rng;
import latte.models.config.ConfigCodec;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerLearner;
import latte.models.loop.Trainer;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** calibration.json at the end of a debug training: written atomically, read back, and what the scores are. */
class OodCalibrationTest {
    private static final Trainer.Listener QUIET = p -> {};

    @Test
    void aDebugPlanetTrainingEndsWithACalibrationFileThatReadsBack(@TempDir Path dir) throws Exception {
        PlanetLearner l = new PlanetLearner(PlanetConfig.debug(), 1, 3);
        RunDir run = new RunDir(dir);
        Trainer.create(run, l, "Pendulum-v1", 3).run(new Trainer.Budget(0, 2), QUIET);

        Path file = Calibration.file(run);
        assertThat(file).exists().hasFileName("calibration.json");
        try (Stream<Path> files = Files.list(dir)) {                     // atomic: no temp file left beside it
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        Map<String, Object> json = RunDir.readJson(file);
        assertThat(json).containsKeys("version", "source", "episodes", "steps", "levels", "scores");
        assertThat(java.util.Set.copyOf(((Map<?, ?>) json.get("scores")).keySet())).isEqualTo(java.util.Set.of("kl", "nll"));   // no ensemble in PlaNet
        assertThat(java.util.Set.copyOf(((Map<?, ?>) ((Map<?, ?>) json.get("scores")).get("kl")).keySet()))
                .isEqualTo(java.util.Set.of("p95", "p99", "p99.9", "mean"));

        Calibration c = Calibration.read(run);
        EpisodeFile.Episode e1 = EpisodeFile.read(run.episode(1)), e2 = EpisodeFile.read(run.episode(2));
        assertThat(c.episodes()).isEqualTo(2);
        assertThat(c.steps()).isEqualTo((e1.steps() - 1) + (e2.steps() - 1));   // observations 1..T-1 of each
        assertThat(c.source()).isEqualTo("replay episodes 1..2");
        for (Novelty.Kind k : List.of(Novelty.Kind.KL, Novelty.Kind.NLL)) {
            double q95 = c.threshold(k, 0.95), q99 = c.threshold(k, 0.99), q999 = c.threshold(k, 0.999);
            assertThat(q95).isPositive().isLessThanOrEqualTo(q99);
            assertThat(q99).isLessThanOrEqualTo(q999);
        }
        assertThat(c.has(Novelty.Kind.DISAGREEMENT)).isFalse();
        assertThatThrownBy(() -> c.threshold(Novelty.Kind.KL, 0.9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid levels: 95%, 99%, 99.9%");

        // the file holds the quantiles of the model's scores on those episodes: recomputing from the checkpoint with the
        // trainer's generator (seed, purpose 7, counter 0) gives the same numbers
        PlanetLearner loaded = new PlanetLearner(PlanetConfig.debug(), 1, 3);
        loaded.load(run);
        Novelty n = new Novelty(loaded.model(), null);
        Calibration again = Calibration.ofRun(run, 2, n, new Rng(3 * 0x9E3779B97F4A7C15L + 7 * 0xBF58476D1CE4E5B9L));
        for (Novelty.Kind k : n.kinds())
            for (double level : Calibration.LEVELS) assertThat(again.threshold(k, level)).isEqualTo(c.threshold(k, level));

        // per-step scores: index 0 unscored, the rest finite, KL >= 0
        Novelty.Scores s = n.score(e1, new Rng(0));
        assertThat(s.of(Novelty.Kind.KL)).hasSize(e1.steps());
        assertThat(s.of(Novelty.Kind.KL)[0]).isNaN();
        for (int t = 1; t < e1.steps(); t++) {
            assertThat(s.of(Novelty.Kind.KL)[t]).isFinite().isGreaterThanOrEqualTo(0);
            assertThat(s.of(Novelty.Kind.NLL)[t]).isFinite().isPositive();
        }
    }

    @Test
    void aCalibrationFileIsRewrittenInPlaceAndAMissingOneSaysHowToMakeIt(@TempDir Path dir) {
        RunDir run = new RunDir(dir);
        assertThatThrownBy(() -> Calibration.read(run)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no calibration.json").hasMessageContaining("latte ood --run " + dir + " --calibrate");
        Calibration a = new Calibration("by hand", 1, 3, Map.of(Novelty.Kind.KL, new double[] {1, 2, 3}), Map.of(Novelty.Kind.KL, 1.5));
        a.write(run);
        Calibration b = new Calibration("again", 2, 5, Map.of(Novelty.Kind.KL, new double[] {4, 5, Double.NaN}), Map.of(Novelty.Kind.KL, 4.5));
        b.write(run);
        Calibration r = Calibration.read(run);
        assertThat(r.source()).isEqualTo("again");
        assertThat(r.threshold(Novelty.Kind.KL, 0.99)).isEqualTo(5);
        assertThat(r.threshold(Novelty.Kind.KL, 0.999)).isNaN();                   // non-finite values go through JSON as null
    }

    @Test
    void aDreamerWithEnsembleHeadsCalibratesTheirDisagreementToo(@TempDir Path dir) {
        DreamerConfig c = ConfigCodec.with(DreamerConfig.debug(), "exploration.members", 2);
        DreamerLearner l = new DreamerLearner(c, 1, false, 0);
        RunDir run = new RunDir(dir);
        Trainer.create(run, l, "Pendulum-v1", 0).run(new Trainer.Budget(0, 2), QUIET);
        Calibration cal = Calibration.read(run);
        assertThat(cal.has(Novelty.Kind.DISAGREEMENT)).isTrue();
        assertThat(cal.threshold(Novelty.Kind.DISAGREEMENT, 0.99)).isPositive();
    }
}
