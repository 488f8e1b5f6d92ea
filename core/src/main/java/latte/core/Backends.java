package latte.core;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Chooses the {@link Backend}: {@code -Dlatte.backend=NAME} forces one by name ({@code cpu} always
 * works); otherwise the available backend of highest priority among the CPU and those found by
 * {@link ServiceLoader}. The choice is made once, on first use.
 */
public final class Backends {
    private Backends() {}

    private static final class Holder {
        static final Backend CURRENT = choose(System.getProperty("latte.backend"), discover());
    }

    /** The backend in use. */
    public static Backend current() {
        return Holder.CURRENT;
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
