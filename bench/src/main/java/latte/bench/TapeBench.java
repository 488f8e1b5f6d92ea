package latte.bench;

import java.util.concurrent.TimeUnit;
import latte.autodiff.Ops;
import latte.autodiff.LayerOps;
import latte.autodiff.ReduceOps;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Gemm;
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

/**
 * What the tape costs: one small graph, {@code loss = sum(tanh(x W + b)^2)} with
 * x [B, D], W [D, D], b [D], computed
 * <ul>
 *   <li>{@code direct}: by calling the kernels (sgemm, bias loop, SIMD tanh, hand-written
 *       backward) on preallocated arrays: no graph, no allocation;</li>
 *   <li>{@code tape}: through {@link Ops} on a fresh {@link Tape} each op (recording closures,
 *       allocating every intermediate and gradient), then {@code tape.backward(loss)}.</li>
 * </ul>
 * {@code pass=fwd} runs the forward only ({@code tape} under {@link Tape#noGrad()}, as when
 * acting); {@code pass=fwdbwd} adds the backward (dx, dW, db). The shapes: B1xD32 (overhead
 * dominates) and B50xD200 (a PlaNet-sized dense layer at training batch). Single thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-Dlatte.threads=1"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class TapeBench {
    @Param({"b1xd32", "b50xd200"})
    public String shape;

    @Param({"fwd", "fwdbwd"})
    public String pass;

    private int bsz, d;
    private boolean backward;
    // direct
    private float[] x, w, b, h, y, dh, dx, dw, db;
    // tape
    private Var xv, wv, bv;
    private ParamStore store;

    static int[] parse(String shape) {
        String[] p = shape.substring(1).split("xd");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    /** FLOPs of the graph: the product 2BD^2 (x3 with the backward's two products). */
    static double flops(String shape, String pass) {
        int[] s = parse(shape);
        double f = 2.0 * s[0] * s[1] * s[1];
        return pass.equals("fwdbwd") ? 3 * f : f;
    }

    @Setup(Level.Trial)
    public void setup() {
        int[] s = parse(shape);
        bsz = s[0];
        d = s[1];
        backward = pass.equals("fwdbwd");
        Rng r = new Rng(42);
        x = new float[bsz * d];
        w = new float[d * d];
        b = new float[d];
        r.fillNormal(x, 0, x.length, 0f, 1f);
        r.fillUniform(w, 0, w.length, (float) -Math.sqrt(1.0 / d), (float) Math.sqrt(1.0 / d));
        r.fillUniform(b, 0, b.length, -0.1f, 0.1f);
        h = new float[bsz * d];
        y = new float[bsz * d];
        dh = new float[bsz * d];
        dx = new float[bsz * d];
        dw = new float[d * d];
        db = new float[d];
        store = new ParamStore();
        wv = store.root().param("w", w, d, d);
        bv = store.root().param("b", b, d);
        xv = Var.leaf(x.clone(), bsz, d);
    }

    @Benchmark
    public float direct() {
        Gemm.sgemm(false, false, bsz, d, d, 1f, x, 0, d, w, 0, d, 0f, h, 0, d, 1);      // h = x W   [B, D]
        for (int i = 0; i < bsz; i++) Elementwise.add(h, i * d, b, 0, h, i * d, d);    // h += b
        Elementwise.tanh(h, 0, y, 0, h.length);                                         // y = tanh h
        float loss = 0;
        for (float v : y) loss += v * v;
        if (!backward) return loss;
        for (int i = 0; i < y.length; i++) dh[i] = 2 * y[i] * (1 - y[i] * y[i]);       // dh = 2y (1 - y^2)
        Gemm.sgemm(true, false, d, d, bsz, 1f, x, 0, d, dh, 0, d, 0f, dw, 0, d, 1);     // dW = x^T dh
        Gemm.sgemm(false, true, bsz, d, d, 1f, dh, 0, d, w, 0, d, 0f, dx, 0, d, 1);     // dx = dh W^T
        java.util.Arrays.fill(db, 0f);
        for (int i = 0; i < bsz; i++) Elementwise.add(db, 0, dh, i * d, db, 0, d);     // db = sum_rows dh
        return loss + dw[0] + dx[0] + db[0];
    }

    @Benchmark
    public float tape() {
        if (!backward) {
            try (Tape.Scope _ = Tape.noGrad()) {
                return ReduceOps.sum(Ops.square(Ops.tanh(Ops.add(LayerOps.matmul(xv, wv), bv)))).item();
            }
        }
        store.zeroGrad();
        try (Tape t = Tape.record()) {
            Var loss = ReduceOps.sum(Ops.square(Ops.tanh(Ops.add(LayerOps.matmul(xv, wv), bv))));
            t.backward(loss);
            return loss.item() + store.grads()[0];
        }
    }
}
