package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The worker pool: every index exactly once, the documented split, errors, nesting, callers on
 * several threads, and no lost wake-ups over many loops (with workers both spinning and parked).
 * Tagged kernel so it also runs in the executions with other thread counts (core/pom.xml).
 */
@Tag("kernel")
class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnceInTheDocumentedParts() {
        for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
            for (int parts = 1; parts <= Parallel.threads() + 1; parts++) {
                int[] hits = new int[n];
                List<int[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
                Parallel.forRange(n, parts, (lo, hi) -> {
                    ranges.add(new int[] {lo, hi});
                    for (int i = lo; i < hi; i++) hits[i]++;
                });
                for (int h : hits) assertThat(h).as("n=%d parts=%d", n, parts).isEqualTo(1);
                int p = Math.min(Math.min(parts, Parallel.threads()), n);
                if (n > 0) {
                    assertThat(ranges).hasSize(Math.max(1, p));
                    if (p > 1)
                        for (int[] r : ranges) {
                            int i = java.util.Arrays.binarySearch(splits(n, p), r[0]);
                            assertThat(i).as("a part starts at a split point").isGreaterThanOrEqualTo(0);
                            assertThat(r[1]).isEqualTo(Parallel.split(n, p, i + 1));
                        }
                }
            }
        }
    }

    private static int[] splits(int n, int p) {
        int[] s = new int[p];
        for (int i = 0; i < p; i++) s[i] = Parallel.split(n, p, i);
        return s;
    }

    @Test
    void partsRunOnDifferentThreadsWhenThereAreWorkers() {
        var threads = ConcurrentHashMap.<Thread>newKeySet();
        Parallel.forRange(Parallel.threads(), (lo, hi) -> threads.add(Thread.currentThread()));
        assertThat(threads).hasSize(Parallel.threads()).contains(Thread.currentThread());
    }

    @Test
    void anErrorInAWorkersPartReachesTheCaller() {
        if (Parallel.threads() < 2) return;                                // one thread: nothing runs elsewhere
        int n = 10;
        int last = Parallel.split(n, Parallel.threads(), Parallel.threads() - 1);
        assertThatThrownBy(() -> Parallel.forRange(n, (lo, hi) -> {
            if (lo == last) throw new IllegalStateException("part at " + lo);
        })).isInstanceOf(IllegalStateException.class).hasMessage("part at " + last);
        // the pool is usable afterwards
        AtomicInteger sum = new AtomicInteger();
        Parallel.forRange(n, (lo, hi) -> sum.addAndGet(hi - lo));
        assertThat(sum).hasValue(n);
    }

    @Test
    void theCallersOwnErrorWinsAndCheckedErrorsAreWrapped() {
        assertThatThrownBy(() -> Parallel.forRange(10, (lo, hi) -> {
            throw new ArithmeticException("part " + lo);
        })).isInstanceOf(ArithmeticException.class).hasMessage("part 0");
        assertThatThrownBy(() -> Parallel.forRange(-1, (lo, hi) -> {})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative size -1");
    }

    @Test
    void aLoopInsideAPartRunsSeriallyOnThatThread() {
        int n = 64;
        int[] hits = new int[n * n];
        Parallel.forRange(n, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                Thread outer = Thread.currentThread();
                int row = i;
                Parallel.forRange(n, (l2, h2) -> {
                    assertThat(Thread.currentThread()).isSameAs(outer);
                    assertThat(l2).isZero();
                    assertThat(h2).isEqualTo(n);
                    for (int j = l2; j < h2; j++) hits[row * n + j]++;
                });
            }
        });
        for (int h : hits) assertThat(h).isEqualTo(1);
    }

    @Test
    void callersOnSeveralThreadsAllGetCorrectResults() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int callers = 4, loops = 2_000, n = 257;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int k = 0; k < loops; k++) {
                            long[] out = new long[n];
                            Parallel.forRange(n, (lo, hi) -> {
                                for (int i = lo; i < hi; i++) out[i] = (long) i * i;
                            });
                            for (int i = 0; i < n; i++) if (out[i] != (long) i * i) throw new AssertionError("index " + i + " missed");
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                ts.add(t);
                t.start();
            }
            start.countDown();
            for (Thread t : ts) t.join();
            assertThat(failure.get()).isNull();
        });
    }

    @Test
    void manyLoopsWithAndWithoutPausesNeverHang() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            AtomicInteger total = new AtomicInteger();
            for (int k = 0; k < 50_000; k++) Parallel.forRange(Parallel.threads(), (lo, hi) -> total.addAndGet(hi - lo));
            assertThat(total).hasValue(50_000 * Parallel.threads());
            // pauses longer than the spin window: the workers park and must be woken
            for (int k = 0; k < 20; k++) {
                Thread.sleep(2);
                Parallel.forRange(Parallel.threads(), (lo, hi) -> total.addAndGet(hi - lo));
            }
            assertThat(total).hasValue(50_020 * Parallel.threads());
            // a long part: the caller parks until the last worker wakes it
            Parallel.forRange(Parallel.threads(), (lo, hi) -> {
                if (lo > 0) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                total.addAndGet(hi - lo);
            });
            assertThat(total).hasValue(50_021 * Parallel.threads());
        });
    }
}
