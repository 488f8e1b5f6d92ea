package latte.models.worldmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import latte.envs.Frame;
import latte.models.Agent;
import latte.models.Agents;
import latte.models.config.ConfigCodec;
import latte.models.loop.Learner;
import latte.models.loop.Trainer;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** World Models' staged loop end to end on the debug preset: stages, exact resume, the dream, bad input. */
class WorldModelsRunTest {
    private static final Trainer.Listener QUIET = p -> {};

    private static Learner learner(long seed, Object... settings) {
        List<String> s = new java.util.ArrayList<>();
        for (int i = 0; i < settings.length; i += 2) s.add(settings[i] + "=" + settings[i + 1]);
        return Agents.create(new Agents.Spec("worldmodels", "Pendulum-v1", "debug", seed, Map.of(), s));
    }

    private static List<Map<String, Object>> records(Path dir) {
        return new RunDir(dir).readMetrics().stream().peek(m -> { m.remove("trainStepMs"); m.remove("decisionMs"); }).toList();
    }

    @Test
    void theStagesRunInOrderAndAResumeMidSearchEndsWhereTheWholeRunEnds(@TempDir Path whole, @TempDir Path parts) {
        Trainer.Summary s = Trainer.create(new RunDir(whole), learner(3, "evolution.generations", 4), "Pendulum-v1", 3)
                .run(new Trainer.Budget(0, 1000), QUIET);
        List<Map<String, Object>> r = records(whole);
        assertThat(r.stream().filter(m -> "episode".equals(m.get("type")))).hasSize(2);
        assertThat(r.stream().filter(m -> "train".equals(m.get("type"))).map(m -> m.keySet().contains("vKl") ? "V" : "M"))
                .containsExactly("V", "M");
        assertThat(r.stream().filter(m -> "generation".equals(m.get("type"))).map(m -> ((Number) m.get("generation")).intValue()))
                .containsExactly(1, 2, 3, 4);
        assertThat(s.trainSteps()).isEqualTo(3 + 3);
        assertThat(whole.resolve("evolution.bin")).exists();

        // the same run stopped after 2 generations, then resumed with the whole budget of generations
        Trainer.create(new RunDir(parts), learner(3, "evolution.generations", 2), "Pendulum-v1", 3).run(new Trainer.Budget(0, 1000), QUIET);
        Path cfg = new RunDir(parts).config();
        try {
            Files.writeString(cfg, Files.readString(cfg).replace("\"generations\":2", "\"generations\":4"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Agents.Opened o = Agents.open(parts, false);
        Trainer.Summary resumed = Trainer.resume(o.run(), o.learner()).run(new Trainer.Budget(0, 1000), QUIET);
        List<Map<String, Object>> generations = records(whole).stream().filter(m -> "generation".equals(m.get("type"))).toList();
        assertThat(records(parts).stream().filter(m -> "generation".equals(m.get("type"))).toList()).isEqualTo(generations);
        assertThat(resumed.evalReturns()).isEqualTo(s.evalReturns());
    }

    @Test
    void theLoadedAgentActsAndTheDreamShowsThreePanels(@TempDir Path dir) {
        Trainer.create(new RunDir(dir), learner(1), "Pendulum-v1", 1).run(new Trainer.Budget(0, 1000), QUIET);
        Agent agent = Agents.load(dir);
        assertThat(agent).isInstanceOf(WorldModelsAgent.class);
        agent.reset();
        float[] a = agent.act(new Frame(64, 64, 3, new byte[64 * 64 * 3]));
        assertThat(a).hasSize(1);
        assertThat(a[0]).isBetween(-1f, 1f);
        assertThatThrownBy(() -> agent.act(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a frame");

        Agents.Opened o = Agents.open(dir, true);
        var episode = latte.models.run.EpisodeFile.read(new RunDir(dir).episode(1));
        List<Frame> frames = WorldModelsFamily.INSTANCE.dream(o.learner(), episode, new latte.core.Rng(0));
        assertThat(frames).hasSize(Math.min(60, episode.steps()));
        assertThat(frames.getFirst().width()).isEqualTo(3 * 64);
        // the left panel is the real frame itself
        assertThat(java.util.Arrays.copyOfRange(frames.get(2).data(), 0, 64 * 3)).containsExactly(java.util.Arrays.copyOfRange(episode.obs()[2], 0, 64 * 3));
    }

    @Test
    void dreamTrainingEvolvesInsideMAndIsEvaluatedInTheRealTask(@TempDir Path dir) {
        Trainer.Summary s = Trainer.create(new RunDir(dir), learner(2, "dreamTraining", true, "tau", 1.15), "Pendulum-v1", 2)
                .run(new Trainer.Budget(0, 1000), QUIET);
        assertThat(records(dir).stream().filter(m -> "generation".equals(m.get("type")))).hasSize(2);
        assertThat(s.evalReturns()).hasSize(1).allMatch(r -> r < 0 && r > -17 * 200);   // Pendulum's real returns
    }

    @Test
    void badSettingsAndMismatchedCheckpointsAreClearErrors(@TempDir Path dir) {
        assertThatThrownBy(() -> learner(0, "tau", 0)).hasMessageContaining("tau 0.0, expected a finite temperature > 0");
        assertThatThrownBy(() -> learner(0, "evolution.population", 1)).hasMessageContaining("population 1 (0 for the default, else >= 2)");
        assertThatThrownBy(() -> Agents.create(new Agents.Spec("worldmodels", "CartPole-v1", "nope", 0)))
                .hasMessageContaining("unknown preset 'nope'");
        Trainer.create(new RunDir(dir), learner(0), "Pendulum-v1", 0).run(new Trainer.Budget(0, 1000), QUIET);
        // a checkpoint of another size: V's code length differs
        Learner other = new WorldModelsLearner(ConfigCodec.with(WorldModelsConfig.debug(), "vae.latent", 5),
                latte.models.family.TaskSpec.of("Pendulum-v1", latte.models.replay.ObsSpec.Kind.FRAME), 0);
        assertThatThrownBy(() -> other.load(new RunDir(dir))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the model expects");
    }
}
