package latte.cuda;

import latte.core.Rng;
import latte.core.kernels.ConvGeometry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every GPU kernel against its CPU reference on random data, odd shapes and edge tiles included
 * (the shapes are in {@link Parity}). Skipped, with the probe's reason, where there is no GPU.
 */
class CudaParityTest {
    @BeforeEach // per test (not @BeforeAll) so each one is reported as skipped with the reason
    void needsGpu() {
        Cuda.Probe p = Cuda.probe();
        assumeTrue(p.ok(), "no GPU: " + p.reason());
    }

    private static void assertWithin(Parity.Result r) {
        assertThat(r.error()).as(r.name()).isLessThan(Parity.TOLERANCE);
    }

    @TestFactory
    List<DynamicTest> sgemmAllTransposesAndOddShapes() {
        List<DynamicTest> tests = new ArrayList<>();
        Rng rng = new Rng(1);
        for (int[] s : Parity.GEMM_SHAPES)
            for (int t = 0; t < 4; t++)
                for (float beta : new float[] {0f, -0.5f}) {
                    boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                    Rng r = rng.split();
                    tests.add(DynamicTest.dynamicTest((ta ? "T" : "N") + (tb ? "T" : "N") + " " + s[0] + "x" + s[1] + "x"
                            + s[2] + " beta=" + beta, () -> assertWithin(Parity.gemm(r, ta, tb, s[0], s[1], s[2], beta))));
                }
        return tests;
    }

    @Test
    void sgemmBatchedAndTheHostPath() {
        Rng rng = new Rng(2);
        assertWithin(Parity.gemmBatched(rng, false, true, 37, 45, 29, 4));
        assertWithin(Parity.gemmBatched(rng, true, false, 130, 3, 17, 3));
        assertWithin(Parity.gemmBatched(rng, true, true, 1, 129, 8, 2));
        assertWithin(Parity.backendSgemm(rng, 300, 200, 100));
        assertWithin(Parity.backendSgemm(rng, 1, 1, 1));
    }

    @TestFactory
    List<DynamicTest> conv2dForwardAndBackward() {
        List<DynamicTest> tests = new ArrayList<>();
        Rng rng = new Rng(3);
        for (ConvGeometry g : Parity.convGeometries()) {
            Rng r = rng.split();
            tests.add(DynamicTest.dynamicTest(g.toString(), () -> Parity.conv2d(r, g).forEach(CudaParityTest::assertWithin)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> convTranspose2dForwardAndBackward() {
        List<DynamicTest> tests = new ArrayList<>();
        Rng rng = new Rng(4);
        for (ConvGeometry g : Parity.convTransposeGeometries()) {
            Rng r = rng.split();
            tests.add(DynamicTest.dynamicTest(g.toString(),
                    () -> Parity.convTranspose2d(r, g).forEach(CudaParityTest::assertWithin)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> backendConvolutionsOnHostArrays() {
        List<DynamicTest> tests = new ArrayList<>();
        Rng rng = new Rng(8);
        for (ConvGeometry g : Parity.convGeometries()) {
            Rng r = rng.split();
            tests.add(DynamicTest.dynamicTest("conv2d " + g, () -> Parity.backendConv(r, g, false).forEach(CudaParityTest::assertWithin)));
        }
        for (ConvGeometry g : Parity.convTransposeGeometries()) {
            Rng r = rng.split();
            tests.add(DynamicTest.dynamicTest("convTranspose2d " + g,
                    () -> Parity.backendConv(r, g, true).forEach(CudaParityTest::assertWithin)));
        }
        return tests;
    }

    @Test
    void elementwiseAndSum() {
        Rng rng = new Rng(5);
        Parity.elementwise(rng, 1).forEach(CudaParityTest::assertWithin);
        Parity.elementwise(rng, 100_003).forEach(CudaParityTest::assertWithin);
        assertWithin(Parity.sum(rng, 1));
        assertWithin(Parity.sum(rng, 255));
        assertWithin(Parity.sum(rng, 1_000_003));
    }

    @Test
    void deviceBuffersRoundTripAndRejectBadRanges() {
        float[] a = {1, 2, 3, 4, 5};
        try (DeviceBuffer d = DeviceBuffer.of(a)) {
            assertThat(d.toArray()).containsExactly(a);
            d.copyFrom(1, new float[] {9, 8}, 0, 2);
            assertThat(d.toArray()).containsExactly(1, 9, 8, 4, 5);
            assertThatThrownBy(() -> d.copyTo(4, new float[2], 0, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DeviceBuffer.copyTo").hasMessageContaining("[4, 6)");
            assertThatThrownBy(() -> CudaOps.sgemm(false, false, 2, 2, 2, 1f, d, 0, 1, d, 0, 2, 0f, d, 0, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CudaOps.sgemm")
                    .hasMessageContaining("lda=1");
            d.close();
            assertThatThrownBy(d::toArray).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void everyCheckOfGpuCheckPasses() {
        List<Parity.Result> all = Parity.all(new Rng(6));
        assertThat(all).hasSizeGreaterThan(60).allSatisfy(CudaParityTest::assertWithin);
    }
}
