package latte.bench;

import latte.core.kernels.Gemm;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code C = A B} (alpha 1, beta 0) in single precision, row-major, for the shapes the models run
 * plus the square classics: Latte on one and two threads, OpenBLAS on one thread through
 * {@code java.lang.foreign}, and EJML as the typical pure-Java library. Every method's result is
 * checked against {@link Gemm#scalar} in {@code @Setup} before anything is timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class GemmBench {
    /** {@code MxNxK}, optionally {@code :XY} with X, Y in {N, T}: the storage of A and B. */
    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "50x600x200", "50x200x600",
            "1000x600x230", "2500x256x1024",
            "256x256x256:NT", "256x256x256:TN", "256x256x256:TT",
            "1024x1024x1024:NT", "1024x1024x1024:TN",
            "50x600x200:NT", "50x600x200:TN", "1000x600x230:NT", "1000x600x230:TN"})
    public String shape;

    /** The workloads of {@code ./latte bench gemm --quick}. */
    static final String[] QUICK_SHAPES = {"256x256x256", "512x512x512", "1024x1024x1024", "50x600x200",
            "50x200x600", "1000x600x230", "2500x256x1024", "1024x1024x1024:NT", "1024x1024x1024:TN",
            "50x600x200:NT"};

    /** One GEMM problem: sizes and whether A / B are stored transposed. */
    public record Shape(int m, int n, int k, boolean transA, boolean transB) {
        static Shape parse(String s) {
            String[] parts = s.split(":");
            String[] d = parts[0].split("x");
            if (d.length != 3 || (parts.length == 2 && !parts[1].matches("[NT][NT]")) || parts.length > 2)
                throw new IllegalArgumentException("GemmBench: shape '" + s + "' is not MxNxK or MxNxK:XY (X,Y in N,T)");
            boolean ta = parts.length == 2 && parts[1].charAt(0) == 'T';
            boolean tb = parts.length == 2 && parts[1].charAt(1) == 'T';
            return new Shape(Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]), ta, tb);
        }

        /** Multiply-adds count twice. */
        double flops() {
            return 2.0 * m * n * k;
        }

        int lda() { return transA ? m : k; }
        int ldb() { return transB ? k : n; }
        int aRows() { return transA ? k : m; }
        int bRows() { return transB ? n : k; }
    }

    private Shape s;
    private float[] a, b, c;
    private Arena arena;
    private MemorySegment am, bm, cm;
    private FMatrixRMaj ea, eb, ec;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        s = Shape.parse(shape);
        SplittableRandom rnd = new SplittableRandom(42);
        a = uniform(rnd, s.m * s.k);
        b = uniform(rnd, s.k * s.n);
        c = new float[s.m * s.n];
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        switch (method) {
            case "openblas" -> {
                OpenBlas.setThreads(1);
                arena = Arena.ofShared();
                am = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a);
                bm = arena.allocateFrom(ValueLayout.JAVA_FLOAT, b);
                cm = arena.allocate(ValueLayout.JAVA_FLOAT, c.length);
            }
            case "ejml" -> {
                ea = new FMatrixRMaj(s.aRows(), s.lda(), true, a);
                eb = new FMatrixRMaj(s.bRows(), s.ldb(), true, b);
                ec = new FMatrixRMaj(s.m, s.n);
            }
            default -> { }
        }
        float[] got = switch (method) {
            case "latte" -> latte().clone();
            case "latteParallel" -> latteParallel().clone();
            case "openblas" -> openblas().toArray(ValueLayout.JAVA_FLOAT);
            case "ejml" -> ejml().data.clone();
            default -> throw new IllegalStateException("GemmBench: no check for benchmark " + method);
        };
        verify(method, got);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (arena != null) arena.close();
    }

    @Benchmark
    public float[] latte() {
        Gemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n, 1);
        return c;
    }

    @Benchmark
    public float[] latteParallel() {
        Gemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n, 2);
        return c;
    }

    @Benchmark
    public MemorySegment openblas() {
        OpenBlas.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, am, s.lda(), bm, s.ldb(), 0f, cm, s.n);
        return cm;
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        if (s.transA && s.transB) CommonOps_FDRM.multTransAB(ea, eb, ec);
        else if (s.transA) CommonOps_FDRM.multTransA(ea, eb, ec);
        else if (s.transB) CommonOps_FDRM.multTransB(ea, eb, ec);
        else CommonOps_FDRM.mult(ea, eb, ec);
        return ec;
    }

    /** Compares with the scalar reference; tolerance relative to sum |a||b| (<= k for data in [-1, 1)). */
    private void verify(String method, float[] got) {
        float[] want = new float[s.m * s.n];
        Gemm.scalar(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, want, 0, s.n);
        double tol = 1e-5 * s.k;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol))
                throw new IllegalStateException("GemmBench." + method + " " + shape + ": C[" + i / s.n + ","
                        + i % s.n + "] = " + got[i] + ", scalar reference " + want[i] + " (tolerance " + tol + ")");
        }
    }

    private static float[] uniform(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }
}
