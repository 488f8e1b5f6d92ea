package latte.cli;

import static latte.cli.TrainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
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
    private static final List<String> RUNTIME = List.of("latte-core", "latte-autodiff", "latte-envs", "latte-models");

    @Test
    void theExampleBuildsAgainstTheInstalledJarsAndPlaysAnEpisodeLikeTheAgentInProcess(@TempDir Path dir) throws IOException {
        Path root = Path.of(System.getProperty("latte.root", "..")).toAbsolutePath().normalize();
        Path repo = Path.of(System.getProperty("latte.localRepository", System.getProperty("user.home") + "/.m2/repository"));
        String version = System.getProperty("latte.version", "0.1.0-SNAPSHOT");
        for (String module : RUNTIME) {
            Path installed = repo.resolve("dev/latte/" + module + "/" + version + "/" + module + "-" + version + ".jar");
            Path built = root.resolve(module.substring("latte-".length())).resolve("target/" + module + "-" + version + ".jar");
            if (!Files.exists(installed))
                abort(module + " is not installed in " + repo + ": run `mvn -B install` (the project's test command), which installs"
                        + " the jars and then runs this test against them");
            if (!Files.exists(built) || Files.mismatch(installed, built) != -1)
                abort("the " + module + " jar in " + repo + " is not this build's: run `mvn -B install` (the project's test command),"
                        + " which installs the jars and then runs this test against them");
        }

        // a small trained run to load
        Path runDir = dir.resolve("run");
        assertThat(run("train", "--preset", "debug", "--episodes", "2", "--seed", "3", "--out", runDir.toString()).code()).isZero();

        // the example, copied out of the source tree so its build leaves nothing there
        Path project = dir.resolve("embed");
        copy(root.resolve("examples/embed"), project);
        String mvn = Path.of(System.getProperty("latte.mavenHome", "/usr/share/maven"), "bin", "mvn").toString();
        Subprocess build = Subprocess.run(project, List.of(mvn, "-B", "-q", "-Dmaven.repo.local=" + repo, "package"), 600,
                Map.of("JAVA_HOME", System.getProperty("java.home")));
        assertThat(build.code()).as("mvn package of examples/embed:%n%s%n%s", build.out(), build.err()).isZero();

        // the dependency footprint: the four runtime jars, nothing else
        List<String> lib;
        try (Stream<Path> s = Files.list(project.resolve("target/lib"))) {
            lib = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(lib).containsExactlyInAnyOrderElementsOf(RUNTIME.stream().map(m -> m + "-" + version + ".jar").toList());

        Subprocess play = Subprocess.run(dir, List.of(Subprocess.java(), "--add-modules", "jdk.incubator.vector",
                "-jar", project.resolve("target/latte-embed-example-" + version + ".jar").toString(), runDir.toString(), "7"), 120);
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

    private static void copy(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(from)) {
            all = new ArrayList<>(s.filter(p -> !from.relativize(p).startsWith("target")).toList());
        }
        for (Path p : all) {
            Path t = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) Files.createDirectories(t);
            else Files.copy(p, t);
        }
    }
}
