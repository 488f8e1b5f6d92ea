package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import com.hazelcast.core.HazelcastInstance;
import latte.cluster.Members;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latte sweep} and {@code latte worker} as a user runs them, members in separate JVMs on
 * loopback: one sweep of small debug cells on one member, on three, and on three of which one is
 * killed (kill -9) in the middle of a cell, all give the same results table.
 */
class SweepCommandTest {
    /** Three cells of a few seconds each, uploading at every checkpoint. */
    static final String[] GRID = {"sweep", "--agents", "planet", "--envs", "Pendulum-v1", "--seeds", "0-2", "--preset", "debug",
            "--episodes", "10", "--sync-seconds", "0"};

    static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of(GRID));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** results.md without the columns of wall time and time per step, which differ run to run. */
    static String table(Path sweep) throws IOException {
        return Files.readAllLines(sweep.resolve("results.md")).stream().map(l -> {
            if (!l.startsWith("|")) return l;
            List<String> cols = new ArrayList<>(Arrays.asList(l.split("\\|", -1)));
            if (cols.size() > 11) cols.subList(10, 12).clear();
            return String.join("|", cols);
        }).collect(Collectors.joining("\n"));
    }

    @TempDir
    static Path shared;
    private static String oneMember;

    /** The table of the grid swept on one member (in this JVM), made once for the tests that compare with it. */
    static synchronized String oneMemberTable() throws IOException {
        if (oneMember == null) {
            Path one = shared.resolve("one");
            TrainCommandTest.Result a = TrainCommandTest.run(args("--out", one.toString(), "--cluster", "sweep-one", "--slots", "1"));
            assertThat(a.code()).as(a.err() + a.out()).isZero();
            assertThat(a.out()).contains("3 cells into").contains("3 cells done (3 now, 0 before), 0 failed");
            oneMember = table(one);
        }
        return oneMember;
    }

    @Test
    void oneMemberAndThreeMembersGiveTheSameTableAndARerunSkipsEveryCell(@TempDir Path dir) throws IOException {
        Path three = dir.resolve("three");
        TrainCommandTest.Result b = TrainCommandTest.run(args("--out", three.toString(), "--cluster", "sweep-three", "--local-members", "3", "--slots", "1"));
        assertThat(b.code()).as(b.err() + b.out()).isZero();
        assertThat(b.out()).contains("member joined").contains("3 members");
        assertThat(oneMemberTable()).contains("| planet | Pendulum-v1 | debug | 3 |");
        assertThat(table(three)).isEqualTo(oneMemberTable());
        assertThat(three.resolve("curves.png")).isNotEmptyFile();
        assertThat(three.resolve("cells/planet-Pendulum-v1-debug-seed2/curve.png")).isNotEmptyFile();
        assertThat(Files.readString(three.resolve("sweep.json"))).contains("--local-members 3");

        TrainCommandTest.Result again = TrainCommandTest.run(args("--out", three.toString(), "--cluster", "sweep-three"));
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("3 of 3 cells are done already").contains("3 cells done (0 now, 3 before)");
    }

    @Test
    void aWorkerKilledMidCellCostsNothingAndTheTableIsTheSame(@TempDir Path dir) throws Exception {
        Path swept = dir.resolve("swept");
        int port = freePort();
        String address = "127.0.0.1:" + port;
        List<Process> ps = new ArrayList<>();
        try {
            // the coordinator runs no cell itself, so the killed worker surely holds one
            Process coordinator = start(dir.resolve("coordinator.log"), args("--out", swept.toString(), "--cluster", "sweep-kill",
                    "--port", Integer.toString(port), "--slots", "0"));
            ps.add(coordinator);
            awaitLine(dir.resolve("coordinator.log"), "add members with", coordinator);
            Process victim = start(dir.resolve("victim.log"), "worker", "--join", address, "--cluster", "sweep-kill", "--slots", "1", "--sync-seconds", "0");
            ps.add(victim);
            String cell = awaitLine(dir.resolve("victim.log"), "latte worker: starting ", victim).replace("latte worker: starting ", "").trim();
            Process survivor = start(dir.resolve("survivor.log"), "worker", "--join", address, "--cluster", "sweep-kill", "--slots", "1", "--sync-seconds", "0");
            ps.add(survivor);
            Path state = swept.resolve("cells").resolve(cell).resolve("state.json");
            long t0 = System.nanoTime();
            while (!Files.exists(state) || episodes(state) < 2) {
                assertThat(victim.isAlive()).as("the victim runs until killed").isTrue();
                assertThat(System.nanoTime() - t0).as("a checkpoint of " + cell + " reached the coordinator").isLessThan(90_000_000_000L);
                Thread.sleep(20);
            }
            victim.destroyForcibly();                                            // kill -9
            victim.waitFor(10, TimeUnit.SECONDS);
            assertThat(Files.readString(dir.resolve("victim.log"))).as("killed mid-cell (cells too short for this machine?)")
                    .doesNotContain("finished " + cell);
            assertThat(coordinator.waitFor(150, TimeUnit.SECONDS)).as("the sweep completes").isTrue();
            String log = Files.readString(dir.resolve("coordinator.log"));
            assertThat(coordinator.exitValue()).as(log).isZero();
            assertThat(log).contains("member left").contains("re-queued " + cell + ": its member")
                    .contains("3 cells done (3 now, 0 before), 0 failed");
            assertThat(Files.readString(dir.resolve("survivor.log"))).contains("resuming " + cell);
            assertThat(table(swept)).isEqualTo(oneMemberTable());
        } finally {
            for (Process p : ps) p.destroyForcibly();
        }
    }

    @Test
    void aBadJoinAddressAndAnotherClusterNameAreClearErrors(@TempDir Path dir) {
        Subprocess bad = Subprocess.latte(dir, "worker", "--join", "127.0.0.1:" + freePort());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.errLines()).anyMatch(l -> l.contains("cannot join the cluster 'latte': nothing listens at 127.0.0.1:"));
        assertThat(bad.seconds()).isLessThan(30);

        HazelcastInstance coordinator = Members.start(Members.Options.coordinator().withClusterName("sweep-right").withPort(freePort()));
        try {
            Subprocess other = Subprocess.latte(dir, "worker", "--join", Members.address(coordinator), "--cluster", "sweep-wrong");
            assertThat(other.code()).isEqualTo(2);
            assertThat(other.errLines()).anyMatch(l -> l.contains("cannot join the cluster 'sweep-wrong' at " + Members.address(coordinator))
                    && l.contains("its cluster name differs"));
            assertThat(other.seconds()).isLessThan(30);
        } finally {
            coordinator.shutdown();
        }
    }

    private static long episodes(Path state) {
        try {
            return ((Number) latte.models.run.RunDir.readJson(state).get("episodes")).longValue();
        } catch (IllegalArgumentException torn) {
            return 0;                                                            // replaced while read
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort() < 60000 ? s.getLocalPort() : freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Process start(Path log, String... latteArgs) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Subprocess.java()));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", cp, "latte.cli.Main"));
        cmd.addAll(List.of(latteArgs));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The first line of {@code log} containing {@code text}, within a minute, while {@code p} lives. */
    static String awaitLine(Path log, String text, Process p) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            if (Files.exists(log))
                for (String l : Files.readAllLines(log)) if (l.contains(text)) return l;
            assertThat(p.isAlive()).as("waiting for '" + text + "': " + (Files.exists(log) ? Files.readString(log) : "")).isTrue();
            assertThat(System.nanoTime() - t0).as("waiting for '" + text + "'").isLessThan(60_000_000_000L);
            Thread.sleep(50);
        }
    }
}
