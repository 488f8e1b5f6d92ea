package latte.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A block of {@code float}s in GPU memory, freed by {@link #close()}. Offsets and lengths are in
 * floats. Copies to and from the host are synchronous (they wait for earlier kernels), so a
 * {@link #copyTo} after a chain of {@link CudaOps} calls sees their results.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CUdeviceptr ptr = new CUdeviceptr();
    private final long length;
    private boolean closed;

    private DeviceBuffer(long length) {
        if (length < 1) throw new IllegalArgumentException("DeviceBuffer.allocate: length=" + length + ", expected >= 1");
        Cuda.get().bind();
        JCudaDriver.cuMemAlloc(ptr, length * Float.BYTES);
        this.length = length;
    }

    /** {@code length} uninitialised floats on the device. */
    public static DeviceBuffer allocate(long length) {
        return new DeviceBuffer(length);
    }

    /** {@code length} zeros on the device. */
    public static DeviceBuffer zeros(long length) {
        DeviceBuffer d = new DeviceBuffer(length);
        d.fill(0f);
        return d;
    }

    /** A device copy of {@code a}. */
    public static DeviceBuffer of(float[] a) {
        return of(a, 0, a.length);
    }

    /** A device copy of {@code a[off, off+len)}. */
    public static DeviceBuffer of(float[] a, int off, int len) {
        DeviceBuffer d = new DeviceBuffer(len);
        d.copyFrom(0, a, off, len);
        return d;
    }

    /** Floats held. */
    public long length() {
        return length;
    }

    /** Device floats {@code [dstOff, dstOff+len)} = {@code src[srcOff, srcOff+len)}. */
    public void copyFrom(long dstOff, float[] src, int srcOff, int len) {
        checkHost("DeviceBuffer.copyFrom", src, srcOff, len);
        check("DeviceBuffer.copyFrom", dstOff, len);
        if (len == 0) return;
        Cuda.get().bind();
        JCudaDriver.cuMemcpyHtoD(pointer(dstOff), Pointer.to(src).withByteOffset((long) srcOff * Float.BYTES),
                (long) len * Float.BYTES);
    }

    /** {@code dst[dstOff, dstOff+len)} = device floats {@code [srcOff, srcOff+len)}. */
    public void copyTo(long srcOff, float[] dst, int dstOff, int len) {
        checkHost("DeviceBuffer.copyTo", dst, dstOff, len);
        check("DeviceBuffer.copyTo", srcOff, len);
        if (len == 0) return;
        Cuda.get().bind();
        JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) dstOff * Float.BYTES), pointer(srcOff),
                (long) len * Float.BYTES);
    }

    /** The whole buffer on the host (it must fit a Java array). */
    public float[] toArray() {
        if (length > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("DeviceBuffer.toArray: " + length + " floats do not fit a Java array");
        float[] out = new float[(int) length];
        copyTo(0, out, 0, out.length);
        return out;
    }

    /** Sets every float to {@code v}. */
    public void fill(float v) {
        Cuda.get().bind();
        JCudaDriver.cuMemsetD32(pointer(0), Float.floatToRawIntBits(v), length);
    }

    /** Device floats {@code [dstOff, dstOff+len)} = {@code src}'s {@code [srcOff, srcOff+len)}, on the device. */
    public void copyFrom(long dstOff, DeviceBuffer src, long srcOff, long len) {
        check("DeviceBuffer.copyFrom", dstOff, len);
        src.check("DeviceBuffer.copyFrom (source)", srcOff, len);
        if (len == 0) return;
        Cuda.get().bind();
        JCudaDriver.cuMemcpyDtoD(pointer(dstOff), src.pointer(srcOff), len * Float.BYTES);
    }

    /** The device address of float {@code off}. */
    CUdeviceptr pointer(long off) {
        if (closed) throw new IllegalStateException("DeviceBuffer: used after close");
        return off == 0 ? ptr : ptr.withByteOffset(off * Float.BYTES);
    }

    /** Checks that {@code [off, off+len)} lies in this buffer. */
    void check(String op, long off, long len) {
        if (closed) throw new IllegalStateException(op + ": buffer already closed");
        if (off < 0 || len < 0 || off + len > length)
            throw new IllegalArgumentException(op + ": range [" + off + ", " + (off + len) + ") is outside the device buffer of "
                    + length + " floats");
    }

    private static void checkHost(String op, float[] a, int off, int len) {
        if (off < 0 || len < 0 || off + len > a.length)
            throw new IllegalArgumentException(op + ": host range [" + off + ", " + (off + len) + ") is outside an array of "
                    + a.length + " floats");
    }

    /** Frees the device memory; later use throws. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Cuda.get().bind();
        JCudaDriver.cuMemFree(ptr);
    }
}
