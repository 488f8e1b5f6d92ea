package latte.core;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Chooses the {@link Backend}: {@code -Dlatte.backend=NAME} forces one by name ({@code cpu} always
 * works); otherwise the available backend of highest priority among the CPU and those found by
 * {@link ServiceLoader}. The choice is made once, on first use; {@link #use} puts another in its
 * place for a scope (a test's recording backend).
 */
public final class Backends {
    private Backends() {}

    private static final class Holder {
        static final Backend CURRENT = startup();
    }

    /** The choice made on first use; an automatic choice that passes over a backend says so on stderr, in one line. */
    private static Backend startup() {
        String forced = System.getProperty("latte.backend");
        List<Backend> all = discover();
        Backend b = choose(forced, all);
        if (forced == null || forced.isBlank()) {
            String note = fallbackNote(b, all);
            if (note != null) System.err.println(note);
        }
        return b;
    }

    /**
     * The line that tells a user the automatic choice fell back: {@code latte: cuda is not available
     * here (no CUDA driver: ...); using the cpu}, naming each backend that outranks {@code chosen} and
     * is unavailable, with its reason; null when none does. Not printed when a backend was asked for
     * by name: then the choice either is what was asked or fails with the reason.
     */
    public static String fallbackNote(Backend chosen, List<Backend> candidates) {
        List<String> passed = new ArrayList<>();
        for (Backend b : candidates)
            if (b != chosen && b.priority() > chosen.priority() && !isAvailable(b)) passed.add(b.name() + " is not available here (" + reason(b) + ")");
        return passed.isEmpty() ? null : "latte: " + String.join("; ", passed) + "; using the " + chosen.name();
    }

    /**
     * The backend installed by {@link #use}, or null. One field for the whole process, not a
     * ThreadLocal, so pool workers and data-parallel shards see it too; volatile, so
     * {@link #current()} costs one read and no allocation.
     */
    private static volatile Backend installed;

    /** The backend in use: the one installed by {@link #use}, else the one chosen at start-up. */
    public static Backend current() {
        Backend b = installed;
        return b != null ? b : Holder.CURRENT;
    }

    /**
     * Makes {@code backend} the one {@link #current()} returns, on every thread, until the returned
     * scope is closed; scopes nest and must close in reverse order. Process-wide: work running
     * anywhere in the JVM meanwhile uses it. For tests (a recording backend around a training
     * step) and tools that compare backends in one process.
     */
    public static Scope use(Backend backend) {
        java.util.Objects.requireNonNull(backend, "Backends.use: backend");
        synchronized (Backends.class) {
            Scope s = new Scope(installed, backend);
            installed = backend;
            return s;
        }
    }

    /** A {@link #use} in force; {@link #close()} restores the backend that was current before. */
    public static final class Scope implements AutoCloseable {
        private final Backend previous, backend;
        private boolean closed;

        private Scope(Backend previous, Backend backend) {
            this.previous = previous;
            this.backend = backend;
        }

        @Override
        public void close() {
            synchronized (Backends.class) {
                if (closed) return;
                if (installed != backend)
                    throw new IllegalStateException("Backends.use: scope of " + backend.name()
                            + " closed while a later one is open (close scopes in reverse order)");
                installed = previous;
                closed = true;
            }
        }
    }

    /** The CPU backend and every backend registered through {@link ServiceLoader}. */
    public static List<Backend> discover() {
        List<Backend> all = new ArrayList<>();
        all.add(CpuBackend.INSTANCE);
        for (ServiceLoader.Provider<Backend> p : ServiceLoader.load(Backend.class).stream().toList()) {
            try {
                Backend b = p.get();
                if (!(b instanceof CpuBackend)) all.add(b);
            } catch (java.util.ServiceConfigurationError | LinkageError e) {
                System.err.println("latte: backend " + p.type().getName() + " failed to load (" + e + "); skipped");
            }
        }
        return all;
    }

    /**
     * The rule behind {@link #current()}: the named backend if {@code forced} is set (it must exist
     * and be available), else the available candidate of highest priority (the first on ties).
     */
    public static Backend choose(String forced, List<Backend> candidates) {
        if (forced != null && !forced.isBlank()) {
            for (Backend b : candidates) {
                if (b.name().equalsIgnoreCase(forced.trim())) {
                    if (!isAvailable(b))
                        throw new IllegalArgumentException("latte.backend=" + forced + ": backend is not available here: "
                                + reason(b));
                    return b;
                }
            }
            throw new IllegalArgumentException("latte.backend=" + forced + ": no such backend; known: "
                    + candidates.stream().map(Backend::name).toList()
                    + ("cuda".equalsIgnoreCase(forced.trim()) ? " (the latte-cuda jar is not on the class path)" : ""));
        }
        Backend best = null;
        for (Backend b : candidates)
            if ((best == null || b.priority() > best.priority()) && isAvailable(b)) best = b;
        if (best == null) throw new IllegalArgumentException("Backends.choose: no available backend among "
                + candidates.stream().map(Backend::name).toList());
        return best;
    }

    private static String reason(Backend b) {
        try {
            return b.unavailableReason();
        } catch (RuntimeException | LinkageError e) {
            return e.toString();
        }
    }

    private static boolean isAvailable(Backend b) {
        try {
            return b.available();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("latte: backend " + b.name() + " probe failed (" + e + "); using another");
            return false;
        }
    }
}
