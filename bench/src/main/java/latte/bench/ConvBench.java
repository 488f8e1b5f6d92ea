package latte.bench;

import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * PlaNet's convolutional encoder and transposed-convolutional decoder (Hafner et al. 2019, appendix) at batch 50,
 * on one and two threads: each layer alone and the whole stacks, forward ({@code pass=fwd}) and
 * forward + backward ({@code pass=fwdbwd}: forward, backward-input, backward-weight, backward-bias).
 *
 * <p>Layers {@code enc1..enc4}: conv k4 s2 valid, 64 -> 31 -> 14 -> 6 -> 2, channels 3, 32, 64,
 * 128, 256. Layers {@code dec1..dec4}: transposed conv s2, 1 -> 5 -> 13 -> 30 -> 64 with kernels
 * 5, 5, 6, 6, channels 1024, 128, 64, 32, 3. The stacks put ReLU between the layers (the encoder
 * after every layer, the decoder after all but the last); the encoder's backward skips the
 * image's gradient (nothing upstream needs it), the decoder's keeps its input's (the dense layer
 * before it does). The PyTorch peer ({@code bench/peers/torch_conv_gru.py}) times the same
 * workloads with the same FLOP counts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ConvBench {
    static final int BATCH = 50;

    @Param({"enc1", "enc2", "enc3", "enc4", "encoder", "dec1", "dec2", "dec3", "dec4", "decoder"})
    public String layer;

    @Param({"fwd", "fwdbwd"})
    public String pass;

    /** The workloads of {@code ./latte bench conv --quick}: the stacks only. */
    static final String[] QUICK_LAYERS = {"encoder", "decoder"};

    /** The encoder's four convolutions at batch {@code n}. */
    static List<ConvGeometry> encoder(int n) {
        int[] size = {64, 31, 14, 6}, ch = {3, 32, 64, 128, 256};
        return java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> ConvGeometry.convValid(n, size[i], size[i], ch[i], ch[i + 1], 4, 4, 2, 2)).toList();
    }

    /** The decoder's four transposed convolutions at batch {@code n}. */
    static List<ConvGeometry> decoder(int n) {
        int[] size = {1, 5, 13, 30}, k = {5, 5, 6, 6}, ch = {1024, 128, 64, 32, 3};
        return java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> ConvGeometry.convTransposeValid(n, size[i], size[i], ch[i], ch[i + 1], k[i], k[i], 2, 2))
                .toList();
    }

    /** FLOPs of one op of workload {@code (layer, pass)}: 2 per multiply-add, 3x for forward + backward. */
    static double flops(String layer, String pass) {
        boolean bwd = pass.equals("fwdbwd");
        return switch (layer) {
            case "encoder", "decoder" -> {
                List<ConvGeometry> gs = layer.equals("encoder") ? encoder(BATCH) : decoder(BATCH);
                double f = 0;
                for (ConvGeometry g : gs) f += layer.equals("encoder") ? g.flops() : g.transposeFlops();
                // forward + both backwards, less the image gradient the encoder skips
                yield bwd ? 3 * f - (layer.equals("encoder") ? gs.get(0).flops() : 0) : f;
            }
            default -> (bwd ? 3.0 : 1.0)
                    * (layer.startsWith("enc") ? geometry(layer).flops() : geometry(layer).transposeFlops());
        };
    }

    static ConvGeometry geometry(String layer) {
        int i = layer.charAt(3) - '1';
        return layer.startsWith("enc") ? encoder(BATCH).get(i) : decoder(BATCH).get(i);
    }

    private boolean transposed, stack, backward;
    private List<ConvGeometry> gs;
    /** Per layer: weights, biases, their gradients; per activation: values and gradients. */
    private float[][] w, b, dw, db, act, dact;

    @Setup(Level.Trial)
    public void setup() {
        stack = layer.equals("encoder") || layer.equals("decoder");
        transposed = layer.startsWith("dec");
        backward = pass.equals("fwdbwd");
        gs = stack ? (transposed ? decoder(BATCH) : encoder(BATCH)) : List.of(geometry(layer));
        int L = gs.size();
        SplittableRandom r = new SplittableRandom(42);
        w = new float[L][];
        b = new float[L][];
        dw = new float[L][];
        db = new float[L][];
        act = new float[L + 1][];
        dact = new float[L + 1][];
        for (int i = 0; i < L; i++) {
            ConvGeometry g = gs.get(i);
            int ws = transposed ? ConvTranspose2d.weightSize(g) : Conv2d.weightSize(g);
            w[i] = uniform(r, ws, 1 / Math.sqrt(ws / g.outC()));
            b[i] = uniform(r, g.outC(), 0.1);
            dw[i] = new float[ws];
            db[i] = new float[g.outC()];
            if (i == 0) {
                act[0] = uniform(r, g.inSize(), 1);
                dact[0] = new float[g.inSize()];
            }
            act[i + 1] = new float[g.outSize()];
            dact[i + 1] = new float[g.outSize()];
        }
        float[] seed = uniform(r, gs.get(L - 1).outSize(), 1);
        System.arraycopy(seed, 0, dact[L], 0, seed.length);
        this.seed = seed;
    }

    private float[] seed;

    @Benchmark
    public float[] latte() {
        return run(1);
    }

    @Benchmark
    public float[] latteX2() {
        return run(2);
    }

    private float[] run(int threads) {
        int L = gs.size();
        for (int i = 0; i < L; i++) {
            ConvGeometry g = gs.get(i);
            if (transposed) ConvTranspose2d.forward(g, act[i], 0, w[i], 0, b[i], 0, act[i + 1], 0, threads);
            else Conv2d.forward(g, act[i], 0, w[i], 0, b[i], 0, act[i + 1], 0, threads);
            if (stack && (!transposed || i < L - 1)) relu(act[i + 1]);
        }
        if (!backward) return act[L];
        System.arraycopy(seed, 0, dact[L], 0, seed.length);
        for (int i = L - 1; i >= 0; i--) {
            ConvGeometry g = gs.get(i);
            if (stack && (!transposed || i < L - 1)) reluBackward(act[i + 1], dact[i + 1]);
            if (transposed) {
                ConvTranspose2d.backwardWeight(g, act[i], 0, dact[i + 1], 0, dw[i], 0, false, threads);
                ConvTranspose2d.backwardBias(g, dact[i + 1], 0, db[i], 0, false);
                ConvTranspose2d.backwardInput(g, dact[i + 1], 0, w[i], 0, dact[i], 0, false, threads);
            } else {
                Conv2d.backwardWeight(g, act[i], 0, dact[i + 1], 0, dw[i], 0, false, threads);
                Conv2d.backwardBias(g, dact[i + 1], 0, db[i], 0, false);
                if (!(stack && i == 0)) Conv2d.backwardInput(g, dact[i + 1], 0, w[i], 0, dact[i], 0, false, threads);
            }
        }
        return dw[0];
    }

    /**
     * y = max(y, 0) in place, with the model's vectorised kernel ({@code Elementwise.relu}, what
     * {@code Ops.relu} runs). A branch per element here cost ~10 ms per encoder step: the signs of
     * the activations are random, so about half the branches mispredict.
     */
    static void relu(float[] y) {
        Elementwise.relu(y, 0, y, 0, y.length);
    }

    /** dy = dy where y > 0 else 0 (y is the ReLU's output), branch-free on vectors like {@code Elementwise.reluBackward}. */
    static void reluBackward(float[] y, float[] dy) {
        int i = 0, end = Simd.F.loopBound(y.length);
        FloatVector zero = FloatVector.zero(Simd.F);
        for (; i < end; i += Simd.LANES) {
            FloatVector d = FloatVector.fromArray(Simd.F, dy, i);
            zero.blend(d, FloatVector.fromArray(Simd.F, y, i).compare(VectorOperators.GT, 0f)).intoArray(dy, i);
        }
        for (; i < y.length; i++) if (!(y[i] > 0f)) dy[i] = 0f;
    }

    static float[] uniform(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return x;
    }
}
