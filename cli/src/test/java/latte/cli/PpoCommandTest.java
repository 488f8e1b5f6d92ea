package latte.cli;

import static latte.cli.TrainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import latte.models.Agents;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PPO, the model-free baseline, through train, eval and resume like the other families (AgentFamilyRegistryTest's pattern). */
class PpoCommandTest {
    @Test
    void ppoTrainsEvaluatesAndResumesOnCartPoleThroughTheCommands(@TempDir Path dir) throws Exception {
        assertThat(run("train", "--help").out()).contains("ppo");
        Path runDir = dir.resolve("run");
        TrainCommandTest.Result r = run("train", "--agent", "ppo", "--env", "CartPole-v1", "--preset", "debug", "--episodes", "30",
                "--seed", "2", "--set", "evaluation.episodes=2", "--out", runDir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("evaluation return over 2 episodes");
        for (String f : new String[] {"config.json", "metrics.jsonl", "summary.json", "curve.png", "model.safetensors",
                "optimizer.safetensors", "rollouts.safetensors"})
            assertThat(runDir.resolve(f)).exists();
        assertThat(Files.readString(runDir.resolve("config.json"))).contains("\"agent\":\"ppo\"").contains("\"clip\":0.2");
        var train = new RunDir(runDir).readMetrics().stream().filter(m -> "train".equals(m.get("type"))).toList();
        assertThat(train).isNotEmpty().allSatisfy(m -> assertThat(((Number) m.get("policyLoss")).doubleValue()).isFinite());

        TrainCommandTest.Result e = run("eval", "--run", runDir.toString(), "--episodes", "2");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("ppo on CartPole-v1, 2 episodes");

        TrainCommandTest.Result resumed = run("train", "--resume", "--out", runDir.toString(), "--episodes", "60");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming");
        assertThat(new RunDir(runDir).readMetrics().stream().filter(m -> "train".equals(m.get("type"))).count()).isGreaterThan(train.size());

        float[] a = Agents.load(runDir).act(new latte.envs.Observation.State(new float[] {0, 0, 0.02f, 0}));
        assertThat(a).hasSize(2);
        assertThat(a[0] + a[1]).isEqualTo(1f);
    }
}
