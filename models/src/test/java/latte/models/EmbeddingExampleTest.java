package latte.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Observation;
import latte.envs.Step;
import latte.models.loop.Trainer;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding snippet, verbatim apart from the run directory, on a debug run. */
class EmbeddingExampleTest {
    @Test
    void readmeSnippetRunsAnEpisode(@TempDir Path dir) {
        Trainer.create(new RunDir(dir), Agents.create(new Agents.Spec("planet", "Pendulum-v1", "debug", 0)), "Pendulum-v1", 0)
                .run(new Trainer.Budget(0, 2), p -> {});
        int steps = 0;
        // --- README ---
        Agent agent = Agents.load(dir);
        Env env = Envs.make("Pendulum-v1", Envs.Options.defaults().withPixels(true).withRescaleActions(true).withActionRepeat(2));
        Observation obs = env.reset(42).observation();
        agent.reset();
        for (Step s = null; s == null || !s.done(); obs = s.observation()) {
            s = env.step(agent.act(obs));
            steps++;
        }
        // --- end ---
        assertThat(steps).isEqualTo(100);
    }
}
