package latte.cuda;

import latte.core.Backend;
import latte.core.Backends;
import latte.core.Rng;
import latte.core.kernels.ConvGeometry;
import latte.core.kernels.Gemm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Detection and fallback: the no-GPU half runs in CI, the GPU half on a GPU machine. */
class DetectionTest {
    @Test
    void cudaBackendIsRegisteredAndOutranksTheCpu() {
        List<Backend> all = Backends.discover();
        assertThat(all).anySatisfy(b -> assertThat(b).isInstanceOf(CudaBackend.class));
        assertThat(new CudaBackend().priority()).isGreaterThan(latte.core.CpuBackend.INSTANCE.priority());
        assertThat(new CudaBackend().name()).isEqualTo("cuda");
    }

    @Test
    void withoutGpuTheProbeSaysWhyAndTheCpuIsUsed() {
        Cuda.Probe p = Cuda.probe();
        assumeFalse(p.ok(), "a GPU is present: " + p.device());
        assertThat(p.reason()).isNotBlank().containsAnyOf("no CUDA driver", "CUDA unusable");
        assertThat(Cuda.probe()).isSameAs(p); // cached
        assertThat(new CudaBackend().available()).isFalse();
        assertThat(Backends.current().name()).isEqualTo("cpu");
        assertThat(Backends.choose(null, Backends.discover()).name()).isEqualTo("cpu");
        assertThatThrownBy(() -> Backends.choose("cuda", Backends.discover()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latte.backend=cuda").hasMessageContaining(p.reason());
        assertThatThrownBy(() -> DeviceBuffer.allocate(4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no usable GPU").hasMessageContaining(p.reason());
    }

    @Test
    void withGpuTheCudaBackendIsChosen() {
        Cuda.Probe p = Cuda.probe();
        assumeTrue(p.ok(), "no GPU: " + p.reason());
        assertThat(p.device()).isNotBlank();
        assertThat(Backends.current().name()).isEqualTo("cuda");
        assertThat(Backends.choose("cuda", Backends.discover())).isInstanceOf(CudaBackend.class);
    }

    @Test
    void smallGemmsStayOnTheCpuOnAnyMachine() {
        // Below minFlops the backend never touches the GPU, so this runs (and must agree with the
        // reference) with or without one.
        CudaBackend backend = new CudaBackend(Long.MAX_VALUE);
        Rng rng = new Rng(7);
        int m = 13, n = 9, k = 11;
        float[] a = Parity.random(rng, m * k), b = Parity.random(rng, n * k), c = Parity.random(rng, m * n);
        float[] ref = c.clone();
        Gemm.scalar(false, true, m, n, k, 2f, a, 0, k, b, 0, k, 0.5f, ref, 0, n);
        backend.sgemm(false, true, m, n, k, 2f, a, 0, k, b, 0, k, 0.5f, c, 0, n);
        assertThat(Parity.error(c, ref)).isLessThan(1e-6);
    }

    @Test
    void smallConvolutionsStayOnTheCpuKernelsOnAnyMachine() {
        // Below minFlops the convolutions run the Backend defaults, the CPU kernels: the same bits
        // as the CPU backend, with or without a GPU.
        CudaBackend backend = new CudaBackend(Long.MAX_VALUE);
        Backend cpu = latte.core.CpuBackend.INSTANCE;
        Rng rng = new Rng(8);
        for (boolean transposed : new boolean[] {false, true}) {
            ConvGeometry g = transposed ? ConvGeometry.convTranspose(2, 4, 6, 3, 5, 3, 3, 2, 2, 1, 1, 1, 0)
                    : ConvGeometry.conv(2, 9, 11, 3, 5, 3, 3, 2, 2, 1, 1);
            int ws = g.kernelH() * g.kernelW() * g.inC() * g.outC();
            float[] x = Parity.random(rng, g.inSize()), w = Parity.random(rng, ws), b = Parity.random(rng, g.outC());
            float[] dy = Parity.random(rng, g.outSize()), dx0 = Parity.random(rng, g.inSize()), dw0 = Parity.random(rng, ws);
            float[][] got = new float[3][], want = new float[3][];
            for (Backend be : new Backend[] {backend, cpu}) {
                float[] y = new float[g.outSize()], dx = dx0.clone(), dw = dw0.clone();
                if (transposed) {
                    be.convTranspose2dForward(g, x, 0, w, 0, b, 0, y, 0);
                    be.convTranspose2dBackwardInput(g, dy, 0, w, 0, dx, 0, true);
                    be.convTranspose2dBackwardWeight(g, x, 0, dy, 0, dw, 0, true);
                } else {
                    be.conv2dForward(g, x, 0, w, 0, b, 0, y, 0);
                    be.conv2dBackwardInput(g, dy, 0, w, 0, dx, 0, true);
                    be.conv2dBackwardWeight(g, x, 0, dy, 0, dw, 0, true);
                }
                float[][] r = be == cpu ? want : got;
                r[0] = y;
                r[1] = dx;
                r[2] = dw;
            }
            for (int i = 0; i < 3; i++) assertThat(got[i]).as("transposed=%s, array %d", transposed, i).containsExactly(want[i]);
        }
    }

    @Test
    void badArgumentsNameTheOp() {
        assertThatThrownBy(() -> new CudaBackend(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CudaBackend").hasMessageContaining("minFlops=-1");
        // A 5x5 input cannot give a 6x6 output with a 3x3 kernel, stride 1 and no top padding.
        ConvGeometry bad = new ConvGeometry(1, 5, 5, 1, 6, 6, 1, 3, 3, 1, 1, 0, 0);
        assertThatThrownBy(() -> CudaOps.checkConv("CudaOps.conv2dForward", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CudaOps.conv2dForward").hasMessageContaining("does not match input 5x5");
        assertThat(CudaOps.span(3, 4, 10)).isEqualTo(24);
        assertThat(CudaOps.span(0, 4, 10)).isZero();
        assertThat(Parity.error(new float[] {1, 2}, new float[] {1, 4})).isEqualTo(0.5);
        assertThat(Parity.error(new float[] {Float.NaN}, new float[] {1})).isNaN();
        assertThat(new Parity.Result("x", Double.NaN).ok()).isFalse();
    }
}
