package latte.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command in a JVM of its own, for what a test cannot see in process (start-up messages, a fresh probe). */
record Subprocess(int code, String out, String err, double seconds) {
    /** The JDK the tests run on. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code latte ARGS...} on the test class path with the JVM flags of the {@code ./latte} launcher. */
    static Subprocess latte(Path dir, String... args) {
        return run(dir, latteCommand(args), 120);
    }

    /** The command line of {@code latte ARGS...} on the test class path, with the launcher's JVM flags. */
    static List<String> latteCommand(String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java(), "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-cp", cp, "latte.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code latte ARGS...} and returns at once; its output goes to {@code log}. The caller stops it. */
    static Process startLatte(Path dir, Path log, String... args) {
        try {
            return new ProcessBuilder(latteCommand(args)).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Subprocess run(Path dir, List<String> cmd, int timeoutSeconds) {
        return run(dir, cmd, timeoutSeconds, java.util.Map.of());
    }

    static Subprocess run(Path dir, List<String> cmd, int timeoutSeconds, java.util.Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().putAll(env);
            Path out = dir.resolve(".out-" + System.nanoTime()), err = dir.resolve(".err-" + System.nanoTime());
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            String o = java.nio.file.Files.readString(out, StandardCharsets.UTF_8), e = java.nio.file.Files.readString(err, StandardCharsets.UTF_8);
            java.nio.file.Files.delete(out);
            java.nio.file.Files.delete(err);
            return new Subprocess(p.exitValue(), o, e, secs);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Standard error without the JVM's own notice about incubator modules. */
    List<String> errLines() {
        return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }
}
