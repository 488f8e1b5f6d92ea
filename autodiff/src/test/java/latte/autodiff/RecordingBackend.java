package latte.autodiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import latte.core.Backend;
import latte.core.CpuBackend;
import latte.core.kernels.ConvGeometry;

/**
 * The CPU backend with a log: every kernel call is written down (name and sizes, and the thread
 * it came from) and then run by {@link CpuBackend}. Installed with
 * {@link latte.core.Backends#use}, it shows which work of a step goes through the Backend.
 */
final class RecordingBackend implements Backend {
    private final Backend cpu = CpuBackend.INSTANCE;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /** The calls so far, in order (per thread; interleaved across threads). */
    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The threads that called. */
    Set<Thread> threads() {
        return Set.copyOf(threads);
    }

    private void log(String call) {
        calls.add(call);
        threads.add(Thread.currentThread());
    }

    /** {@code "sgemm NT 2x5x8"}: transposes, then m x n x k. */
    static String sgemm(boolean transA, boolean transB, int m, int n, int k) {
        return "sgemm " + (transA ? "T" : "N") + (transB ? "T" : "N") + " " + m + "x" + n + "x" + k;
    }

    /** {@code "sgemmBatched NN 2x1x8x5"}: transposes, then batch x m x n x k. */
    static String sgemmBatched(boolean transA, boolean transB, int batch, int m, int n, int k) {
        return "sgemmBatched " + (transA ? "T" : "N") + (transB ? "T" : "N") + " " + batch + "x" + m + "x" + n + "x" + k;
    }

    /** {@code "gruForward 2x6->5"}: batch x in -> hidden. */
    static String gru(String name, int batch, int in, int hidden) {
        return name + " " + batch + "x" + in + "->" + hidden;
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        log(sgemm(transA, transB, m, n, k));
        cpu.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void sgemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                             int lda, int strideA, float[] b, int bOff, int ldb, int strideB, float beta, float[] c,
                             int cOff, int ldc, int strideC, int batch) {
        log(sgemmBatched(transA, transB, batch, m, n, k));
        cpu.sgemmBatched(transA, transB, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB, beta, c, cOff,
                ldc, strideC, batch);
    }

    @Override
    public void conv2dForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                              float[] y, int yOff) {
        log("conv2dForward " + g);
        cpu.conv2dForward(g, x, xOff, w, wOff, b, bOff, y, yOff);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff,
                                    boolean accumulate) {
        log("conv2dBackwardInput " + g);
        cpu.conv2dBackwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff,
                                     boolean accumulate) {
        log("conv2dBackwardWeight " + g);
        cpu.conv2dBackwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate);
    }

    @Override
    public void convTranspose2dForward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                                       float[] y, int yOff) {
        log("convTranspose2dForward " + g);
        cpu.convTranspose2dForward(g, x, xOff, w, wOff, b, bOff, y, yOff);
    }

    @Override
    public void convTranspose2dBackwardInput(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                                             int dxOff, boolean accumulate) {
        log("convTranspose2dBackwardInput " + g);
        cpu.convTranspose2dBackwardInput(g, dy, dyOff, w, wOff, dx, dxOff, accumulate);
    }

    @Override
    public void convTranspose2dBackwardWeight(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                                              int dwOff, boolean accumulate) {
        log("convTranspose2dBackwardWeight " + g);
        cpu.convTranspose2dBackwardWeight(g, x, xOff, dy, dyOff, dw, dwOff, accumulate);
    }

    @Override
    public void gruForward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff, float[] wi,
                           int wiOff, float[] wh, int whOff, float[] bi, int biOff, float[] bh, int bhOff, float[] hOut,
                           int hOutOff, float[] saved, int savedOff) {
        log(gru("gruForward", batch, in, hidden));
        cpu.gruForward(batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, bi, biOff, bh, bhOff, hOut, hOutOff,
                saved, savedOff);
    }

    @Override
    public void gruBackward(int batch, int in, int hidden, float[] x, int xOff, float[] h, int hOff, float[] wi,
                            int wiOff, float[] wh, int whOff, float[] saved, int savedOff, float[] dhOut, int dhOutOff,
                            float[] dx, int dxOff, float[] dh, int dhOff, float[] dwi, int dwiOff, float[] dwh,
                            int dwhOff, float[] dbi, int dbiOff, float[] dbh, int dbhOff, boolean accumulate) {
        log(gru("gruBackward", batch, in, hidden));
        cpu.gruBackward(batch, in, hidden, x, xOff, h, hOff, wi, wiOff, wh, whOff, saved, savedOff, dhOut, dhOutOff,
                dx, dxOff, dh, dhOff, dwi, dwiOff, dwh, dwhOff, dbi, dbiOff, dbh, dbhOff, accumulate);
    }
}
