package latte.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import latte.models.Agents;
import latte.models.loop.Trainer;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps with members in this JVM (the multi-JVM ones are in the cli's tests): cells gathered into
 * the sweep directory, a re-run skips them, and a member or coordinator lost mid-cell costs
 * nothing: the cell resumes from its last checkpoint to the very weights of an uninterrupted run.
 */
class SweepTest {
    static Cell cell(int index, long seed, int episodes) {
        return Cell.of(index, "planet", "Pendulum-v1", "debug", seed, Map.of(), List.of(), 0, episodes);
    }

    static Sweep.Listener quiet(List<String> lines) {
        return Sweep.quiet(lines::add);
    }

    static Worker worker(HazelcastInstance h, Path scratch) {
        return new Worker(h, new Worker.Options(1, 0, scratch), System.err);
    }

    /** The cell trained alone, without a cluster. */
    static Path reference(Cell c, Path dir) {
        Trainer.create(new RunDir(dir), Agents.create(c.spec()), c.env(), c.seed()).run(c.budget(), p -> {});
        return dir;
    }

    @Test
    void aSweepGathersEveryCellAndARerunSkipsThem(@TempDir Path dir, @TempDir Path scratch) throws Exception {
        HazelcastInstance c = Members.start(MembersTest.coordinator("sweep-gather"));
        HazelcastInstance w = Members.start(Members.Options.worker(List.of(Members.address(c))).withClusterName("sweep-gather"));
        try (Worker a = worker(c, scratch).start(); Worker b = worker(w, scratch).start()) {
            List<Cell> grid = List.of(cell(0, 0, 3), cell(1, 1, 3), cell(2, 2, 3));
            Sweep.Result r = new Sweep(c, dir, grid).run(quiet(new ArrayList<>()));
            assertThat(r.failed()).isEmpty();
            assertThat(r.cells()).allMatch(s -> s.status() == CellState.Status.DONE);
            for (Cell cell : grid)
                for (String f : new String[] {"config.json", "state.json", "metrics.jsonl", "summary.json", "model.safetensors", "episodes/000003.ep"})
                    assertThat(Sweep.cellDir(dir, cell.name()).resolve(f)).as(cell.name() + " " + f).isRegularFile();
            assertThat(r.syncBytes()).isPositive();
            assertThat(c.getMap(Checkpoints.BLOBS).size()).as("gathered cells leave the cluster's memory").isZero();

            List<String> lines = new ArrayList<>();
            Sweep.Result again = new Sweep(c, dir, grid).run(quiet(lines));
            assertThat(again.skipped()).isEqualTo(3);
            assertThat(lines).contains("3 of 3 cells are done already in " + dir + "; skipping them");
        } finally {
            w.shutdown();
            c.shutdown();
        }
    }

    @Test
    void aCellOfAMemberLostMidRunResumesElsewhereToTheUninterruptedWeights(@TempDir Path dir, @TempDir Path scratch, @TempDir Path ref)
            throws Exception {
        Cell cell = cell(0, 4, 8);
        HazelcastInstance c = Members.start(MembersTest.coordinator("sweep-lost"));
        HazelcastInstance w = Members.start(Members.Options.worker(List.of(Members.address(c))).withClusterName("sweep-lost"));
        Worker onWorker = worker(w, scratch).start();                    // takes the cell: the coordinator has no slot yet
        try {
            CompletableFuture<Sweep.Result> sweep = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Sweep(c, dir, List.of(cell)).run(quiet(new ArrayList<>()));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitCheckpoint(c, cell, 3);
            w.getLifecycleService().terminate();                           // as kill -9 looks to the cluster
            try (Worker onCoordinator = worker(c, scratch).start()) {
                Sweep.Result r = sweep.get(120, TimeUnit.SECONDS);
                assertThat(r.failed()).isEmpty();
                assertThat(r.cells().getFirst().attempt()).isEqualTo(2);
            }
            assertSameRun(Sweep.cellDir(dir, cell.name()), reference(cell, ref));
        } finally {
            onWorker.stop("test over");
            c.shutdown();
        }
    }

    @Test
    void aRestartedCoordinatorResumesTheSweepFromItsDirectory(@TempDir Path dir, @TempDir Path scratch, @TempDir Path ref) throws Exception {
        Cell cell = cell(0, 6, 8);
        HazelcastInstance first = Members.start(MembersTest.coordinator("sweep-restart"));
        Worker slots = worker(first, scratch).start();
        CompletableFuture<Sweep.Result> sweep = CompletableFuture.supplyAsync(() -> {
            try {
                return new Sweep(first, dir, List.of(cell)).run(quiet(new ArrayList<>()));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            long t0 = System.nanoTime();
            while (Checkpoints.onDisk(cell.name(), Sweep.cellDir(dir, cell.name())) == null || episodes(dir, cell) < 3) {
                assertThat(System.nanoTime() - t0).as("a checkpoint mirrored within a minute").isLessThan(60_000_000_000L);
                Thread.sleep(50);
            }
            first.getLifecycleService().terminate();                       // the coordinator dies
            slots.stop("coordinator gone");
            assertThat(sweep).failsWithin(30, TimeUnit.SECONDS);
        } finally {
            first.getLifecycleService().terminate();
        }
        HazelcastInstance second = Members.start(MembersTest.coordinator("sweep-restart"));
        try (Worker again = worker(second, scratch).start()) {
            Sweep.Result r = new Sweep(second, dir, List.of(cell)).run(quiet(new ArrayList<>()));
            assertThat(r.failed()).isEmpty();
            assertThat(r.cells().getFirst().message()).isEmpty();
        } finally {
            second.shutdown();
        }
        assertSameRun(Sweep.cellDir(dir, cell.name()), reference(cell, ref));
    }

    private static long episodes(Path sweep, Cell cell) throws Exception {
        Path state = Sweep.cellDir(sweep, cell.name()).resolve("state.json");
        return Files.exists(state) ? ((Number) RunDir.readJson(state).get("episodes")).longValue() : 0;
    }

    /** Waits until the cluster holds a checkpoint of {@code cell} with at least {@code episodes} episodes. */
    private static void awaitCheckpoint(HazelcastInstance h, Cell cell, int episodes) throws InterruptedException {
        long t0 = System.nanoTime();
        while (true) {
            Manifest m = h.<String, Manifest>getMap(Checkpoints.MANIFESTS).get(cell.name());
            if (m != null && m.files().stream().anyMatch(f -> f.path().equals(String.format("episodes/%06d.ep", episodes)))
                    && m.files().stream().anyMatch(f -> f.path().equals("model.safetensors"))) return;
            assertThat(System.nanoTime() - t0).as("a checkpoint uploaded within a minute").isLessThan(60_000_000_000L);
            Thread.sleep(20);
        }
    }

    static void assertSameRun(Path got, Path want) throws Exception {
        assertThat(Files.readAllBytes(got.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(want.resolve("model.safetensors")));
        Map<String, Object> a = RunDir.readJson(got.resolve("summary.json")), b = RunDir.readJson(want.resolve("summary.json"));
        for (String k : new String[] {"evalReturns", "randomReturns", "envSteps", "episodes", "trainSteps"})
            assertThat(a.get(k)).as(k).isEqualTo(b.get(k));
    }
}
