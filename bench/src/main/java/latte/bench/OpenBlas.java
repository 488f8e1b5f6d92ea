package latte.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * OpenBLAS {@code cblas_sgemm} through {@code java.lang.foreign}: the native peer of the GEMM
 * benchmarks. The library is the Debian package {@code libopenblas0}; without it every use throws
 * an IllegalStateException with {@link #MISSING}.
 */
public final class OpenBlas {
    /** The message printed when the library cannot be loaded. */
    public static final String MISSING = "OpenBLAS not found: apt-get install libopenblas0";

    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final String[] CANDIDATES = {
            "libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/libopenblas.so.0", "libopenblas.so"};

    private static final MethodHandle SGEMM, SET_THREADS, CORE_NAME, CONFIG;
    private static final String ERROR;

    static {
        MethodHandle sgemm = null, setThreads = null, coreName = null, config = null;
        String error = null;
        try {
            SymbolLookup lib = load();
            Linker linker = Linker.nativeLinker();
            sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                    FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                            JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
            setThreads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                    FunctionDescriptor.ofVoid(JAVA_INT));
            coreName = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
            config = linker.downcallHandle(lib.find("openblas_get_config").orElseThrow(),
                    FunctionDescriptor.of(ADDRESS));
        } catch (RuntimeException | LinkageError e) {
            error = MISSING + " (" + e.getMessage() + ")";
        }
        SGEMM = sgemm;
        SET_THREADS = setThreads;
        CORE_NAME = coreName;
        CONFIG = config;
        ERROR = error;
    }

    private OpenBlas() {}

    private static SymbolLookup load() {
        IllegalArgumentException last = null;
        for (String name : CANDIDATES) {
            if (name.startsWith("/") && !Files.exists(Path.of(name))) continue;
            try {
                return SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw last != null ? last : new IllegalArgumentException("no libopenblas.so.0 on this machine");
    }

    /** Null when OpenBLAS can be called, else the message saying why not and how to install it. */
    public static String missing() {
        return ERROR;
    }

    /**
     * The kernel family OpenBLAS picked for this CPU and its build configuration, e.g.
     * {@code "Haswell (OpenBLAS 0.3.21 DYNAMIC_ARCH ...)"}; a library too old to know the CPU falls
     * back to an older family, which {@code OPENBLAS_CORETYPE} in the environment can override.
     */
    public static String describe() {
        if (ERROR != null) return ERROR;
        try {
            String core = ((MemorySegment) CORE_NAME.invokeExact()).reinterpret(256).getString(0);
            String config = ((MemorySegment) CONFIG.invokeExact()).reinterpret(1024).getString(0);
            return core + " kernels (" + config.trim() + ")";
        } catch (Throwable t) {
            return "OpenBLAS (core name unavailable: " + t + ")";
        }
    }

    /** Pins OpenBLAS's own thread pool (the environment variable cannot be set from a JMH fork). */
    public static void setThreads(int n) {
        check();
        try {
            SET_THREADS.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads(" + n + ") failed", t);
        }
    }

    /** Row-major {@code C = alpha op(A) op(B) + beta C} on off-heap arrays. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             MemorySegment a, int lda, MemorySegment b, int ldb,
                             float beta, MemorySegment c, int ldc) {
        check();
        try {
            SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS,
                    m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    private static void check() {
        if (ERROR != null) throw new IllegalStateException(ERROR);
    }
}
