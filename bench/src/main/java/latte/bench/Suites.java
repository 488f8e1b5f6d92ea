package latte.bench;

import java.util.List;
import java.util.Map;

/**
 * The registry of benchmark suites {@code ./latte bench <name>} knows: one entry each.
 * A new suite adds one method here and one element to {@link #ALL}.
 */
public final class Suites {
    private Suites() {}

    /** Every suite, in the order {@code --help} lists them. */
    public static final List<Suite> ALL = List.of(
            gemm(),
            env());

    /** The suite with this name, or null. */
    public static Suite find(String name) {
        for (Suite s : ALL) if (s.name().equals(name)) return s;
        return null;
    }

    /** GEMM: latte (1 and 2 threads) vs OpenBLAS (1 thread, through FFM) vs EJML. */
    static Suite gemm() {
        return new Suite("gemm",
                "single-precision GEMM: latte, latte x2 threads, OpenBLAS (FFM), EJML",
                "latte\\.bench\\.GemmBench\\.",
                "GFLOP/s", 1e9,
                p -> GemmBench.Shape.parse(p.get("shape")).flops(),
                p -> p.get("shape"),
                List.of(new Suite.Column("latte", "latte"),
                        new Suite.Column("latteParallel", "latte x2"),
                        new Suite.Column("openblas", "OpenBLAS"),
                        new Suite.Column("ejml", "EJML")),
                new Suite.Ratio("latte", "OpenBLAS"),
                Map.of("shape", GemmBench.QUICK_SHAPES),
                List.of(new Suite.Probe("latte\\.bench\\.GemmBench\\.openblas$", OpenBlas::missing)));
    }

    /** Environments: state-only steps, 64x64 renders and pixel steps per second, one thread. */
    static Suite env() {
        return new Suite("env",
                "environments: state steps, 64x64 renders, pixel steps per second (1 thread)",
                "latte\\.bench\\.EnvBench\\.",
                "k/s", 1e3,
                p -> 1.0,
                p -> p.get("env"),
                List.of(new Suite.Column("step", "step"),
                        new Suite.Column("render", "render64"),
                        new Suite.Column("pixelStep", "pixel step")),
                null,
                Map.of("env", EnvBench.QUICK_ENVS),
                List.of());
    }
}
