package latte.models.dreamer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import latte.envs.Frame;
import latte.models.Agent;
import latte.models.Agents;
import latte.models.run.RunDir;
import latte.models.loop.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug preset end to end through the shared loop: files, resume, determinism, discrete tasks. */
class DreamerRunTest {
    private static final Trainer.Listener QUIET = p -> {};

    private static Trainer.Summary train(Path dir, int episodes, long seed) {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 1, false, seed);
        return Trainer.create(new RunDir(dir), l, "Pendulum-v1", seed).run(new Trainer.Budget(0, episodes), QUIET);
    }

    private static List<Object> losses(Path dir) {
        return new RunDir(dir).readMetrics().stream().filter(m -> "train".equals(m.get("type")))
                .map(m -> (Object) List.of(m.get("reconstruction"), m.get("kl"), m.get("actor"), m.get("value"))).toList();
    }

    @Test
    void debugRunResumesExactlyAndRepeatsPerSeed(@TempDir Path whole, @TempDir Path parts, @TempDir Path again) {
        Trainer.Summary s = train(whole, 3, 9);
        assertThat(s.trainSteps()).isEqualTo(2L * 2);
        assertThat(s.envSteps()).isEqualTo(3 * 200);
        assertThat(new RunDir(whole).summary()).exists();
        assertThat(whole.resolve("behaviour.safetensors")).exists();
        assertThat(losses(whole)).hasSize(2).allSatisfy(l -> assertThat((List<?>) l).doesNotContainNull());

        train(again, 3, 9);
        assertSameRun(losses(again), losses(whole));

        train(parts, 2, 9);
        Agents.Opened o = Agents.open(parts, false);
        assertThat(o.learner()).isInstanceOf(DreamerLearner.class);
        Trainer t = Trainer.resume(o.run(), o.learner());
        assertThat(t.trainSteps()).isEqualTo(2);
        t.run(new Trainer.Budget(0, 3), QUIET);
        assertSameRun(losses(parts), losses(whole));
    }

    /** Same run, bit for bit: every kernel's result depends on the seed only (VecMath's transcendentals included). */
    private static void assertSameRun(List<Object> actual, List<Object> expected) {
        assertThat(actual).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void loadedAgentIsADreamerAgentActingInTheBox(@TempDir Path dir) {
        train(dir, 2, 3);
        Agent agent = Agents.load(dir);
        assertThat(agent).isInstanceOf(DreamerAgent.class);
        agent.reset();
        float[] act = agent.act(new Frame(64, 64, 3, new byte[64 * 64 * 3]));
        assertThat(act).hasSize(1);
        assertThat(act[0]).isBetween(-1f, 1f);
    }

    @Test
    void discreteCartPoleRunsWithOneHotActions(@TempDir Path dir) {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 2, true, 4);
        Trainer.Summary s = Trainer.create(new RunDir(dir), l, "CartPole-v1", 4).run(new Trainer.Budget(0, 4), QUIET);
        assertThat(s.trainSteps()).isPositive();
        assertThat(new RunDir(dir).readMetrics().stream().filter(m -> "train".equals(m.get("type"))))
                .allSatisfy(m -> assertThat(((Number) m.get("actor")).doubleValue()).isFinite());
        assertThat(s.evalReturns()).hasSize(1);
        Agent agent = Agents.load(dir);
        agent.reset();
        float[] act = agent.act(new Frame(64, 64, 3, new byte[64 * 64 * 3]));
        assertThat(act).hasSize(2);
        assertThat(act[0] + act[1]).isEqualTo(1f);
        assertThat(act[0] * act[1]).isZero();
    }

    @Test
    void planetStillRejectsDiscreteTasks() {
        assertThatThrownBy(() -> Agents.create(new Agents.Spec("planet", "CartPole-v1", "debug", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("discrete actions")
                .hasMessageContaining("--agent dreamer");
    }
}
