package latte.bench;

import latte.core.kernels.Elementwise;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Elementwise} kernels on 4M floats (16 MB per array, three arrays: well past the 32 MB
 * L3, so {@code add} is memory-bound), one thread, each beside its baseline:
 * <ul>
 *   <li>{@code add}: {@code c = a + b} (12 bytes per element: two reads, one write) vs the STREAM
 *       triad {@code c = a + s * b}, a plain loop C2 auto-vectorises, with the same three streams:
 *       the memory bandwidth this machine gives a single thread.</li>
 *   <li>{@code copy}: {@code System.arraycopy} (8 bytes per element), the other bandwidth
 *       baseline, against itself as a sanity row.</li>
 *   <li>{@code exp}, {@code tanh}: {@code lanewise(EXP / TANH)} vs a {@code Math.exp / Math.tanh}
 *       loop.</li>
 * </ul>
 * Rates are in G elements/s; for {@code add} multiply by 12 (by 8 for {@code copy}) for GB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ElementwiseBench {
    /** The operation of the row. */
    @Param({"add", "copy", "exp", "tanh"})
    public String op;

    /** Elements per array. */
    @Param({"4194304"})
    public int n;

    /** Bytes one element of {@code op} moves to or from memory (0: compute-bound rows). */
    static double bytesPerElement(String op) {
        return switch (op) {
            case "add" -> 12;
            case "copy" -> 8;
            default -> 0;
        };
    }

    private float[] a, b, c;
    private int kind;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(7);
        a = new float[n];
        b = new float[n];
        c = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 8 - 4);
            b[i] = (float) (rnd.nextDouble() * 8 - 4);
        }
        kind = switch (op) {
            case "add" -> 0;
            case "copy" -> 1;
            case "exp" -> 2;
            case "tanh" -> 3;
            default -> throw new IllegalArgumentException("ElementwiseBench: unknown op '" + op + "'");
        };
        // Check the measured kernel against the baseline before timing anything.
        latte();
        float[] got = c.clone();
        baseline();
        for (int i = 0; i < n; i++) {
            float want = kind == 0 ? a[i] + b[i] : c[i];
            if (Math.abs(got[i] - want) > 2 * Math.ulp(want))
                throw new IllegalStateException("ElementwiseBench." + op + ": element " + i + " = " + got[i] + ", expected " + want);
        }
    }

    @Benchmark
    public float[] latte() {
        switch (kind) {
            case 0 -> Elementwise.add(a, 0, b, 0, c, 0, n);
            case 1 -> Elementwise.copy(a, 0, c, 0, n);
            case 2 -> Elementwise.exp(a, 0, c, 0, n);
            default -> Elementwise.tanh(a, 0, c, 0, n);
        }
        return c;
    }

    @Benchmark
    public float[] baseline() {
        float[] x = a, y = b, z = c;
        int len = n;
        switch (kind) {
            case 0 -> {
                float s = 1f;
                for (int i = 0; i < len; i++) z[i] = x[i] + s * y[i];
            }
            case 1 -> System.arraycopy(x, 0, z, 0, len);
            case 2 -> { for (int i = 0; i < len; i++) z[i] = (float) Math.exp(x[i]); }
            default -> { for (int i = 0; i < len; i++) z[i] = (float) Math.tanh(x[i]); }
        }
        return z;
    }
}
