package latte.cuda;

import jcuda.driver.CUevent;
import jcuda.driver.JCudaDriver;
import latte.core.Parallel;
import latte.core.Rng;
import latte.core.kernels.Gemm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The check to run on a GPU machine (see docs/cuda.md): every kernel against its CPU reference
 * ({@link Parity}), then SGEMM at {@code size^3} (default 4096) timed on the device (operands
 * resident, CUDA events), through {@link CudaBackend#sgemm} (with the PCIe copies), and on the CPU
 * ({@link Gemm#sgemm} on all cores) on the same data, with the GPU's fp32 peak without tensor
 * cores (SMs x clock x 128 lanes x 2). Prints tables; exits 1 if a parity check fails, 2 if there
 * is no usable GPU.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -cp CP latte.cuda.GpuCheck
 *        [--size 4096] [--reps 10] [--cpu-reps 3] [--clock-mhz MHZ] [--skip-cpu] [--seed 1]
 * </pre>
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) {
        int size = 4096, reps = 10, cpuReps = 3;
        long seed = 1;
        double clockMHz = 0;
        boolean skipCpu = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--cpu-reps" -> cpuReps = Integer.parseInt(args[++i]);
                case "--clock-mhz" -> clockMHz = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--skip-cpu" -> skipCpu = true;
                default -> throw new IllegalArgumentException("GpuCheck: unknown argument " + args[i]
                        + "; expected --size N --reps R --cpu-reps R --clock-mhz MHZ --seed S --skip-cpu");
            }
        }
        Cuda.Probe probe = Cuda.probe();
        if (!probe.ok()) {
            System.out.println("GpuCheck: no usable GPU: " + probe.reason());
            System.exit(2);
        }
        Cuda cuda = Cuda.get();
        System.out.println("device: " + probe.device());
        System.out.println("cpu: " + Runtime.getRuntime().availableProcessors() + " cores, latte threads "
                + Parallel.threads());

        List<Parity.Result> results = Parity.all(new Rng(seed));
        int failed = 0;
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-90s | %-10s | %-4s |%n", "parity check (GPU vs CPU reference)", "rel. error", "ok");
        System.out.println("|" + "-".repeat(92) + "|" + "-".repeat(12) + "|" + "-".repeat(6) + "|");
        for (Parity.Result r : results) {
            if (!r.ok()) failed++;
            System.out.printf(Locale.ROOT, "| %-90s | %10.2e | %-4s |%n", r.name(), r.error(), r.ok() ? "yes" : "NO");
        }
        System.out.println(results.size() - failed + "/" + results.size() + " parity checks within "
                + Parity.TOLERANCE);

        if (clockMHz == 0) clockMHz = cuda.clockKHz() / 1000.0;
        double peak = clockMHz > 0 ? cuda.fp32PeakGflops(clockMHz) : Double.NaN;
        double flops = 2.0 * size * size * size;
        Rng rng = new Rng(seed + 1);
        float[] a = Parity.random(rng, size * size), b = Parity.random(rng, size * size);
        float[] cGpu = new float[size * size];
        double deviceMs;
        try (DeviceBuffer da = DeviceBuffer.of(a); DeviceBuffer db = DeviceBuffer.of(b);
             DeviceBuffer dc = DeviceBuffer.allocate((long) size * size)) {
            deviceMs = deviceMedianMs(cuda, size, reps, da, db, dc);
            dc.copyTo(0, cGpu, 0, cGpu.length);
        }
        CudaBackend backend = new CudaBackend(0);
        float[] cHost = new float[size * size];
        double[] hostMs = new double[Math.max(1, reps / 3)];
        for (int r = 0; r < hostMs.length; r++) {
            long t0 = System.nanoTime();
            backend.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, cHost, 0, size);
            hostMs[r] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "SGEMM NN %d^3 (%.1f GFLOP); fp32 peak without tensor cores: %s%n", size, flops / 1e9,
                Double.isNaN(peak) ? "unknown (driver gives no clock; pass --clock-mhz)"
                        : String.format(Locale.ROOT, "%.0f GFLOP/s = %d SMs x %.0f MHz x 128 x 2", peak, cuda.smCount(), clockMHz));
        System.out.println("| path                              | median ms | GFLOP/s  | % fp32 peak | speed-up vs CPU |");
        System.out.println("|-----------------------------------|-----------|----------|-------------|-----------------|");
        double cpuMs = Double.NaN;
        if (!skipCpu) {
            float[] cCpu = new float[size * size];
            double[] ms = new double[Math.max(1, cpuReps)];
            for (int r = 0; r < ms.length; r++) {
                long t0 = System.nanoTime();
                Gemm.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, cCpu, 0, size);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            cpuMs = median(ms);
            System.out.printf(Locale.ROOT, "(GPU vs CPU result at %d^3: rel. error %.2e; host path vs device path %.2e)%n",
                    size, Parity.error(cGpu, cCpu), Parity.error(cHost, cGpu));
        }
        row("GPU, operands on the device", deviceMs, flops, peak, cpuMs);
        row("GPU via CudaBackend.sgemm (copies)", median(hostMs), flops, peak, cpuMs);
        if (!skipCpu) row("CPU Gemm.sgemm, " + Parallel.threads() + " threads", cpuMs, flops, Double.NaN, cpuMs);
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Median over {@code reps} launches, each timed by CUDA events around it, after two warm-up launches. */
    private static double deviceMedianMs(Cuda cuda, int size, int reps, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        CUevent start = new CUevent(), stop = new CUevent();
        cuda.bind();
        JCudaDriver.cuEventCreate(start, 0);
        JCudaDriver.cuEventCreate(stop, 0);
        for (int w = 0; w < 2; w++) CudaOps.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        double[] ms = new double[Math.max(1, reps)];
        float[] t = new float[1];
        for (int r = 0; r < ms.length; r++) {
            JCudaDriver.cuEventRecord(start, null);
            CudaOps.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
            JCudaDriver.cuEventRecord(stop, null);
            JCudaDriver.cuEventSynchronize(stop);
            JCudaDriver.cuEventElapsedTime(t, start, stop);
            ms[r] = t[0];
        }
        JCudaDriver.cuEventDestroy(start);
        JCudaDriver.cuEventDestroy(stop);
        return median(ms);
    }

    private static void row(String path, double ms, double flops, double peak, double cpuMs) {
        double gflops = flops / (ms * 1e6);
        System.out.printf(Locale.ROOT, "| %-33s | %9.2f | %8.0f | %11s | %15s |%n", path, ms, gflops,
                Double.isNaN(peak) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * gflops / peak),
                Double.isNaN(cpuMs) ? "-" : String.format(Locale.ROOT, "%.1fx", cpuMs / ms));
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
