package latte.bench;

import latte.core.kernels.Gru;
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
 * One PlaNet GRU cell step, input 230 (the dense layer before the GRU sees concat(s, h) = 230
 * features in the planner's batch) to hidden 200, at batch 1000 (CEM's candidates) and batch 50
 * (training), on one and two threads: forward ({@code pass=fwd}) and forward + backward
 * ({@code pass=fwdbwd}: gradients to x, h, both weights and both biases). The PyTorch peer times
 * {@code torch.nn.GRUCell(230, 200)} on the same workloads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class GruBench {
    static final int IN = 230, HIDDEN = 200;

    @Param({"1000", "50"})
    public int batch;

    @Param({"fwd", "fwdbwd"})
    public String pass;

    /** FLOPs: the two products {@code 2 B 3H (I + H)}; the backward's four products double that. */
    static double flops(int batch, String pass) {
        double f = 2.0 * batch * 3 * HIDDEN * (IN + HIDDEN);
        return pass.equals("fwdbwd") ? 3 * f : f;
    }

    private float[] x, h, wi, wh, bi, bh, hOut, saved, dhOut, dx, dh, dwi, dwh, dbi, dbh;
    private boolean backward;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(42);
        double k = 1 / Math.sqrt(HIDDEN); // PyTorch's GRUCell init: U(-k, k)
        x = ConvBench.uniform(r, batch * IN, 1);
        h = ConvBench.uniform(r, batch * HIDDEN, 1);
        wi = ConvBench.uniform(r, 3 * HIDDEN * IN, k);
        wh = ConvBench.uniform(r, 3 * HIDDEN * HIDDEN, k);
        bi = ConvBench.uniform(r, 3 * HIDDEN, k);
        bh = ConvBench.uniform(r, 3 * HIDDEN, k);
        hOut = new float[batch * HIDDEN];
        saved = new float[Gru.savedSize(batch, HIDDEN)];
        dhOut = ConvBench.uniform(r, batch * HIDDEN, 1);
        dx = new float[batch * IN];
        dh = new float[batch * HIDDEN];
        dwi = new float[wi.length];
        dwh = new float[wh.length];
        dbi = new float[3 * HIDDEN];
        dbh = new float[3 * HIDDEN];
        backward = pass.equals("fwdbwd");
    }

    @Benchmark
    public float[] latte() {
        return run(1);
    }

    @Benchmark
    public float[] latteX2() {
        return run(2);
    }

    private float[] run(int threads) {
        Gru.forward(batch, IN, HIDDEN, x, 0, h, 0, wi, 0, wh, 0, bi, 0, bh, 0, hOut, 0,
                backward ? saved : null, 0, threads);
        if (!backward) return hOut;
        Gru.backward(batch, IN, HIDDEN, x, 0, h, 0, wi, 0, wh, 0, saved, 0, dhOut, 0, dx, 0, dh, 0,
                dwi, 0, dwh, 0, dbi, 0, dbh, 0, false, threads);
        return dwi;
    }
}
