package latte.cli;

import static latte.cli.TrainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import latte.models.Agents;
import latte.models.family.Families;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A family defined only in this test plugs in with one line and runs through the same commands as PlaNet and Dreamer. */
class AgentFamilyRegistryTest {
    @Test
    void aTestFamilyTrainsEvaluatesResumesAndDreamsThroughTheCommands(@TempDir Path dir) throws Exception {
        Families.register(ToyFamily.INSTANCE);                                       // the one line

        assertThat(run("train", "--help").out()).contains("toy").contains("a linear reward model");
        Path runDir = dir.resolve("run");
        TrainCommandTest.Result r = run("train", "--agent", "toy", "--preset", "debug", "--episodes", "3", "--seed", "2",
                "--out", runDir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("evaluation return over 1 episodes");
        for (String f : new String[] {"config.json", "metrics.jsonl", "summary.json", "curve.png", "dream.gif", "model.safetensors",
                "optimizer.safetensors", "episodes/000003.ep"})
            assertThat(runDir.resolve(f)).exists();
        assertThat(Files.readString(runDir.resolve("config.json"))).contains("\"agent\":\"toy\"").contains("\"lr\":0.05");
        // it learned from state vectors: the reward loss is recorded for every training round
        assertThat(new RunDir(runDir).readMetrics().stream().filter(m -> "train".equals(m.get("type"))))
                .hasSize(2).allSatisfy(m -> assertThat(((Number) m.get("reward")).doubleValue()).isFinite());

        TrainCommandTest.Result e = run("eval", "--run", runDir.toString(), "--episodes", "2");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("toy on Pendulum-v1, 2 episodes");

        TrainCommandTest.Result resumed = run("train", "--resume", "--out", runDir.toString(), "--episodes", "4");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming").contains("4 episodes");

        Files.delete(runDir.resolve("dream.gif"));
        TrainCommandTest.Result d = run("dream", "--run", runDir.toString());
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(runDir.resolve("dream.gif")).exists();

        assertThat(Agents.load(runDir).act(new latte.envs.Observation.State(new float[] {1, 0, 0}))).hasSize(1);
    }
}
