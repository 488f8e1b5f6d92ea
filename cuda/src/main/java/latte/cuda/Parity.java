package latte.cuda;

import latte.core.Rng;
import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;
import latte.core.kernels.ElementwiseScalar;
import latte.core.kernels.Gemm;

import java.util.ArrayList;
import java.util.List;

/**
 * Every GPU kernel against its CPU reference on random data: the scalar GEMM
 * ({@link Gemm#scalar}), the direct-loop convolutions ({@code Conv2d.*Scalar},
 * {@code ConvTranspose2d.*Scalar}), {@link ElementwiseScalar} and a double-precision sum. Shared
 * by the unit tests (which assert each error is below {@link #TOLERANCE}) and {@link GpuCheck}
 * (which prints them). Needs a usable GPU.
 *
 * <p>The error of a result is normwise: {@code max|gpu - ref| / max|ref|}, so an output that
 * happens to be near zero does not inflate it; every operand sits at a nonzero offset of its
 * device buffer, and GEMM leading dimensions exceed the row length, to exercise the addressing.
 */
public final class Parity {
    private Parity() {}

    /** The bound on {@link Result#error()} for fp32 kernels. */
    public static final double TOLERANCE = 1e-4;

    /** One comparison: which op on which shape, and its normwise relative error. */
    public record Result(String name, double error) {
        /** Whether the error is within {@link #TOLERANCE}. */
        public boolean ok() {
            return error < TOLERANCE; // NaN fails
        }
    }

    /** GEMM shapes {@code {m, n, k}}: single elements, one-off tile edges (128 +- 1), k not a multiple of 8, k = 0. */
    public static final int[][] GEMM_SHAPES = {
            {1, 1, 1}, {5, 7, 0}, {3, 300, 1}, {127, 129, 8}, {129, 127, 9}, {128, 128, 16},
            {257, 1, 513}, {1, 257, 100}, {200, 131, 300}, {384, 256, 640}};

    /** Convolution geometries: padded and strided, TensorFlow SAME, 1x1, odd sizes, PlaNet's first encoder layer. */
    public static List<ConvGeometry> convGeometries() {
        return List.of(
                ConvGeometry.conv(2, 9, 11, 3, 5, 3, 3, 2, 2, 1, 1),
                ConvGeometry.convSame(2, 8, 7, 4, 6, 4, 4, 2, 2),
                ConvGeometry.convValid(3, 7, 7, 2, 3, 3, 3, 1, 1),
                ConvGeometry.convValid(2, 5, 6, 7, 9, 1, 1, 1, 1),
                ConvGeometry.convValid(2, 64, 64, 3, 32, 4, 4, 2, 2));
    }

    /** Transposed-convolution geometries: PlaNet's decoder shape, output padding, SAME. */
    public static List<ConvGeometry> convTransposeGeometries() {
        return List.of(
                ConvGeometry.convTransposeValid(2, 5, 5, 8, 4, 5, 5, 2, 2),
                ConvGeometry.convTranspose(2, 4, 6, 3, 5, 3, 3, 2, 2, 1, 1, 1, 0),
                ConvGeometry.convTransposeSame(2, 4, 4, 3, 2, 4, 4, 2, 2),
                ConvGeometry.convTransposeValid(3, 13, 13, 6, 3, 6, 6, 2, 2));
    }

    /** All checks: every GEMM shape in all four transposes, batched GEMM, the host paths, convolutions, elementwise, sum. */
    public static List<Result> all(Rng rng) {
        List<Result> out = new ArrayList<>();
        for (int[] s : GEMM_SHAPES)
            for (int t = 0; t < 4; t++) out.add(gemm(rng, (t & 2) != 0, (t & 1) != 0, s[0], s[1], s[2], t % 2 == 0 ? 0f : 0.5f));
        out.add(gemmBatched(rng, false, true, 37, 45, 29, 4));
        out.add(gemmBatched(rng, true, false, 130, 3, 17, 3));
        out.add(backendSgemm(rng, 300, 200, 100));
        for (ConvGeometry g : convGeometries()) out.addAll(conv2d(rng, g));
        for (ConvGeometry g : convTransposeGeometries()) out.addAll(convTranspose2d(rng, g));
        out.addAll(backendConv(rng, convGeometries().get(0), false));
        out.addAll(backendConv(rng, convTransposeGeometries().get(0), true));
        out.addAll(elementwise(rng, 100_003));
        out.add(sum(rng, 1));
        out.add(sum(rng, 1_000_003));
        return out;
    }

    /** Device offsets: every operand starts this many floats into its buffer. */
    static final int OFF = 3;

    /** {@code C = 1.5 op(A) op(B) + beta C} on the GPU vs {@link Gemm#scalar}, leading dimensions padded by 5. */
    public static Result gemm(Rng rng, boolean ta, boolean tb, int m, int n, int k, float beta) {
        int lda = (ta ? m : k) + 5, ldb = (tb ? k : n) + 5, ldc = n + 5;
        float[] a = random(rng, (ta ? k : m) * lda), b = random(rng, (tb ? n : k) * ldb), c = random(rng, m * ldc);
        float[] ref = c.clone();
        Gemm.scalar(ta, tb, m, n, k, 1.5f, a, 0, lda, b, 0, ldb, beta, ref, 0, ldc);
        float[] got;
        try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dc = upload(c)) {
            CudaOps.sgemm(ta, tb, m, n, k, 1.5f, da, OFF, lda, db, OFF, ldb, beta, dc, OFF, ldc);
            got = download(dc, c.length);
        }
        return new Result("sgemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k + " beta=" + beta,
                error(got, ref));
    }

    /** A batch of GEMMs in one launch vs one {@link Gemm#scalar} per entry; A's stride 0 reuses one matrix. */
    public static Result gemmBatched(Rng rng, boolean ta, boolean tb, int m, int n, int k, int batch) {
        int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
        int sB = k * n + 2, sC = m * n + 1;
        float[] a = random(rng, m * k), b = random(rng, batch * sB), c = random(rng, batch * sC);
        float[] ref = c.clone();
        for (int i = 0; i < batch; i++)
            Gemm.scalar(ta, tb, m, n, k, 1f, a, 0, lda, b, i * sB, ldb, 0.25f, ref, i * sC, ldc);
        float[] got;
        try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dc = upload(c)) {
            CudaOps.sgemmBatched(ta, tb, m, n, k, 1f, da, OFF, lda, 0, db, OFF, ldb, sB, 0.25f, dc, OFF, ldc, sC, batch);
            got = download(dc, c.length);
        }
        return new Result("sgemmBatched " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + batch + "x" + m + "x" + n + "x" + k,
                error(got, ref));
    }

    /** {@link CudaBackend#sgemm} on host arrays (copy in, run, copy out) with offsets and ldc gaps, beta = 0. */
    public static Result backendSgemm(Rng rng, int m, int n, int k) {
        int ldc = n + 3;
        float[] a = random(rng, 7 + m * k), b = random(rng, 2 + k * n), c = random(rng, 1 + m * ldc);
        float[] ref = c.clone(), got = c.clone();
        Gemm.scalar(false, false, m, n, k, 1f, a, 7, k, b, 2, n, 0f, ref, 1, ldc);
        new CudaBackend(0).sgemm(false, false, m, n, k, 1f, a, 7, k, b, 2, n, 0f, got, 1, ldc);
        return new Result("CudaBackend.sgemm host " + m + "x" + n + "x" + k, error(got, ref));
    }

    /** Forward, both backward passes (accumulating into nonzero gradients) and the bias gradient of a convolution. */
    public static List<Result> conv2d(Rng rng, ConvGeometry g) {
        int ws = Conv2d.weightSize(g);
        float[] x = random(rng, g.inSize()), w = random(rng, ws), b = random(rng, g.outC()), dy = random(rng, g.outSize());
        float[] dx0 = random(rng, g.inSize()), dw0 = random(rng, ws), db0 = random(rng, g.outC());
        float[] y = new float[g.outSize()], dx = dx0.clone(), dw = dw0.clone(), db = db0.clone();
        Conv2d.forwardScalar(g, x, 0, w, 0, b, 0, y, 0);
        Conv2d.backwardInputScalar(g, dy, 0, w, 0, dx, 0, true);
        Conv2d.backwardWeightScalar(g, x, 0, dy, 0, dw, 0, true);
        Conv2d.backwardBiasScalar(g, dy, 0, db, 0, true);
        List<Result> out = new ArrayList<>();
        try (DeviceBuffer dX = upload(x); DeviceBuffer dW = upload(w); DeviceBuffer dB = upload(b); DeviceBuffer dDy = upload(dy);
             DeviceBuffer dY = upload(new float[g.outSize()]); DeviceBuffer dDx = upload(dx0);
             DeviceBuffer dDw = upload(dw0); DeviceBuffer dDb = upload(db0)) {
            CudaOps.conv2dForward(g, dX, OFF, dW, OFF, dB, OFF, dY, OFF);
            CudaOps.conv2dBackwardInput(g, dDy, OFF, dW, OFF, dDx, OFF, true);
            CudaOps.conv2dBackwardWeight(g, dX, OFF, dDy, OFF, dDw, OFF, true);
            CudaOps.conv2dBackwardBias(g, dDy, OFF, dDb, OFF, true);
            out.add(new Result("conv2d forward " + g, error(download(dY, y.length), y)));
            out.add(new Result("conv2d backwardInput " + g, error(download(dDx, dx.length), dx)));
            out.add(new Result("conv2d backwardWeight " + g, error(download(dDw, dw.length), dw)));
            out.add(new Result("conv2d backwardBias " + g, error(download(dDb, db.length), db)));
        }
        return out;
    }

    /** The same four for a transposed convolution, against the independent direct loops of {@link ConvTranspose2d}. */
    public static List<Result> convTranspose2d(Rng rng, ConvGeometry g) {
        int ws = ConvTranspose2d.weightSize(g);
        float[] x = random(rng, g.inSize()), w = random(rng, ws), b = random(rng, g.outC()), dy = random(rng, g.outSize());
        float[] dx0 = random(rng, g.inSize()), dw0 = random(rng, ws), db0 = random(rng, g.outC());
        float[] y = new float[g.outSize()], dx = dx0.clone(), dw = dw0.clone(), db = db0.clone();
        ConvTranspose2d.forwardScalar(g, x, 0, w, 0, b, 0, y, 0);
        ConvTranspose2d.backwardInputScalar(g, dy, 0, w, 0, dx, 0, true);
        ConvTranspose2d.backwardWeightScalar(g, x, 0, dy, 0, dw, 0, true);
        ConvTranspose2d.backwardBiasScalar(g, dy, 0, db, 0, true);
        List<Result> out = new ArrayList<>();
        try (DeviceBuffer dX = upload(x); DeviceBuffer dW = upload(w); DeviceBuffer dB = upload(b); DeviceBuffer dDy = upload(dy);
             DeviceBuffer dY = upload(new float[g.outSize()]); DeviceBuffer dDx = upload(dx0);
             DeviceBuffer dDw = upload(dw0); DeviceBuffer dDb = upload(db0)) {
            CudaOps.convTranspose2dForward(g, dX, OFF, dW, OFF, dB, OFF, dY, OFF);
            CudaOps.convTranspose2dBackwardInput(g, dDy, OFF, dW, OFF, dDx, OFF, true);
            CudaOps.convTranspose2dBackwardWeight(g, dX, OFF, dDy, OFF, dDw, OFF, true);
            CudaOps.convTranspose2dBackwardBias(g, dDy, OFF, dDb, OFF, true);
            out.add(new Result("convTranspose2d forward " + g, error(download(dY, y.length), y)));
            out.add(new Result("convTranspose2d backwardInput " + g, error(download(dDx, dx.length), dx)));
            out.add(new Result("convTranspose2d backwardWeight " + g, error(download(dDw, dw.length), dw)));
            out.add(new Result("convTranspose2d backwardBias " + g, error(download(dDb, db.length), db)));
        }
        return out;
    }

    /**
     * {@link CudaBackend}'s host-array convolution (plain or transposed: forward, and both
     * gradients accumulating into nonzero arrays), sent to the GPU whatever its size, against the
     * direct loops. Operands sit at an offset in larger arrays, whose heads must come back untouched.
     */
    public static List<Result> backendConv(Rng rng, ConvGeometry g, boolean transposed) {
        int o = 3, ws = transposed ? ConvTranspose2d.weightSize(g) : Conv2d.weightSize(g);
        float[] x = random(rng, o + g.inSize()), w = random(rng, o + ws), b = random(rng, o + g.outC());
        float[] dy = random(rng, o + g.outSize()), dx = random(rng, o + g.inSize()), dw = random(rng, o + ws);
        float[] y = new float[o + g.outSize()], gy = y.clone(), gdx = dx.clone(), gdw = dw.clone();
        CudaBackend gpu = new CudaBackend(0);
        if (transposed) {
            ConvTranspose2d.forwardScalar(g, x, o, w, o, b, o, y, o);
            ConvTranspose2d.backwardInputScalar(g, dy, o, w, o, dx, o, true);
            ConvTranspose2d.backwardWeightScalar(g, x, o, dy, o, dw, o, true);
            gpu.convTranspose2dForward(g, x, o, w, o, b, o, gy, o);
            gpu.convTranspose2dBackwardInput(g, dy, o, w, o, gdx, o, true);
            gpu.convTranspose2dBackwardWeight(g, x, o, dy, o, gdw, o, true);
        } else {
            Conv2d.forwardScalar(g, x, o, w, o, b, o, y, o);
            Conv2d.backwardInputScalar(g, dy, o, w, o, dx, o, true);
            Conv2d.backwardWeightScalar(g, x, o, dy, o, dw, o, true);
            gpu.conv2dForward(g, x, o, w, o, b, o, gy, o);
            gpu.conv2dBackwardInput(g, dy, o, w, o, gdx, o, true);
            gpu.conv2dBackwardWeight(g, x, o, dy, o, gdw, o, true);
        }
        String name = (transposed ? "CudaBackend.convTranspose2d " : "CudaBackend.conv2d ") + g;
        return List.of(new Result(name + " forward", error(gy, y)), new Result(name + " backwardInput", error(gdx, dx)),
                new Result(name + " backwardWeight", error(gdw, dw)));
    }

    /** add, mul, axpy, relu, tanh, sigmoid, exp on {@code n} floats in [-4, 4) vs {@link ElementwiseScalar}. */
    public static List<Result> elementwise(Rng rng, int n) {
        float[] a = new float[n], b = new float[n];
        rng.fillUniform(a, 0, n, -4f, 4f);
        rng.fillUniform(b, 0, n, -4f, 4f);
        List<Result> out = new ArrayList<>();
        try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dOut = upload(new float[n])) {
            float[] ref = new float[n];
            ElementwiseScalar.add(a, 0, b, 0, ref, 0, n);
            CudaOps.add(da, OFF, db, OFF, dOut, OFF, n);
            out.add(new Result("add n=" + n, error(download(dOut, n), ref)));
            ElementwiseScalar.mul(a, 0, b, 0, ref, 0, n);
            CudaOps.mul(da, OFF, db, OFF, dOut, OFF, n);
            out.add(new Result("mul n=" + n, error(download(dOut, n), ref)));
            ElementwiseScalar.relu(a, 0, ref, 0, n);
            CudaOps.relu(da, OFF, dOut, OFF, n);
            out.add(new Result("relu n=" + n, error(download(dOut, n), ref)));
            ElementwiseScalar.tanh(a, 0, ref, 0, n);
            CudaOps.tanh(da, OFF, dOut, OFF, n);
            out.add(new Result("tanh n=" + n, error(download(dOut, n), ref)));
            ElementwiseScalar.sigmoid(a, 0, ref, 0, n);
            CudaOps.sigmoid(da, OFF, dOut, OFF, n);
            out.add(new Result("sigmoid n=" + n, error(download(dOut, n), ref)));
            ElementwiseScalar.exp(a, 0, ref, 0, n);
            CudaOps.exp(da, OFF, dOut, OFF, n);
            out.add(new Result("exp n=" + n, error(download(dOut, n), ref)));
            ref = b.clone();
            ElementwiseScalar.axpy(-0.75f, a, 0, ref, 0, n);
            CudaOps.axpy(-0.75f, da, OFF, db, OFF, n); // in place into b's device copy
            out.add(new Result("axpy n=" + n, error(download(db, n), ref)));
        }
        return out;
    }

    /** The two-pass device sum vs a double-precision sum, error relative to {@code sum |x|}. */
    public static Result sum(Rng rng, int n) {
        float[] a = random(rng, n);
        double ref = 0, abs = 0;
        for (float v : a) {
            ref += v;
            abs += Math.abs(v);
        }
        float got;
        try (DeviceBuffer da = upload(a)) {
            got = CudaOps.sum(da, OFF, n);
        }
        return new Result("sum n=" + n, Math.abs(got - ref) / Math.max(abs, Double.MIN_NORMAL));
    }

    /** {@code max|got - ref| / max|ref|} (0 for two empty or all-zero arrays that agree; NaN anywhere gives NaN). */
    public static double error(float[] got, float[] ref) {
        if (got.length != ref.length)
            throw new IllegalArgumentException("Parity.error: lengths " + got.length + " and " + ref.length + " differ");
        double diff = 0, scale = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs((double) got[i] - ref[i]);
            if (Double.isNaN(d)) return Double.NaN;
            diff = Math.max(diff, d);
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return diff == 0 ? 0 : diff / Math.max(scale, Double.MIN_NORMAL);
    }

    static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        rng.fillUniform(a, 0, n, -1f, 1f);
        return a;
    }

    /** A device copy of {@code a} starting {@link #OFF} floats into the buffer (the first {@code OFF} are NaN guards). */
    static DeviceBuffer upload(float[] a) {
        DeviceBuffer d = DeviceBuffer.allocate(OFF + Math.max(1, a.length));
        d.fill(Float.NaN);
        d.copyFrom(OFF, a, 0, a.length);
        return d;
    }

    /** The {@code n} floats from {@link #OFF}, checking that the guard floats before them were not written. */
    static float[] download(DeviceBuffer d, int n) {
        float[] guard = new float[OFF];
        d.copyTo(0, guard, 0, OFF);
        for (float v : guard)
            if (!Float.isNaN(v)) throw new IllegalStateException("Parity: a kernel wrote before its output's offset");
        float[] out = new float[n];
        d.copyTo(OFF, out, 0, n);
        return out;
    }
}
