package latte.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that split write-disjoint outer loops.
 *
 * <p>The split of {@code [0, n)} into parts depends only on {@code n} and the number of parts,
 * never on timing, and every output element is written by exactly one part: results are
 * bit-identical run to run and across thread counts as long as each part's arithmetic does not
 * depend on where its range starts (kernels keep a fixed summation order per output element).
 *
 * <p>Size: {@code -Dlatte.threads=N}, else the number of available processors. A parallel loop
 * started from inside a part runs serially on that thread (no nested fan-out, no deadlock), and
 * so does a loop started while another thread's loop holds the workers.
 *
 * <p><b>Why not an ExecutorService.</b> A model step makes thousands of small parallel loops
 * (one per GEMM, conv or GRU call); submitting futures and parking on them cost about 28 us per
 * loop here, enough that two threads were slower than one on the Dreamer {@code cpu} preset.
 * Here the caller publishes a job by bumping a generation counter that idle workers watch in a
 * spin ({@code -Dlatte.spinMicros}, default 3000 us) before they park, and the caller spins
 * on a countdown of unfinished parts: a loop costs about a microsecond when the workers are
 * awake, and a parked worker is woken with one unpark.
 *
 * <p><b>Why a 3 ms spin.</b> Waking a parked thread costs about 80 us on the 2-core VM we train
 * on (an unpark crosses the hypervisor), and the serial work between two loops of a training step
 * (tape bookkeeping, small ops) often runs past 100 us: with a 100 us spin about 420 of the
 * ~2,700 loops of a Dreamer {@code cpu} step found the worker parked, and the caller, parked in
 * turn while waiting for a long part, paid the same again. A 3 ms spin cut those wake-ups to
 * about 25 a step and the step time by about 5% (docs/tensor.md). The price is up to 3 ms of
 * a spinning core after the last loop, on cores that would otherwise idle.
 */
public final class Parallel {
    /** Body of a parallel loop: handles indices {@code [lo, hi)}. */
    @FunctionalInterface
    public interface Range {
        void run(int lo, int hi);
    }

    private static final int THREADS = Math.max(1,
            Integer.getInteger("latte.threads", Runtime.getRuntime().availableProcessors()));
    private static final long SPIN_NANOS = 1000L * Math.max(0, Integer.getInteger("latte.spinMicros", 3000));
    /** Microseconds of pure spinning before a wait starts yielding the core between looks. */
    private static final int HOT_SPIN_MICROS = 100;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    // The job in flight: written by the caller before the volatile write of `generation`, read by
    // the workers after their volatile read of it (happens-before through the volatile).
    private static Range body;
    private static int size, parts;
    private static final Throwable[] ERRORS = new Throwable[THREADS];
    private static volatile long generation;
    /** Parts not yet finished by the workers; the caller spins (then parks) until it is 0. */
    private static final AtomicInteger PENDING = new AtomicInteger();
    /** One job at a time: a caller that finds the workers busy runs its loop serially. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final Worker[] WORKERS = new Worker[THREADS - 1];
    private static volatile Thread waiter;

    static {
        for (int w = 0; w < WORKERS.length; w++) {
            WORKERS[w] = new Worker(w + 1);
            WORKERS[w].start();
        }
    }

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
     * rethrown on the caller's thread (the first part's first, else the lowest part's).
     */
    public static void forRange(int n, int parts, Range body) {
        if (n < 0) throw new IllegalArgumentException("Parallel.forRange: negative size " + n);
        int p = Math.min(Math.min(parts, THREADS), n);
        if (p <= 1 || INSIDE.get() || !BUSY.compareAndSet(false, true)) {
            if (n > 0) body.run(0, n);
            return;
        }
        try {
            Parallel.body = body;
            Parallel.size = n;
            Parallel.parts = p;
            PENDING.set(p - 1);
            generation++;                                                  // volatile write: publishes the job
            for (int w = 0; w < p - 1; w++) if (WORKERS[w].sleeping) LockSupport.unpark(WORKERS[w]);
            Throwable error = null;
            INSIDE.set(true);
            try {
                body.run(0, split(n, p, 1));
            } catch (Throwable t) {
                error = t;
            } finally {
                INSIDE.set(false);
            }
            awaitWorkers();
            for (int i = 1; i < p && error == null; i++) error = ERRORS[i];
            for (int i = 1; i < p; i++) ERRORS[i] = null;
            Parallel.body = null;
            if (error instanceof RuntimeException re) throw re;
            if (error instanceof Error er) throw er;
            if (error != null) throw new IllegalStateException(error);
        } finally {
            BUSY.set(false);
        }
    }

    private static void awaitWorkers() {
        long start = 0;
        for (int spins = 0; PENDING.get() != 0; spins++) {
            if ((start = spin(spins, start)) < 0) {
                waiter = Thread.currentThread();                          // long part: sleep until the last worker wakes us
                while (PENDING.get() != 0) LockSupport.park(Parallel.class);
                waiter = null;
                return;
            }
        }
    }

    /**
     * One turn of a wait loop: a pause instruction, and on every 64th turn a look at the clock.
     * Returns the wait's start time (0 until the first look), or -1 once the spin window is over
     * and the caller should park. Past the first {@value #HOT_SPIN_MICROS} us each look also
     * yields the core: with more runnable threads than cores (a second training, an oversized
     * pool) a long spin would otherwise hold a core the thread it waits for needs.
     */
    private static long spin(int spins, long start) {
        if ((spins & 63) != 63) {
            Thread.onSpinWait();
            return start;
        }
        long now = System.nanoTime();
        if (start == 0) return now;
        long waited = now - start;
        if (waited > SPIN_NANOS) return -1;
        if (waited > HOT_SPIN_MICROS * 1000L) Thread.yield();
        return start;
    }

    private static void finished() {
        if (PENDING.decrementAndGet() == 0) {
            Thread w = waiter;
            if (w != null) LockSupport.unpark(w);
        }
    }

    /** Start of part {@code i} of {@code p} over {@code n} items (fixed, timing-independent). */
    public static int split(int n, int p, int i) {
        return (int) ((long) n * i / p);
    }

    /** Runs part {@code index} of every job that has at least {@code index + 1} parts. */
    private static final class Worker extends Thread {
        private final int index;
        volatile boolean sleeping;

        Worker(int index) {
            super("latte-parallel-" + index);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            INSIDE.set(true);
            long seen = 0;
            while (true) {
                seen = awaitJob(seen);
                int p = parts;
                if (index >= p) continue;
                try {
                    body.run(split(size, p, index), split(size, p, index + 1));
                } catch (Throwable t) {
                    ERRORS[index] = t;
                }
                finished();
            }
        }

        /** Spins for a while on the generation counter, then parks until the caller unparks it. */
        private long awaitJob(long seen) {
            long g, start = 0;
            for (int spins = 0; (g = generation) == seen; spins++) {
                if ((start = spin(spins, start)) < 0) {
                    sleeping = true;                                       // then re-read generation: no lost wake-up
                    while ((g = generation) == seen) LockSupport.park(this);
                    sleeping = false;
                    return g;
                }
            }
            return g;
        }
    }
}
