package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Backends#use}: a backend installed for a scope, on every thread, restored on close. */
class BackendsTest {
    /** The CPU's GEMM, counting its calls. */
    private static final class Counting implements Backend {
        final List<String> calls = new CopyOnWriteArrayList<>();

        public String name() { return "counting"; }
        public int priority() { return -1; }
        public boolean available() { return true; }

        public void sgemm(boolean ta, boolean tb, int m, int n, int k, float al, float[] a, int ao, int lda,
                          float[] b, int bo, int ldb, float be, float[] c, int co, int ldc) {
            calls.add("sgemm " + m + "x" + n + "x" + k);
            CpuBackend.INSTANCE.sgemm(ta, tb, m, n, k, al, a, ao, lda, b, bo, ldb, be, c, co, ldc);
        }
    }

    @Test
    void anInstalledBackendIsCurrentOnEveryThreadUntilTheScopeCloses() throws InterruptedException {
        Backend before = Backends.current();
        Counting counting = new Counting();
        Set<Backend> seenByParts = ConcurrentHashMap.newKeySet();
        AtomicReference<Backend> seenByThread = new AtomicReference<>();
        try (Backends.Scope ignored = Backends.use(counting)) {
            assertThat(Backends.current()).isSameAs(counting);
            // a thread of its own (a ThreadLocal would not reach it) and the parts of a pool loop
            Thread t = new Thread(() -> seenByThread.set(Backends.current()));
            t.start();
            t.join();
            Parallel.forRange(Parallel.threads(), (lo, hi) -> seenByParts.add(Backends.current()));
            // Tensor.matmul asks the backend: its batch of two GEMMs goes through the default sgemmBatched
            Tensor c = Tensor.ones(2, 3, 4).matmul(Tensor.ones(4, 5));
            assertThat(c.toArray()).containsOnly(4f);
        }
        assertThat(seenByThread.get()).isSameAs(counting);
        assertThat(seenByParts).containsExactly(counting);
        assertThat(counting.calls).containsExactly("sgemm 3x5x4", "sgemm 3x5x4");
        assertThat(Backends.current()).isSameAs(before);
    }

    @Test
    void scopesNestAndCloseInReverseOrder() {
        Backend before = Backends.current();
        Counting outer = new Counting(), inner = new Counting();
        Backends.Scope a = Backends.use(outer);
        Backends.Scope b = Backends.use(inner);
        assertThat(Backends.current()).isSameAs(inner);
        assertThatThrownBy(a::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("reverse order");
        assertThat(Backends.current()).isSameAs(inner); // the failed close changed nothing
        b.close();
        b.close(); // closing twice is harmless
        assertThat(Backends.current()).isSameAs(outer);
        a.close();
        assertThat(Backends.current()).isSameAs(before);
        assertThatThrownBy(() -> Backends.use(null)).isInstanceOf(NullPointerException.class);
    }

    /** A backend that outranks the CPU and cannot run here, like the GPU on a machine without a driver. */
    private record Absent(String name, int priority) implements Backend {
        public boolean available() { return false; }
        public String unavailableReason() { return "no driver"; }
        public void sgemm(boolean ta, boolean tb, int m, int n, int k, float al, float[] a, int ao, int lda,
                          float[] b, int bo, int ldb, float be, float[] c, int co, int ldc) {
            throw new AssertionError("never called");
        }
    }

    @Test
    void theAutomaticChoiceSaysInOneLineWhichBackendItPassedOverAndWhy() {
        Backend cpu = CpuBackend.INSTANCE, gpu = new Absent("gpu", 10), slow = new Absent("slow", -5);
        List<Backend> all = List.of(cpu, gpu, slow);
        assertThat(Backends.choose(null, all)).isSameAs(cpu);
        assertThat(Backends.fallbackNote(cpu, all)).isEqualTo("latte: gpu is not available here (no driver); using the cpu");
        // nothing to say when nothing better was passed over (a lower-ranked backend does not count)
        assertThat(Backends.fallbackNote(cpu, List.of(cpu, slow))).isNull();
        // a backend asked for by name is either given or refused with the reason, never a fallback
        assertThatThrownBy(() -> Backends.choose("gpu", all)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latte.backend=gpu: backend is not available here: no driver");
    }
}
