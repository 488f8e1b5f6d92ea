package latte.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import latte.models.Agents;
import latte.models.loop.Learner;
import latte.models.loop.Trainer;
import latte.models.run.RunDir;

/**
 * The cell slots of one member: each slot takes the first queued cell off the job board
 * (compare-and-set, so a cell has one owner), trains it with the platform's own {@link Trainer}
 * in a local scratch folder, uploads the run directory at checkpoints ({@link Checkpoints}) and
 * marks the cell done. A cell the cluster holds a checkpoint of (its earlier owner died) is
 * downloaded and resumed from it, which continues exactly as the uninterrupted run.
 */
public final class Worker implements AutoCloseable {
    static final String CELLS = "latte.cells", PROGRESS = "latte.progress";
    /** Seconds between progress posts of a running cell. */
    static final double PROGRESS_SECONDS = 2;

    /**
     * @param slots       cells run at once on this member
     * @param syncSeconds least seconds between two checkpoint uploads of a cell (0: every checkpoint);
     *                    at most this much work is redone when the member is lost
     * @param scratch     the local folder where running cells' run directories live
     */
    public record Options(int slots, double syncSeconds, Path scratch) {
        public Options {
            if (slots < 0) throw new IllegalArgumentException("--slots " + slots + " is negative; give 0 (coordinate only) or more");
            if (!(syncSeconds >= 0)) throw new IllegalArgumentException("--sync-seconds " + syncSeconds + " is negative");
        }

        /** One cell per two cores (at least one), uploads at most every 30 s, scratch in the temporary folder. */
        public static Options defaults() {
            return new Options(defaultSlots(), 30, Path.of(System.getProperty("java.io.tmpdir")));
        }

        public static int defaultSlots() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }

        public Options withSlots(int s) {
            return new Options(s, syncSeconds, scratch);
        }

        public Options withSyncSeconds(double s) {
            return new Options(slots, s, scratch);
        }
    }

    /** Thrown into a cell's training when this member no longer owns it: the training stops, nothing is uploaded. */
    static final class LostCell extends RuntimeException {
        LostCell(String message) {
            super(message);
        }
    }

    private final HazelcastInstance h;
    private final Options options;
    private final PrintStream log;
    private final IMap<String, CellState> cells;
    private final IMap<String, CellProgress> progress;
    private final String me, address;
    private final Path scratch;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile String stopReason = "";

    public Worker(HazelcastInstance h, Options options, PrintStream log) {
        this.h = h;
        this.options = options;
        this.log = log;
        this.cells = h.getMap(CELLS);
        this.progress = h.getMap(PROGRESS);
        this.me = h.getCluster().getLocalMember().getUuid().toString();
        this.address = Members.address(h);
        try {
            this.scratch = Files.createDirectories(options.scratch()).resolve("latte-member-" + me);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use " + options.scratch() + " for cells' run directories: " + e.getMessage(), e);
        }
        // a lite member holds no data: once the last data member (the coordinator) is gone there is no sweep to work for
        h.getCluster().addMembershipListener(new MembershipListener() {
            @Override public void memberAdded(MembershipEvent e) {}

            @Override
            public void memberRemoved(MembershipEvent e) {
                if (h.getCluster().getLocalMember().isLiteMember() && e.getMembers().stream().allMatch(m -> m.isLiteMember()))
                    stop("the sweep's coordinator " + Members.address(e.getMember()) + " left");
            }
        });
    }

    /** Starts the slots. */
    public Worker start() {
        for (int i = 0; i < options.slots(); i++) {
            Thread t = Thread.ofPlatform().name("latte-slot-" + i).daemon(true).start(this::slot);
            threads.add(t);
        }
        return this;
    }

    /** Stops taking cells; running ones stop at their next checkpoint or progress post (they will be re-run elsewhere). */
    public void stop(String reason) {
        if (closing) return;
        stopReason = reason;
        closing = true;
        stopped.countDown();
    }

    /** Waits until {@link #stop} (the coordinator left, or the process is told to stop); returns why. */
    public String awaitStop() throws InterruptedException {
        stopped.await();
        return stopReason;
    }

    @Override
    public void close() {
        stop("closed");
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void slot() {
        while (!closing) {
            try {
                CellState s = claim();
                if (s == null) {
                    Thread.sleep(250);
                    continue;
                }
                run(s);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closing || !h.getLifecycleService().isRunning()) return;
                log.println("latte worker: " + e.getMessage());               // the cluster hiccuped; try again shortly
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first queued cell in grid order, taken by compare-and-set; null when none is queued. */
    private CellState claim() {
        List<CellState> queued = cells.values().stream().filter(s -> s.status() == CellState.Status.QUEUED)
                .sorted(Comparator.comparingInt(s -> s.cell().index())).toList();
        for (CellState s : queued) {
            CellState mine = s.running(me, address);
            if (cells.replace(s.cell().name(), s, mine)) return mine;
        }
        return null;
    }

    /** Whether this member still owns the attempt (the coordinator re-queues the cells of members it thinks dead). */
    private void checkOwner(CellState mine) {
        if (closing) throw new LostCell("this member is stopping (" + stopReason + ")");
        CellState now = cells.get(mine.cell().name());
        if (now == null || !now.equals(mine)) throw new LostCell(mine.cell().name() + " was taken from this member");
    }

    private void run(CellState mine) {
        Cell cell = mine.cell();
        Path dir = scratch.resolve(cell.name() + "-attempt" + mine.attempt());
        try {
            deleteTree(dir);
            Manifest from = Checkpoints.download(h, cell.name(), dir);
            if (from == null) deleteTree(dir);
            log.printf(Locale.ROOT, "latte worker: %s %s%n", from == null ? "starting" : "resuming", cell.name());
            Checkpoints.Uploader up = new Checkpoints.Uploader(h, cell.name(), mine.attempt(), dir, from);
            if (from == null || !from.finished()) train(mine, new RunDir(dir), from != null, up);
            checkOwner(mine);
            if (!cells.replace(cell.name(), mine, mine.done())) throw new LostCell(cell.name() + " was taken from this member");
            log.println("latte worker: finished " + cell.name());
        } catch (LostCell e) {
            log.println("latte worker: dropped " + cell.name() + ": " + e.getMessage());
        } catch (RuntimeException | Error e) {
            // an error too (out of memory in a large preset): the cell is marked failed, or the sweep would wait for it forever
            if (closing || !h.getLifecycleService().isRunning()) return;       // the member is going: the cell is re-run elsewhere
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.println("latte worker: " + cell.name() + " failed: " + why);
            cells.replace(cell.name(), mine, mine.failed(why));
        } finally {
            deleteTree(dir);
        }
    }

    private void train(CellState mine, RunDir run, boolean resume, Checkpoints.Uploader up) {
        Cell cell = mine.cell();
        Trainer trainer;
        if (resume) {
            Agents.Opened o = Agents.open(run.path(), false);
            trainer = Trainer.resume(run, o.learner());
        } else {
            Learner learner = Agents.create(cell.spec());
            learner.loop().checkBudget(cell.budget());
            trainer = Trainer.create(run, learner, cell.env(), cell.seed());
        }
        long[] lastSync = {System.nanoTime()}, lastPost = {0}, synced = {0, 0};          // synced: nanoseconds, bytes
        Trainer.Summary s = trainer.run(cell.budget(), new Trainer.Listener() {
            @Override
            public void progress(Trainer.Progress p) {
                if (closing) throw new LostCell("this member is stopping (" + stopReason + ")");
                long now = System.nanoTime();
                if (now - lastPost[0] < PROGRESS_SECONDS * 1e9) return;
                lastPost[0] = now;
                post(mine, p, synced);
            }

            @Override
            public void checkpointed(RunDir r) {
                long now = System.nanoTime();
                if (now - lastSync[0] < options.syncSeconds() * 1e9) return;
                checkOwner(mine);
                synced[1] += up.upload(false);
                lastSync[0] = System.nanoTime();
                synced[0] += lastSync[0] - now;
            }
        });
        checkOwner(mine);
        long t0 = System.nanoTime();
        synced[1] += up.upload(true);
        synced[0] += System.nanoTime() - t0;
        post(mine, new Trainer.Progress("done", s.episodes(), s.envSteps(), s.trainSteps(), s.wallSeconds(), 1, Double.NaN, Double.NaN,
                Map.of()), synced);
    }

    private void post(CellState mine, Trainer.Progress p, long[] synced) {
        String name = mine.cell().name();
        progress.set(name, new CellProgress(name, mine.attempt(), p.phase(), p.fraction(), p.elapsedSeconds(), p.episode(), p.envSteps(),
                p.trainSteps(), synced[0] / 1e9, synced[1]));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The slots' cells: name to state, for tests and the command's summary. */
    static Map<String, CellState> board(HazelcastInstance h) {
        return Map.copyOf(h.<String, CellState>getMap(CELLS));
    }
}
