package latte.cuda;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one CUDA context of this process: device 0's primary context with the kernels of
 * {@code latte/cuda/kernels.ptx} loaded. Created on first use by {@link #probe()}, which never
 * throws: without a driver (no {@code libcuda.so.1}, so JCuda's native library fails to link),
 * without a device, or when the PTX does not load, the probe records why and the GPU stays unused.
 *
 * <p>All driver calls run on the legacy default stream, so kernels and copies are ordered and a
 * device-to-host copy waits for the kernels before it. The driver binds a context per thread,
 * hence {@link #bind()} before every call sequence.
 */
public final class Cuda {
    /** Threads per block of the 1-D kernels (elementwise, im2col, ...). */
    static final int BLOCK = 256;
    /** Grid-stride kernels launch at most this many blocks; the loop covers the rest. */
    static final int MAX_BLOCKS = 65535;

    /** Every kernel of {@code kernels.ptx} the Java side launches; all are resolved by the probe. */
    static final java.util.List<String> KERNELS = java.util.List.of(
            "sgemm_nn", "sgemm_nt", "sgemm_tn", "sgemm_tt", "im2col_nhwc", "col2im_nhwc", "fill_rows", "sum_rows",
            "ew_add", "ew_mul", "ew_axpy", "ew_relu", "ew_tanh", "ew_sigmoid", "ew_exp", "reduce_sum");

    /**
     * The outcome of the one-time probe.
     *
     * @param ok     whether the GPU can be used
     * @param reason why not (empty when {@code ok})
     * @param device the device's description (name, compute capability, SMs, clock) when {@code ok}
     */
    public record Probe(boolean ok, String reason, String device) {}

    private static final class Holder {
        static final Probe PROBE;
        static final Cuda INSTANCE;

        static {
            Cuda c = null;
            Probe p;
            try {
                c = new Cuda();
                p = new Probe(true, "", c.describe());
            } catch (LinkageError e) {
                // UnsatisfiedLinkError (no libcuda.so.1 / no JCuda natives for this platform) or a
                // NoClassDefFoundError when JCudaDriver failed to initialise earlier.
                p = new Probe(false, "no CUDA driver: " + linkReason(e), "");
            } catch (RuntimeException e) {
                // jcuda.CudaException: CUDA_ERROR_NO_DEVICE, CUDA_ERROR_INVALID_PTX, ...
                p = new Probe(false, "CUDA unusable: " + firstLine(e), "");
            }
            PROBE = p;
            INSTANCE = c;
            // silent: latte.core.Backends says "using the cpu" when it falls back on its own, and
            // --device cuda fails with the reason instead
        }
    }

    /** Decides once whether the GPU is usable and caches the answer (printing nothing: the caller decides what to say). */
    public static Probe probe() {
        return Holder.PROBE;
    }

    /** The context; {@link IllegalStateException} with the probe's reason when there is no usable GPU. */
    public static Cuda get() {
        Probe p = probe();
        if (!p.ok()) throw new IllegalStateException("latte cuda: no usable GPU: " + p.reason());
        return Holder.INSTANCE;
    }

    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final ConcurrentHashMap<String, CUfunction> functions = new ConcurrentHashMap<>();
    private final String name;
    private final int ccMajor, ccMinor, smCount, clockKHz, driverVersion;

    private Cuda() {
        JCudaDriver.setExceptionsEnabled(true); // every failing driver call throws CudaException
        JCudaDriver.cuInit(0);
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        if (count[0] < 1) throw new IllegalStateException("no CUDA device");
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, 0);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, dev);
        JCudaDriver.cuCtxSetCurrent(context);
        byte[] nameBytes = new byte[256];
        JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, dev);
        int len = 0;
        while (len < nameBytes.length && nameBytes[len] != 0) len++;
        name = new String(nameBytes, 0, len, StandardCharsets.US_ASCII);
        ccMajor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        smCount = attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        clockKHz = optionalAttribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
        int[] v = new int[1];
        JCudaDriver.cuDriverGetVersion(v);
        driverVersion = v[0];
        JCudaDriver.cuModuleLoadData(module, ptx());
        for (String k : KERNELS) function(k); // a stale PTX fails here, in the probe, not mid-run
    }

    /** The shipped PTX, NUL-terminated as {@code cuModuleLoadData} wants it. */
    static byte[] ptx() {
        try (InputStream in = Cuda.class.getResourceAsStream("kernels.ptx")) {
            if (in == null) throw new IllegalStateException("resource latte/cuda/kernels.ptx is missing");
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int attribute(CUdevice dev, int attr) {
        int[] out = new int[1];
        JCudaDriver.cuDeviceGetAttribute(out, attr, dev);
        return out[0];
    }

    /** An attribute a newer driver may have retired (the clock rate is deprecated in CUDA 13): 0 if refused. */
    private static int optionalAttribute(CUdevice dev, int attr) {
        try {
            return attribute(dev, attr);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * JCuda's link error is a page of nested traces; the line that matters names the missing
     * library, e.g. {@code .../libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open
     * shared object file: No such file or directory}. Returns what follows the JCuda library's path.
     */
    static String linkReason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        for (String line : m.split("\n")) {
            int i = line.indexOf(".so: ");
            if (line.startsWith("java.lang.UnsatisfiedLinkError") && i >= 0) return line.substring(i + 5).trim();
        }
        return firstLine(e);
    }

    private static String firstLine(Throwable e) {
        String m = e.getClass().getSimpleName() + ": " + e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Makes this context current on the calling thread. */
    void bind() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    /** Waits until every launched kernel and copy has finished. */
    public void synchronize() {
        bind();
        JCudaDriver.cuCtxSynchronize();
    }

    CUfunction function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            CUfunction f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, k);
            return f;
        });
    }

    /** Launches {@code kernel} on a {@code gx x gy x gz} grid of {@code block}-thread blocks. */
    void launch(String kernel, int gx, int gy, int gz, int block, Object... args) {
        bind();
        JCudaDriver.cuLaunchKernel(function(kernel), gx, gy, gz, block, 1, 1, 0, null, params(args), null);
    }

    /** Launches a grid-stride 1-D kernel over {@code n} items. */
    void launch1d(String kernel, long n, Object... args) {
        int blocks = (int) Math.max(1, Math.min(MAX_BLOCKS, (n + BLOCK - 1) / BLOCK));
        launch(kernel, blocks, 1, 1, BLOCK, args);
    }

    /**
     * The {@code void**} kernel-parameter array: each argument boxed as the C type the kernel
     * declares ({@code Integer} -> int, {@code Long} -> long long, {@code Float} -> float, a
     * {@link jcuda.driver.CUdeviceptr} -> a pointer).
     */
    private static Pointer params(Object... args) {
        Pointer[] ps = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            ps[i] = switch (args[i]) {
                case Integer v -> Pointer.to(new int[] {v});
                case Long v -> Pointer.to(new long[] {v});
                case Float v -> Pointer.to(new float[] {v});
                case Pointer p -> Pointer.to(p);
                default -> throw new IllegalArgumentException("Cuda.launch: unsupported argument " + args[i]);
            };
        }
        return Pointer.to(ps);
    }

    /** Device name. */
    public String name() {
        return name;
    }

    /** Streaming multiprocessors. */
    public int smCount() {
        return smCount;
    }

    /** SM clock in kHz as the driver reports it (0 if the driver no longer reports it). */
    public int clockKHz() {
        return clockKHz;
    }

    /**
     * FP32 peak without tensor cores in GFLOP/s: SMs x clock x 128 FP32 lanes per SM (Ampere
     * GA100 has 64; every later data-centre part, Hopper included, has 128) x 2 FLOPs per FMA.
     */
    public double fp32PeakGflops(double clockMHz) {
        int lanes = ccMajor == 8 && ccMinor == 0 ? 64 : 128;
        return smCount * clockMHz * 1e-3 * lanes * 2;
    }

    /** Name, compute capability, SMs, clock and driver version in one line. */
    public String describe() {
        return name + " (sm_" + ccMajor + ccMinor + ", " + smCount + " SMs, " + clockKHz / 1000 + " MHz, driver "
                + driverVersion / 1000 + "." + driverVersion % 1000 / 10 + ")";
    }
}
