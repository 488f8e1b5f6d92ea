package latte.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The coordinator of a sweep: puts its cells on the job board, watches the members, and gathers
 * the run directories into the sweep directory ({@code DIR/cells/NAME/}).
 * <pre>
 *   for each cell: summary.json in DIR/cells/NAME  -> done already (a re-run skips it)
 *                  a whole checkpoint there         -> published to the cluster, queued (resumes from it)
 *                  else                             -> queued
 *   until every cell is done or failed, twice a second:
 *     a running cell whose member left               -> queued again (it resumes from its last upload)
 *     a newer checkpoint of a cell in the cluster    -> mirrored into DIR/cells/NAME (.sync.json last)
 *     a done cell                                    -> its final files mirrored, then forgotten by the cluster
 * </pre>
 * Members run the cells ({@link Worker}); this one runs slots too unless told otherwise.
 */
public final class Sweep {
    /** What the sweep has come to, for progress lines. */
    public record Status(List<CellState> cells, Map<String, CellProgress> progress, int members, double elapsedSeconds) {
        public long count(CellState.Status s) {
            return cells.stream().filter(c -> c.status() == s).count();
        }
    }

    /** What the caller hears: progress, and each cell gathered (its run directory is whole in the sweep directory). */
    public interface Listener {
        void status(Status s);

        default void gathered(CellState cell, Path dir, CellProgress last) {}

        default void message(String line) {}
    }

    /**
     * The outcome.
     *
     * @param skipped       cells already done in the sweep directory
     * @param gatherSeconds the coordinator's time copying checkpoints and results, all cells together
     * @param syncSeconds   the members' time uploading checkpoints, all cells together
     * @param syncBytes     the bytes they uploaded
     */
    public record Result(List<CellState> cells, int skipped, double wallSeconds, double gatherSeconds, double syncSeconds, long syncBytes) {
        public List<CellState> failed() {
            return cells.stream().filter(c -> c.status() == CellState.Status.FAILED).toList();
        }
    }

    private final HazelcastInstance h;
    private final Path dir;
    private final List<Cell> grid;
    private final IMap<String, CellState> board;
    private final IMap<String, CellProgress> progress;
    private final Map<String, Manifest> mirrored = new HashMap<>();
    private final Set<String> gathered = new HashSet<>();
    private Listener listener = quiet(line -> {});

    public Sweep(HazelcastInstance h, Path dir, List<Cell> cells) {
        Set<String> names = new HashSet<>();
        for (Cell c : cells)
            if (!names.add(c.name())) throw new IllegalArgumentException("sweep: two cells are named " + c.name() + "; give distinct values");
        this.h = h;
        this.dir = dir;
        this.grid = List.copyOf(cells);
        this.board = h.getMap(Worker.CELLS);
        this.progress = h.getMap(Worker.PROGRESS);
    }

    /** The run directory of a cell in the sweep directory. */
    public static Path cellDir(Path sweep, String cell) {
        return sweep.resolve("cells").resolve(cell);
    }

    /** Runs the sweep to its end (every cell done or failed). */
    public Result run(Listener l) throws InterruptedException {
        long t0 = System.nanoTime();
        listener = l;
        board.clear();
        progress.clear();
        int skipped = 0;
        Map<String, CellState> start = new LinkedHashMap<>();
        for (Cell c : grid) {
            Path d = cellDir(dir, c.name());
            if (Files.isRegularFile(d.resolve("summary.json"))) {
                skipped++;
                gathered.add(c.name());
                start.put(c.name(), CellState.queued(c).done());
                continue;
            }
            Manifest m = Checkpoints.onDisk(c.name(), d);
            if (m != null) {
                Checkpoints.publish(h, m, d);
                mirrored.put(c.name(), m);
                start.put(c.name(), CellState.queued(c).requeued("resumes from its checkpoint in " + d));
            } else {
                Worker.deleteTree(d);                         // a start without a whole checkpoint: the cell starts over
                start.put(c.name(), CellState.queued(c));
            }
        }
        board.putAll(start);
        if (skipped > 0) l.message(skipped + " of " + grid.size() + " cells are done already in " + dir + "; skipping them");
        // a member that leaves (a crash, kill -9, a lost machine) gives its running cells back at once; the loop below catches the rest
        var reg = h.getCluster().addMembershipListener(new MembershipListener() {
            @Override public void memberAdded(MembershipEvent e) {
                l.message("member joined: " + Members.address(e.getMember()) + " (" + Members.describe(h) + ")");
            }

            @Override public void memberRemoved(MembershipEvent e) {
                l.message("member left: " + Members.address(e.getMember()) + " (" + Members.describe(h) + ")");
                requeueLost();
            }
        });
        double gather = 0;
        try {
            while (true) {
                requeueLost();
                long g0 = System.nanoTime();
                boolean all = true;
                for (CellState s : board.values()) {
                    String name = s.cell().name();
                    if (gathered.contains(name)) continue;
                    all = false;
                    if (s.status() == CellState.Status.QUEUED && !mirrored.containsKey(name)) continue;
                    Path d = cellDir(dir, name);
                    Manifest m = Checkpoints.mirror(h, name, d, mirrored.get(name));
                    if (m != null) mirrored.put(name, m);
                    boolean whole = s.status() == CellState.Status.DONE && m != null && m.finished();
                    if (whole || s.status() == CellState.Status.FAILED) {
                        Checkpoints.forget(h, name);
                        gathered.add(name);
                        if (s.status() == CellState.Status.FAILED) l.message("cell " + name + " failed: " + s.message());
                        l.gathered(s, d, progress.get(name));
                    }
                }
                gather += (System.nanoTime() - g0) / 1e9;
                l.status(status(t0));
                if (all) break;
                Thread.sleep(500);
            }
        } finally {
            h.getCluster().removeMembershipListener(reg);
        }
        double syncSeconds = 0;
        long syncBytes = 0;
        for (CellProgress p : progress.values()) {
            syncSeconds += p.syncSeconds();
            syncBytes += p.syncBytes();
        }
        List<CellState> end = board.values().stream().sorted(Comparator.comparingInt(s -> s.cell().index())).toList();
        return new Result(end, skipped, (System.nanoTime() - t0) / 1e9, gather, syncSeconds, syncBytes);
    }

    private Status status(long t0) {
        List<CellState> cells = board.values().stream().sorted(Comparator.comparingInt(s -> s.cell().index())).toList();
        return new Status(cells, Map.copyOf(progress), h.getCluster().getMembers().size(), (System.nanoTime() - t0) / 1e9);
    }

    /** Puts the running cells of members that are gone back in the queue (compare-and-set: a cell that finished meanwhile stays done). */
    private synchronized void requeueLost() {
        Set<String> alive = h.getCluster().getMembers().stream().map(Member::getUuid).map(Object::toString).collect(Collectors.toSet());
        for (CellState s : new ArrayList<>(board.values()))
            if (s.status() == CellState.Status.RUNNING && !alive.contains(s.owner())
                    && board.replace(s.cell().name(), s, s.requeued("its member " + s.where() + " left; re-run from its last checkpoint")))
                listener.message("re-queued " + s.cell().name() + ": its member " + s.where() + " left; it resumes from its last checkpoint");
    }

    /** Runs {@code body} with a sweep's progress lines printed by {@code out} (for tests that need no display). */
    static Listener quiet(Consumer<String> out) {
        return new Listener() {
            @Override public void status(Status s) {}

            @Override public void message(String line) {
                out.accept(line);
            }
        };
    }
}
