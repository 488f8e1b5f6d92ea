package latte.models.planet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import latte.envs.Frame;
import latte.models.Agent;
import latte.models.Agents;
import latte.models.run.RunDir;
import latte.models.loop.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug preset end to end: files, resume, determinism, loading an agent. */
class PlanetRunTest {
    private static final Trainer.Listener QUIET = p -> {};

    private static Trainer.Summary train(Path dir, int episodes, long seed) {
        PlanetLearner l = new PlanetLearner(PlanetConfig.debug(), 1, seed);
        return Trainer.create(new RunDir(dir), l, "Pendulum-v1", seed).run(new Trainer.Budget(0, episodes), QUIET);
    }

    /** Same run, bit for bit: every kernel's result depends on the seed only (VecMath's transcendentals included). */
    private static void assertSameRun(Path a, Path b) {
        assertThat(losses(a)).isNotEmpty().isEqualTo(losses(b));
    }

    private static List<Object> losses(Path dir) {
        return new RunDir(dir).readMetrics().stream().filter(m -> "train".equals(m.get("type")))
                .map(m -> (Object) List.of(m.get("reconstruction"), m.get("reward"), m.get("kl"))).toList();
    }

    @Test
    void debugRunWritesTheRunDirectory(@TempDir Path dir) {
        Trainer.Summary s = train(dir, 3, 1);
        RunDir run = new RunDir(dir);
        assertThat(run.model()).exists();
        assertThat(run.optimizer()).exists();
        assertThat(run.summary()).exists();
        assertThat(run.episode(3)).exists();
        assertThat(s.episodes()).isEqualTo(3);
        assertThat(s.envSteps()).isEqualTo(3 * 200);
        assertThat(s.trainSteps()).isEqualTo(2L * 2);
        assertThat(s.evalReturns()).hasSize(1);
        assertThat(s.randomMean()).isNegative();
        Map<String, Object> summary = RunDir.readJson(run.summary());
        assertThat(summary).containsKeys("evalReturnMean", "randomReturnMean", "envSteps", "wallSeconds");
        assertThat(losses(dir)).isNotEmpty();
    }

    @Test
    void sameSeedSameRun(@TempDir Path a, @TempDir Path b) {
        train(a, 3, 5);
        train(b, 3, 5);
        assertSameRun(a, b);
    }

    @Test
    void resumeContinuesTheStepCountAndMatchesAnUninterruptedRun(@TempDir Path whole, @TempDir Path parts) {
        train(whole, 4, 9);
        train(parts, 3, 9);
        Agents.Opened o = Agents.open(parts, false);
        Trainer t = Trainer.resume(o.run(), o.learner());
        assertThat(t.episodes()).isEqualTo(3);
        assertThat(t.trainSteps()).isEqualTo(4);
        t.run(new Trainer.Budget(0, 4), QUIET);
        assertThat(t.trainSteps()).isEqualTo(6);
        assertSameRun(parts, whole);
    }

    @Test
    void loadedAgentActsInTheBox(@TempDir Path dir) {
        train(dir, 2, 3);
        Agent agent = Agents.load(dir);
        agent.reset();
        float[] act = agent.act(new Frame(64, 64, 3, new byte[64 * 64 * 3]));
        assertThat(act).hasSize(1);
        assertThat(act[0]).isBetween(-1f, 1f);
        assertThatThrownBy(() -> agent.act(new Frame(32, 32, 3, new byte[32 * 32 * 3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a frame [64, 64, 3]");
        assertThatThrownBy(() -> agent.act(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PlanetAgent.act: observation is null");
    }

    @Test
    void evaluationNeedsNoReplayAndLeavesTheRunAlone(@TempDir Path dir) throws Exception {
        train(dir, 2, 3);
        RunDir run = new RunDir(dir);
        byte[] metrics = Files.readAllBytes(run.metrics());
        Path episode = run.episode(2), moved = dir.resolve("moved.ep");
        Files.move(episode, moved);
        var o = Agents.open(dir, true);
        List<Double> returns = Trainer.forEvaluation(o.run(), o.learner()).evaluate(o.learner().agent(0f, new latte.core.Rng(1)), 1);
        assertThat(returns).hasSize(1).allMatch(r -> r < 0 && r > -17 * 200); // Pendulum: reward in [-16.3, 0] per step
        assertThat(Files.readAllBytes(run.metrics())).isEqualTo(metrics);
        // resuming does need every episode, and says which one is missing
        assertThatThrownBy(() -> Trainer.resume(o.run(), Agents.open(dir, true).learner()))
                .hasMessageContaining(episode.toString()).hasMessageContaining("is missing");
        Files.move(moved, episode);
    }

    @Test
    void badRunDirectoriesGetClearErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Agents.load(dir)).hasMessageContaining("not a Latte run directory");
        train(dir, 2, 3);
        assertThatThrownBy(() -> train(dir, 2, 3)).hasMessageContaining("already holds a run");
        Path cfg = new RunDir(dir).config();
        Files.writeString(cfg, Files.readString(cfg).replace("\"planet\"", "\"muzero\""));
        assertThatThrownBy(() -> Agents.load(dir)).hasMessageContaining("agent 'muzero'").hasMessageContaining("planet");
        Files.writeString(cfg, Files.readString(cfg).replace("\"muzero\"", "\"planet\""));
        byte[] model = Files.readAllBytes(new RunDir(dir).model());
        Files.write(new RunDir(dir).model(), java.util.Arrays.copyOf(model, model.length / 2));
        assertThatThrownBy(() -> Agents.load(dir)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNaNLossStopsWithTheStepAndTermAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        train(dir, 2, 3);
        RunDir run = new RunDir(dir);
        byte[] before = Files.readAllBytes(run.model());
        Agents.Opened o = Agents.open(dir, true);
        PlanetLearner l = (PlanetLearner) o.learner();
        Trainer t = Trainer.resume(o.run(), l);
        java.util.Arrays.fill(l.model().store().values(), 0, 10, Float.NaN); // poison the encoder's first weights
        assertThatThrownBy(() -> t.run(new Trainer.Budget(0, 4), QUIET))
                .isInstanceOf(latte.models.loop.Diverged.class)
                .hasMessageContaining("training step 3")
                .hasMessageContaining("loss term 'reconstruction' is NaN")
                .hasMessageContaining("last good checkpoint (train step 2)");
        assertThat(Files.readAllBytes(run.model())).isEqualTo(before);
        assertThat(Agents.load(dir).act(new Frame(64, 64, 3, new byte[64 * 64 * 3]))[0]).isFinite();
    }
}
