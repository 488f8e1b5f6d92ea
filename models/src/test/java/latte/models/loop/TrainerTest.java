package latte.models.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import latte.models.Agents;
import latte.models.config.ConfigCodec;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run around the loops: disk bounded by the replay, checkpoints that repeat byte for byte, budgets. */
class TrainerTest {
    private static final Trainer.Listener QUIET = p -> {};

    /** A debug PlaNet whose replay holds two 50-decision Pendulum episodes (actionRepeat 4: 200 steps / 4). */
    private static PlanetLearner small(long seed) {
        return new PlanetLearner(ConfigCodec.with(PlanetConfig.debug(), "loop.replayCapacity", 100), 1, seed);
    }

    private static List<Object> losses(Path dir) {
        return new RunDir(dir).readMetrics().stream().filter(m -> "train".equals(m.get("type")))
                .map(m -> (Object) List.of(m.get("reconstruction"), m.get("reward"), m.get("kl"))).toList();
    }

    @Test
    void episodeFilesFollowTheReplayBoundAndAResumeStillMatchesTheUninterruptedRun(@TempDir Path whole, @TempDir Path parts)
            throws Exception {
        Trainer.create(new RunDir(whole), small(9), "Pendulum-v1", 9).run(new Trainer.Budget(0, 5), QUIET);
        try (var files = Files.list(new RunDir(whole).episodes())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("000004.ep", "000005.ep");
        }
        assertThat(RunDir.readJson(new RunDir(whole).state())).containsEntry("firstEpisode", 4L);

        Trainer.create(new RunDir(parts), small(9), "Pendulum-v1", 9).run(new Trainer.Budget(0, 3), QUIET);
        assertThat(new RunDir(parts).episode(1)).doesNotExist();
        Agents.Opened o = Agents.open(parts, false);
        Trainer t = Trainer.resume(o.run(), o.learner());
        assertThat(t.replay().episodes()).isEqualTo(2);
        t.run(new Trainer.Budget(0, 5), QUIET);
        assertThat(losses(parts)).isEqualTo(losses(whole)).hasSize(4);
    }

    @Test
    void twoRunsOfOneSeedWriteIdenticalCheckpoints(@TempDir Path a, @TempDir Path b) throws Exception {
        for (Path d : List.of(a, b)) Trainer.create(new RunDir(d), small(3), "Pendulum-v1", 3).run(new Trainer.Budget(0, 2), QUIET);
        for (String f : new String[] {"model.safetensors", "optimizer.safetensors", "config.json"})
            assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
    }

    @Test
    void aSpentBudgetIsSaidOnResume(@TempDir Path dir) {
        Trainer.create(new RunDir(dir), small(1), "Pendulum-v1", 1).run(new Trainer.Budget(0, 2), QUIET);
        Agents.Opened o = Agents.open(dir, false);
        assertThatThrownBy(() -> Trainer.resume(o.run(), o.learner()).run(new Trainer.Budget(0, 2), QUIET))
                .hasMessageContaining("already collected 2 episodes, the budget of --episodes 2");
        assertThatThrownBy(() -> Trainer.resume(o.run(), o.learner()).run(new Trainer.Budget(1e-6, 0), QUIET))
                .hasMessageContaining("has already trained for").hasMessageContaining("the budget of --minutes");
    }

    @Test
    void aRunStoppedBeforeItsSummaryFinishesOnResumeWithTheSameBudget(@TempDir Path dir) throws Exception {
        Trainer.create(new RunDir(dir), small(2), "Pendulum-v1", 2).run(new Trainer.Budget(0, 2), QUIET);
        String summary = Files.readString(dir.resolve("summary.json"));
        Files.delete(dir.resolve("summary.json"));                           // as if stopped during the final evaluation
        Agents.Opened o = Agents.open(dir, false);
        Trainer.resume(o.run(), o.learner()).run(new Trainer.Budget(0, 2), QUIET);
        assertThat(Files.readString(dir.resolve("summary.json")).replaceAll("\"wallSeconds\":[0-9.E-]+", ""))
                .isEqualTo(summary.replaceAll("\"wallSeconds\":[0-9.E-]+", ""));
    }

    @Test
    void aCheckpointHoldingNaNIsRefusedAtLoadNamingTheTensor(@TempDir Path dir) throws Exception {
        Trainer.create(new RunDir(dir), small(1), "Pendulum-v1", 1).run(new Trainer.Budget(0, 2), QUIET);
        PlanetLearner l = small(1);
        l.load(new RunDir(dir));
        var p = l.model().store().param("reward.0.bias");
        l.model().store().values()[p.offset()] = Float.NaN;
        l.save(new RunDir(dir), Map.of("trainSteps", "2"));
        assertThatThrownBy(() -> Agents.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor 'reward.0.bias' holds NaN");
    }
}
