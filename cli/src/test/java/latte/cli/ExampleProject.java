package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A project under examples/, built with Maven as a project of its own against the jars this
 * build installed in the local repository ({@code mvn -B install}, the project's test command,
 * installs them before the cli's tests run). Under a build that installs nothing, a test using
 * it says so and is skipped.
 */
record ExampleProject(Path dir, String version) {
    static final List<String> RUNTIME = List.of("latte-core", "latte-autodiff", "latte-envs", "latte-models");

    /** Copies examples/{@code name} into {@code work} (its build leaves nothing in the source tree) and builds it with {@code mvn package}. */
    static ExampleProject build(String name, Path work) throws IOException {
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
        Path project = work.resolve(name);
        copy(root.resolve("examples").resolve(name), project);
        String mvn = Path.of(System.getProperty("latte.mavenHome", "/usr/share/maven"), "bin", "mvn").toString();
        Subprocess build = Subprocess.run(project, List.of(mvn, "-B", "-q", "-Dmaven.repo.local=" + repo, "package"), 600,
                Map.of("JAVA_HOME", System.getProperty("java.home")));
        assertThat(build.code()).as("mvn package of examples/%s:%n%s%n%s", name, build.out(), build.err()).isZero();
        return new ExampleProject(project, version);
    }

    /** The jars in target/lib: the example's dependencies. */
    List<String> libraries() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("target/lib"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Runs {@code mainClass} of the example with {@code args}, in {@code cwd}, on its classes and libraries. */
    Subprocess run(Path cwd, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Subprocess.java(), "--add-modules", "jdk.incubator.vector", "-cp",
                dir.resolve("target/classes") + java.io.File.pathSeparator + dir.resolve("target/lib") + java.io.File.separator + "*", mainClass));
        cmd.addAll(List.of(args));
        return Subprocess.run(cwd, cmd, 120);
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
