package latte.autodiff;

import static latte.autodiff.LayerOps.conv2d;
import static latte.autodiff.LayerOps.convTranspose2d;
import static latte.autodiff.LayerOps.gruCell;
import static latte.autodiff.LayerOps.linear;
import static latte.autodiff.LayerOps.matmul;
import static latte.autodiff.Ops.relu;
import static latte.autodiff.ReduceOps.sumSquaredError;
import static latte.autodiff.ShapeOps.reshape;
import static latte.autodiff.RecordingBackend.gru;
import static latte.autodiff.RecordingBackend.sgemm;
import static latte.autodiff.RecordingBackend.sgemmBatched;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.Conv2d;
import latte.autodiff.nn.ConvTranspose2d;
import latte.autodiff.nn.GruCell;
import latte.autodiff.nn.Linear;
import latte.core.Backend;
import latte.core.Backends;
import latte.core.CpuBackend;
import latte.core.Parallel;
import latte.core.Rng;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.Elementwise;
import latte.core.kernels.Gemm;
import latte.core.kernels.Gru;
import latte.core.kernels.Reduce;
import org.junit.jupiter.api.Test;

/**
 * The heavy work of the ops goes through {@link Backends#current()}: a recording backend sees
 * every GEMM, convolution and GRU step of a training step (on shard threads too), and through the
 * CPU backend the ops give the same bits as the kernels called directly.
 */
class BackendRoutingTest {
    /** conv -> dense -> GRU -> batched matmul -> transposed conv, the kinds of layer the models use. */
    private record Net(ParamStore store, Conv2d conv, Linear dense, GruCell gru, Var mix, ConvTranspose2d deconv) {
        static Net create() {
            ParamStore s = new ParamStore();
            Rng rng = new Rng(11);
            return new Net(s, new Conv2d(s.scope("conv"), 3, 4, 3, 2, 1, rng), new Linear(s.scope("dense"), 64, 6, rng),
                    new GruCell(s.scope("gru"), 6, 5, rng), s.add("mix", random(2 * 5 * 8, 12), 2, 5, 8),
                    new ConvTranspose2d(s.scope("deconv"), 8, 3, 4, 2, rng));
        }

        /** Squared error of the reconstruction of rows [r0, r1) of the batch. */
        Var loss(int r0, int r1) {
            int n = r1 - r0;
            Var x = Var.of(slice(X, r0, r1, 8 * 8 * 3), n, 8, 8, 3), h0 = Var.of(slice(H0, r0, r1, 5), n, 5);
            Var f = relu(conv.apply(x));                                  // [n, 4, 4, 4]
            Var e = dense.apply(reshape(f, n, 64), Activation.TANH);     // [n, 6]
            Var h = gru.apply(e, h0);                                     // [n, 5]
            Var z = matmul(reshape(h, n, 1, 5), ShapeOps.slice(mix, 0, r0, r1)); // [n, 1, 8]
            Var o = deconv.apply(reshape(z, n, 1, 1, 8));                 // [n, 4, 4, 3]
            return sumSquaredError(o, Var.of(slice(TARGET, r0, r1, 4 * 4 * 3), n, 4, 4, 3));
        }

        float step() {
            try (Tape t = Tape.record()) {
                Var l = loss(0, 2);
                t.backward(l);
                return l.item();
            }
        }
    }

    private static final float[] X = random(2 * 8 * 8 * 3, 1), H0 = random(2 * 5, 2), TARGET = random(2 * 4 * 4 * 3, 3);

    private static float[] random(int n, long seed) {
        float[] a = new float[n];
        new Rng(seed).fillNormal(a, 0, n, 0f, 1f);
        return a;
    }

    private static float[] slice(float[] a, int r0, int r1, int row) {
        return java.util.Arrays.copyOfRange(a, r0 * row, r1 * row);
    }

    /** The backend calls of one step on a batch of n, forward then backward. */
    private static List<String> expectedCalls(int n) {
        ConvGeometry conv = ConvGeometry.conv(n, 8, 8, 3, 4, 3, 3, 2, 2, 1, 1);
        ConvGeometry deconv = ConvGeometry.convTranspose(n, 1, 1, 8, 3, 4, 4, 2, 2, 0, 0, 0, 0);
        return List.of(
                "conv2dForward " + conv,
                sgemm(false, false, n, 6, 64),                 // dense
                gru("gruForward", n, 6, 5),
                sgemmBatched(false, false, n, 1, 8, 5),        // [n, 1, 5] x [n, 5, 8]
                "convTranspose2dForward " + deconv,
                "convTranspose2dBackwardInput " + deconv,
                "convTranspose2dBackwardWeight " + deconv,
                sgemmBatched(false, true, n, 1, 5, 8),         // d h = dz mix^T
                sgemmBatched(true, false, n, 5, 8, 1),         // d mix = h^T dz
                gru("gruBackward", n, 6, 5),
                sgemm(false, true, n, 64, 6),                  // dense: dx
                sgemm(true, false, 64, 6, n),                  // dense: dW
                "conv2dBackwardWeight " + conv);               // x is data: no input gradient
    }

    @Test
    void aTrainingStepRunsEveryGemmConvolutionAndGruStepThroughTheBackend() {
        Net plain = Net.create(), recorded = Net.create();
        float lossPlain = plain.step(), lossRecorded;
        RecordingBackend rec = new RecordingBackend();
        try (Backends.Scope ignored = Backends.use(rec)) {
            assertThat(Backends.current()).isSameAs(rec);
            lossRecorded = recorded.step();
        }
        assertThat(Backends.current()).isSameAs(CpuBackend.INSTANCE); // the scope is gone
        assertThat(rec.calls()).containsExactlyElementsOf(expectedCalls(2));
        // the recording wrapper runs the CPU backend: the same loss and gradients, bit for bit
        assertThat(Float.floatToIntBits(lossRecorded)).isEqualTo(Float.floatToIntBits(lossPlain));
        assertThat(bits(recorded.store().grads())).containsExactly(bits(plain.store().grads()));
    }

    @Test
    void dataParallelShardsOnPoolWorkersUseTheInstalledBackend() {
        Net net = Net.create();
        RecordingBackend rec = new RecordingBackend();
        try (Backends.Scope ignored = Backends.use(rec)) {
            DataParallel.run(2, List.of(net.store()), k -> {
                try (Tape t = Tape.record()) {
                    t.backward(net.loss(k, k + 1));
                }
            });
        }
        List<String> perShard = expectedCalls(1), all = new ArrayList<>(perShard);
        all.addAll(perShard);
        assertThat(rec.calls()).containsExactlyInAnyOrderElementsOf(all);
        if (Parallel.threads() > 1) assertThat(rec.threads()).as("shard 1 runs on a pool worker").hasSize(2);
    }

    @Test
    void anOpsResultIsWhatTheBackendComputed() {
        // a backend that negates every product: the dense layer's output is negated with it
        Backend negating = new Backend() {
            @Override public String name() { return "negating"; }
            @Override public int priority() { return -1; }
            @Override public boolean available() { return true; }
            @Override
            public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                              int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
                CpuBackend.INSTANCE.sgemm(transA, transB, m, n, k, -alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        };
        Var x = Var.of(random(3 * 4, 5), 3, 4), w = Var.of(random(4 * 2, 6), 4, 2);
        float[] cpu = linear(x, w, null, FusedActivation.IDENTITY).toArray(), neg;
        try (Backends.Scope ignored = Backends.use(negating)) {
            neg = linear(x, w, null, FusedActivation.IDENTITY).toArray();
        }
        for (int i = 0; i < cpu.length; i++) assertThat(neg[i]).isEqualTo(-cpu[i]);
    }

    // ---------------------------------------------------------------- bit-identity with the kernels

    /** y = f(in) and the gradients of the inputs for the seed gradient dy (through the tape). */
    private static float[][] forwardBackward(Function<Var[], Var> f, float[] dy, Var... in) {
        try (Tape t = Tape.record()) {
            Var y = f.apply(in);
            t.backward(y, dy);
            float[][] out = new float[in.length + 1][];
            out[0] = y.toArray();
            for (int i = 0; i < in.length; i++) out[i + 1] = in[i].gradArray();
            return out;
        }
    }

    private static Var leaf(int seed, int... shape) {
        return Var.leaf(random(latte.autodiff.Shapes.size(shape), seed), shape);
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToIntBits(a[i]);
        return b;
    }

    private static void assertBits(float[][] got, float[]... want) {
        assertThat(got.length).isEqualTo(want.length);
        for (int i = 0; i < want.length; i++) assertThat(bits(got[i])).as("array %d", i).containsExactly(bits(want[i]));
    }

    @Test
    void linearThroughTheCpuBackendEqualsTheKernelsBitForBit() {
        int m = 7, k = 9, n = 5;
        Var x = leaf(1, m, k), w = leaf(2, k, n), b = leaf(3, n);
        float[] dy = random(m * n, 4);
        float[][] got = forwardBackward(v -> linear(v[0], v[1], v[2], FusedActivation.IDENTITY), dy, x, w, b);
        float[] y = new float[m * n], dx = new float[m * k], dw = new float[k * n], db = new float[n];
        Gemm.sgemm(false, false, m, n, k, 1f, x.data, 0, k, w.data, 0, n, 0f, y, 0, n);
        Elementwise.addRow(b.data, 0, y, 0, m, n);
        Reduce.sumRows(dy, 0, m, n, db, 0, true);
        Gemm.sgemm(false, true, m, k, n, 1f, dy, 0, n, w.data, 0, n, 1f, dx, 0, k);
        Gemm.sgemm(true, false, k, n, m, 1f, x.data, 0, k, dy, 0, n, 1f, dw, 0, n);
        assertBits(got, y, dx, dw, db);
    }

    @Test
    void matmulThroughTheCpuBackendEqualsTheKernelsBitForBit() {
        int B = 3, M = 2, K = 4, N = 5;
        // a plain batch, b broadcast over the batch (its gradient sums the batches), b of rank 2
        for (int[] bShape : new int[][] {{B, K, N}, {1, K, N}, {K, N}}) {
            boolean shared = bShape[0] != B;
            Var a = leaf(7, B, M, K), b = leaf(8, bShape);
            float[] dy = random(B * M * N, 9);
            float[][] got = forwardBackward(v -> matmul(v[0], v[1]), dy, a, b);
            float[] y = new float[B * M * N], da = new float[B * M * K], db = new float[b.size()];
            if (bShape.length == 2) { // folded into one [B*M, K] x [K, N] product
                Gemm.sgemm(false, false, B * M, N, K, 1f, a.data, 0, K, b.data, 0, N, 0f, y, 0, N);
                Gemm.sgemm(false, true, B * M, K, N, 1f, dy, 0, N, b.data, 0, N, 1f, da, 0, K);
                Gemm.sgemm(true, false, K, N, B * M, 1f, a.data, 0, K, dy, 0, N, 1f, db, 0, N);
            } else {
                for (int t = 0; t < B; t++) {
                    int bt = shared ? 0 : t * K * N;
                    Gemm.sgemm(false, false, M, N, K, 1f, a.data, t * M * K, K, b.data, bt, N, 0f, y, t * M * N, N);
                    Gemm.sgemm(false, true, M, K, N, 1f, dy, t * M * N, N, b.data, bt, N, 1f, da, t * M * K, K);
                    Gemm.sgemm(true, false, K, N, M, 1f, a.data, t * M * K, K, dy, t * M * N, N, 1f, db, bt, N);
                }
            }
            assertBits(got, y, da, db);
        }
    }

    @Test
    void convolutionsThroughTheCpuBackendEqualTheKernelsBitForBit() {
        // padded and strided: the im2col path, and unpadded with few channels: the direct kernels
        for (int[] c : new int[][] {{2, 9, 7, 3, 5, 3, 2, 1}, {2, 12, 12, 3, 8, 4, 2, 0}}) {
            ConvGeometry g = ConvGeometry.conv(c[0], c[1], c[2], c[3], c[4], c[5], c[5], c[6], c[6], c[7], c[7]);
            Var x = leaf(10, c[0], c[1], c[2], c[3]), w = leaf(11, c[5], c[5], c[3], c[4]), b = leaf(12, c[4]);
            float[] dy = random(g.outSize(), 13);
            float[][] got = forwardBackward(v -> conv2d(v[0], v[1], v[2], c[6], c[7]), dy, x, w, b);
            float[] y = new float[g.outSize()], dx = new float[g.inSize()], dw = new float[w.size()], db = new float[c[4]];
            latte.core.kernels.Conv2d.forward(g, x.data, 0, w.data, 0, b.data, 0, y, 0);
            latte.core.kernels.Conv2d.backwardInput(g, dy, 0, w.data, 0, dx, 0, true);
            latte.core.kernels.Conv2d.backwardWeight(g, x.data, 0, dy, 0, dw, 0, true);
            latte.core.kernels.Conv2d.backwardBias(g, dy, 0, db, 0, true);
            assertBits(got, y, dx, dw, db);

            ConvGeometry t = ConvGeometry.convTranspose(c[0], c[1], c[2], c[3], c[4], c[5], c[5], c[6], c[6], c[7], c[7], 0, 0);
            Var xt = leaf(10, c[0], c[1], c[2], c[3]), wt = leaf(14, c[5], c[5], c[4], c[3]), bt = leaf(12, c[4]); // fresh gradients
            float[] dyt = random(t.outSize(), 15);
            float[][] gotT = forwardBackward(v -> convTranspose2d(v[0], v[1], v[2], c[6], c[6], c[7], c[7], 0, 0), dyt, xt, wt, bt);
            float[] yt = new float[t.outSize()], dxt = new float[t.inSize()], dwt = new float[wt.size()], dbt = new float[c[4]];
            latte.core.kernels.ConvTranspose2d.forward(t, x.data, 0, wt.data, 0, b.data, 0, yt, 0);
            latte.core.kernels.ConvTranspose2d.backwardInput(t, dyt, 0, wt.data, 0, dxt, 0, true);
            latte.core.kernels.ConvTranspose2d.backwardWeight(t, x.data, 0, dyt, 0, dwt, 0, true);
            latte.core.kernels.ConvTranspose2d.backwardBias(t, dyt, 0, dbt, 0, true);
            assertBits(gotT, yt, dxt, dwt, dbt);
        }
    }

    @Test
    void gruCellThroughTheCpuBackendEqualsTheKernelBitForBit() {
        int bsz = 3, in = 4, hid = 5;
        Var x = leaf(20, bsz, in), h = leaf(21, bsz, hid), wi = leaf(22, 3 * hid, in), wh = leaf(23, 3 * hid, hid);
        Var bi = leaf(24, 3 * hid), bh = leaf(25, 3 * hid);
        float[] dy = random(bsz * hid, 26);
        float[][] got = forwardBackward(v -> gruCell(v[0], v[1], v[2], v[3], v[4], v[5]), dy, x, h, wi, wh, bi, bh);
        float[] y = new float[bsz * hid], saved = new float[Gru.savedSize(bsz, hid)];
        float[] dx = new float[x.size()], dh = new float[h.size()], dwi = new float[wi.size()], dwh = new float[wh.size()];
        float[] dbi = new float[bi.size()], dbh = new float[bh.size()];
        Gru.forward(bsz, in, hid, x.data, 0, h.data, 0, wi.data, 0, wh.data, 0, bi.data, 0, bh.data, 0, y, 0, saved, 0);
        Gru.backward(bsz, in, hid, x.data, 0, h.data, 0, wi.data, 0, wh.data, 0, saved, 0, dy, 0, dx, 0, dh, 0,
                dwi, 0, dwh, 0, dbi, 0, dbh, 0, true);
        assertBits(got, y, dx, dh, dwi, dwh, dbi, dbh);
    }
}
