package latte.bench;

import latte.core.kernels.Conv2d;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.ConvTranspose2d;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Per-layer, per-pass times of PlaNet's encoder and decoder convolutions at any batch and depth
 * (the {@code cpu()} preset's training batch is {@code 512 8}: 16 x 32 frames, depth 8), on one
 * thread. It reports the least CPU time of the calling thread over {@code -Dreps} calls (7 by
 * default), which stays usable on a machine shared with other jobs where wall-clock JMH figures
 * swing by 2x. Not a JMH benchmark: a quick profile of where a training step's conv time goes.
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar latte.bench.ConvLayerTimes 512 8
 * </pre>
 * Passes as a training step runs them: {@code fwd}, {@code bIn} (skipped for the first encoder
 * layer, whose input is the image), {@code bW}, {@code bB}; times in ms.
 */
public final class ConvLayerTimes {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private ConvLayerTimes() {}

    public static void main(String[] args) {
        if (args.length != 2) throw new IllegalArgumentException("ConvLayerTimes: usage BATCH DEPTH, e.g. 512 8");
        int batch = Integer.parseInt(args[0]), d = Integer.parseInt(args[1]);
        SplittableRandom r = new SplittableRandom(1);
        double total = 0;
        int[] encC = {3, d, 2 * d, 4 * d, 8 * d}, encIn = {64, 31, 14, 6};
        for (int i = 0; i < 4; i++)
            total += layer("enc" + (i + 1), ConvGeometry.convValid(batch, encIn[i], encIn[i], encC[i], encC[i + 1],
                    4, 4, 2, 2), false, i > 0, r);
        int[] decC = {32 * d, 4 * d, 2 * d, d, 3}, decIn = {1, 5, 13, 30}, decK = {5, 5, 6, 6};
        for (int i = 0; i < 4; i++)
            total += layer("dec" + (i + 1), ConvGeometry.convTransposeValid(batch, decIn[i], decIn[i], decC[i],
                    decC[i + 1], decK[i], decK[i], 2, 2), true, true, r);
        System.out.printf("total %.2f ms%n", total);
    }

    private static double layer(String name, ConvGeometry g, boolean transposed, boolean inputGrad, SplittableRandom r) {
        float[] x = random(r, g.inSize()), y = new float[g.outSize()], dy = random(r, g.outSize());
        float[] dx = new float[g.inSize()];
        int ws = transposed ? ConvTranspose2d.weightSize(g) : Conv2d.weightSize(g);
        float[] w = random(r, ws), dw = new float[ws], b = random(r, g.outC()), db = new float[g.outC()];
        double fwd, bIn = 0, bW, bB;
        if (transposed) {
            fwd = time(() -> ConvTranspose2d.forward(g, x, 0, w, 0, b, 0, y, 0, 1));
            if (inputGrad) bIn = time(() -> ConvTranspose2d.backwardInput(g, dy, 0, w, 0, dx, 0, false, 1));
            bW = time(() -> ConvTranspose2d.backwardWeight(g, x, 0, dy, 0, dw, 0, true, 1));
            bB = time(() -> ConvTranspose2d.backwardBias(g, dy, 0, db, 0, true));
        } else {
            fwd = time(() -> Conv2d.forward(g, x, 0, w, 0, b, 0, y, 0, 1));
            if (inputGrad) bIn = time(() -> Conv2d.backwardInput(g, dy, 0, w, 0, dx, 0, false, 1));
            bW = time(() -> Conv2d.backwardWeight(g, x, 0, dy, 0, dw, 0, true, 1));
            bB = time(() -> Conv2d.backwardBias(g, dy, 0, db, 0, true));
        }
        double sum = fwd + bIn + bW + bB;
        System.out.printf("%-5s %-62s fwd %6.2f  bIn %6.2f  bW %6.2f  bB %5.2f  sum %6.2f%n",
                name, g, fwd, bIn, bW, bB, sum);
        return sum;
    }

    private static double time(Runnable op) {
        double best = Double.MAX_VALUE;
        for (int i = 0, reps = Integer.getInteger("reps", 7); i < reps; i++) {
            long t0 = MX.getCurrentThreadCpuTime();
            op.run();
            best = Math.min(best, (MX.getCurrentThreadCpuTime() - t0) / 1e6);
        }
        return best;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (2 * r.nextDouble() - 1);
        return a;
    }
}
