package latte.cli;

import static latte.cli.TrainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import latte.envs.Env;
import latte.envs.Observation;
import latte.envs.Step;
import latte.models.Agent;
import latte.models.Agents;
import latte.models.loop.Trainer;
import latte.models.replay.ObsSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/embed, a project of its own that depends on latte-models alone, built with Maven
 * against the jars installed in the local repository and run on a run directory, as an embedding
 * application would. {@code mvn -B install} (the project's test command) installs this build's
 * jars before the cli's tests run, so the test runs there; under a build that installs nothing it
 * says so and is skipped.
 */
class EmbedExampleTest {
    @Test
    void theExampleBuildsAgainstTheInstalledJarsAndPlaysAnEpisodeLikeTheAgentInProcess(@TempDir Path dir) throws IOException {
        ExampleProject project = ExampleProject.build("embed", dir);

        // a small trained run to load
        Path runDir = dir.resolve("run");
        assertThat(run("train", "--preset", "debug", "--episodes", "2", "--seed", "3", "--out", runDir.toString()).code()).isZero();

        // the dependency footprint: the four runtime jars, nothing else
        assertThat(project.libraries()).containsExactlyInAnyOrderElementsOf(
                ExampleProject.RUNTIME.stream().map(m -> m + "-" + project.version() + ".jar").toList());

        Subprocess play = Subprocess.run(dir, List.of(Subprocess.java(), "--add-modules", "jdk.incubator.vector",
                "-jar", project.dir().resolve("target/latte-embed-example-" + project.version() + ".jar").toString(), runDir.toString(), "7"), 120);
        assertThat(play.code()).as(play.err()).isZero();
        assertThat(play.out()).startsWith("planet on Pendulum-v1, seed 7: return " + String.format(Locale.ROOT, "%.3f", inProcessReturn(runDir, 7)));
    }

    /** The same episode played here: the example must act as the agent does in the project itself. */
    private static double inProcessReturn(Path runDir, long seed) {
        Agent agent = Agents.load(runDir);
        Agents.Opened o = Agents.open(runDir, false);
        Env env = Trainer.makeEnv(o.env(), ObsSpec.Kind.FRAME, o.learner().settings().actionRepeat());
        Observation obs = env.reset(seed).observation();
        agent.reset();
        double ret = 0;
        while (true) {
            Step s = env.step(agent.act(obs));
            ret += s.reward();
            obs = s.observation();
            if (s.done()) return ret;
        }
    }
}
