package latte.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed thread pool that splits write-disjoint outer loops.
 *
 * <p>The split of {@code [0, n)} into parts depends only on {@code n} and the number of parts,
 * never on timing, and every output element is written by exactly one part: results are
 * bit-identical run to run and across thread counts as long as each part's arithmetic does not
 * depend on where its range starts (kernels keep a fixed summation order per output element).
 *
 * <p>Size: {@code -Dlatte.threads=N}, else the number of available processors. A parallel loop
 * started from inside a worker runs serially on that worker (no nested fan-out, no deadlock).
 */
public final class Parallel {
    /** Body of a parallel loop: handles indices {@code [lo, hi)}. */
    @FunctionalInterface
    public interface Range {
        void run(int lo, int hi);
    }

    private static final int THREADS = Math.max(1,
            Integer.getInteger("latte.threads", Runtime.getRuntime().availableProcessors()));
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = THREADS == 1 ? null
            : Executors.newFixedThreadPool(THREADS - 1, r -> {
                Thread t = new Thread(() -> { INSIDE.set(true); r.run(); }, "latte-parallel");
                t.setDaemon(true);
                return t;
            });

    private Parallel() {}

    /** The pool's size: the most parts a loop is split into. */
    public static int threads() {
        return THREADS;
    }

    /** Runs {@code body} over {@code [0, n)} split into {@link #threads()} parts. */
    public static void forRange(int n, Range body) {
        forRange(n, THREADS, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@code parts} contiguous ranges of
     * near-equal size; the caller's thread runs the first range. Exceptions from any part are
     * rethrown on the caller's thread.
     */
    public static void forRange(int n, int parts, Range body) {
        if (n < 0) throw new IllegalArgumentException("Parallel.forRange: negative size " + n);
        int p = Math.min(Math.min(parts, THREADS), n);
        if (p <= 1 || INSIDE.get()) {
            if (n > 0) body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(p - 1);
        for (int i = 1; i < p; i++) {
            int lo = split(n, p, i), hi = split(n, p, i + 1);
            futures.add(POOL.submit(() -> body.run(lo, hi)));
        }
        Throwable error = null;
        try {
            INSIDE.set(true);
            body.run(0, split(n, p, 1));
        } catch (Throwable t) {
            error = t;
        } finally {
            INSIDE.set(false);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (error == null) error = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (error == null) error = e;
            }
        }
        if (error instanceof RuntimeException re) throw re;
        if (error instanceof Error er) throw er;
        if (error != null) throw new IllegalStateException(error);
    }

    /** Start of part {@code i} of {@code p} over {@code n} items (fixed, timing-independent). */
    public static int split(int n, int p, int i) {
        return (int) ((long) n * i / p);
    }
}
