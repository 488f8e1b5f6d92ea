package latte.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import latte.cluster.CellProgress;
import latte.cluster.CellState;
import latte.cluster.Sweep;
import latte.models.run.RunDir;

/**
 * The sweep's progress as plain lines (a log reads as well as a terminal): cells done / running /
 * queued / failed with the sweep's ETA whenever a count changes (else every 30 s), each running
 * cell with its member, progress and ETA, and a line per cell gathered.
 */
final class SweepDisplay implements Sweep.Listener {
    private static final double QUIET_SECONDS = 30;
    private final PrintStream out;
    private final int total;
    private String lastCounts = "";
    private double lastPrint = -1e9, cellSeconds, cellsTimed;

    SweepDisplay(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    @Override
    public void message(String line) {
        out.println("latte sweep: " + line);
    }

    @Override
    public void gathered(CellState cell, Path dir, CellProgress last) {
        if (cell.status() != CellState.Status.DONE) return;
        RunDir run = new RunDir(dir);
        CurvePlot.write(run);
        var s = RunDir.readJson(run.summary());
        double wall = s.get("wallSeconds") instanceof Number n ? n.doubleValue() : Double.NaN;
        if (Double.isFinite(wall)) {
            cellSeconds += wall;
            cellsTimed++;
        }
        out.printf(Locale.ROOT, "latte sweep: done %s: evaluation return %s (random %s), %s%n", cell.cell().name(),
                ResultsCommand.fmt(num(s.get("evalReturnMean"))), ResultsCommand.fmt(num(s.get("randomReturnMean"))), ProgressBar.clock(wall));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public void status(Sweep.Status s) {
        long done = s.count(CellState.Status.DONE), running = s.count(CellState.Status.RUNNING), queued = s.count(CellState.Status.QUEUED),
                failed = s.count(CellState.Status.FAILED);
        String counts = String.format(Locale.ROOT, "%d done, %d running, %d queued, %d failed of %d", done, running, queued, failed, total);
        if (counts.equals(lastCounts) && s.elapsedSeconds() - lastPrint < QUIET_SECONDS) return;
        lastCounts = counts;
        lastPrint = s.elapsedSeconds();
        out.printf(Locale.ROOT, "[%s] %s | %d member%s | ETA %s%n", ProgressBar.clock(s.elapsedSeconds()), counts, s.members(),
                s.members() == 1 ? "" : "s", eta(s, running, queued));
        for (CellState c : s.cells()) {
            if (c.status() != CellState.Status.RUNNING) continue;
            CellProgress p = s.progress().get(c.cell().name());
            boolean current = p != null && p.attempt() == c.attempt();
            out.printf(Locale.ROOT, "    %-48s on %-21s %s%n", c.cell().name(), c.where(), current
                    ? String.format(Locale.ROOT, "%3.0f%%  episode %d  ETA %s", 100 * p.fraction(), p.episodes(), clock(p.etaSeconds()))
                    : "starting");
        }
    }

    /** Running cells' time left plus the queued cells at the mean cell time so far, over the cells running at once. */
    private String eta(Sweep.Status s, long running, long queued) {
        double left = 0;
        for (CellState c : s.cells()) {
            if (c.status() != CellState.Status.RUNNING) continue;
            CellProgress p = s.progress().get(c.cell().name());
            double e = p == null ? Double.NaN : p.etaSeconds();
            if (Double.isNaN(e)) return "-";
            left += e;
        }
        if (queued > 0) {
            if (cellsTimed == 0) return "-";
            left += queued * cellSeconds / cellsTimed;
        }
        return clock(left / Math.max(1, running));
    }

    private static String clock(double seconds) {
        return Double.isFinite(seconds) ? ProgressBar.clock(seconds) : "-";
    }
}
