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
            gemm(), elementwise(), conv(), gru(), tape(), env(), planet(), dreamer(), trainStep(), worldModels());

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

    /** PlaNet's conv encoder / transposed-conv decoder at batch 50: latte (1, 2 threads) vs PyTorch. */
    static Suite conv() {
        return new Suite("conv",
                "PlaNet conv encoder / deconv decoder layers and stacks, batch 50: latte vs PyTorch",
                "latte\\.bench\\.ConvBench\\.",
                "GFLOP/s", 1e9,
                p -> ConvBench.flops(p.get("layer"), p.get("pass")),
                p -> p.get("layer") + " " + p.get("pass"),
                List.of(new Suite.Column("latte", "latte"), new Suite.Column("latteX2", "latte x2")),
                new Suite.Ratio("latte", "PyTorch"),
                Map.of("layer", ConvBench.QUICK_LAYERS),
                List.of());
    }

    /** One GRU cell step 230 -> 200 at batch 1000 and 50: latte (1, 2 threads) vs PyTorch's GRUCell. */
    static Suite gru() {
        return new Suite("gru",
                "GRU cell step 230->200 at batch 1000 and 50, forward and forward+backward: latte vs PyTorch",
                "latte\\.bench\\.GruBench\\.",
                "GFLOP/s", 1e9,
                p -> GruBench.flops(Integer.parseInt(p.get("batch")), p.get("pass")),
                p -> "b" + p.get("batch") + " " + p.get("pass"),
                List.of(new Suite.Column("latte", "latte"), new Suite.Column("latteX2", "latte x2")),
                new Suite.Ratio("latte", "PyTorch"),
                Map.of("batch", new String[] {"1000"}),
                List.of());
    }

    /**
     * Elementwise kernels on 4M floats, one thread: add vs the STREAM triad (memory bandwidth),
     * exp / tanh vs {@code Math.*} loops. G elements/s; add moves 12 B/element.
     */
    static Suite elementwise() {
        return new Suite("elementwise",
                "elementwise kernels on 4M floats: add vs STREAM triad (bandwidth), exp/tanh vs Math.*",
                "latte\\.bench\\.ElementwiseBench\\.",
                "G elem/s", 1e9,
                p -> Double.parseDouble(p.get("n")),
                p -> p.get("op") + " n=" + p.get("n")
                        + (ElementwiseBench.bytesPerElement(p.get("op")) > 0
                        ? " (" + (int) ElementwiseBench.bytesPerElement(p.get("op")) + " B/elem)" : ""),
                List.of(new Suite.Column("latte", "latte"),
                        new Suite.Column("baseline", "baseline")),
                new Suite.Ratio("latte", "baseline"),
                Map.of(),
                List.of());
    }

    /** The autodiff tape's overhead: a small dense graph through Ops + Tape vs the kernels called directly. */
    static Suite tape() {
        return new Suite("tape",
                "tape overhead: loss = sum(tanh(xW + b)^2) through the tape vs direct kernel calls, 1 thread",
                "latte\\.bench\\.TapeBench\\.",
                "GFLOP/s", 1e9,
                p -> TapeBench.flops(p.get("shape"), p.get("pass")),
                p -> p.get("shape") + " " + p.get("pass"),
                List.of(new Suite.Column("direct", "direct"), new Suite.Column("tape", "tape")),
                new Suite.Ratio("tape", "direct"),
                Map.of(),
                List.of());
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

    /**
     * PlaNet at paper() sizes: one training step (B 50 x T 50, 64x64x3) and one planning call
     * (CEM 1000 x 12 x 10), latte (1, 2 threads) vs the same model in PyTorch. Ops per second;
     * ratios at one and at two threads.
     */
    static Suite planet() {
        return new Suite("planet",
                "PlaNet paper(): one train step (50x50 64x64) and one CEM plan (1000x12x10): latte vs PyTorch",
                "latte\\.bench\\.PlanetBench\\.",
                "op/s", 1,
                PlanetBench::work,
                p -> p.get("op"),
                List.of(new Suite.Column("latte", "latte"), new Suite.Column("latteX2", "latte x2")),
                new Suite.Ratio("latte", "PyTorch"),
                Map.of("op", PlanetBench.QUICK_OPS),
                List.of(),
                new Suite.QuickRun(2, 3),
                List.of(new Suite.Ratio("latte x2", "PyTorch x2")));
    }

    /**
     * Dreamer at paper() sizes: one behaviour update (imagine H 15 from 2500 posterior states,
     * lambda-returns, actor and value backward and Adam steps), latte (1, 2 threads) vs the same
     * update in PyTorch. Ops per second; ratios at one and at two threads.
     */
    static Suite dreamer() {
        return new Suite("dreamer",
                "Dreamer paper(): one actor + value update imagined from 2500 states (H 15): latte vs PyTorch",
                "latte\\.bench\\.DreamerBench\\.",
                "op/s", 1,
                DreamerBench::work,
                p -> p.get("op"),
                List.of(new Suite.Column("latte", "latte"), new Suite.Column("latteX2", "latte x2")),
                new Suite.Ratio("latte", "PyTorch"),
                Map.of("op", DreamerBench.QUICK_OPS),
                List.of(),
                new Suite.QuickRun(2, 3),
                List.of(new Suite.Ratio("latte x2", "PyTorch x2")));
    }

    /**
     * One whole Dreamer training step of the {@code cpu} preset (world model, then two behaviour
     * updates), the unit a 20-minute Pendulum run is made of, on one and on two threads. No peer:
     * the ratio column is what the second core buys.
     */
    static Suite trainStep() {
        return new Suite("trainstep",
                "Dreamer cpu preset: one whole training step (world model + 2 behaviour updates), 1 vs 2 threads",
                "latte\\.bench\\.TrainStepBench\\.",
                "step/s", 1,
                TrainStepBench::work,
                p -> p.get("op"),
                List.of(new Suite.Column("latte", "latte"), new Suite.Column("latteX2", "latte x2")),
                new Suite.Ratio("latte x2", "latte"),
                Map.of("op", TrainStepBench.QUICK_OPS),
                List.of(),
                new Suite.QuickRun(5, 10),
                List.of());
    }

    /**
     * World Models at the paper's CarRacing sizes: one V training step (batch 100, 64x64x3) and
     * one M training step (B 100 x T 100, LSTM 256, z 32, 5 mixtures), latte (1, 2 threads) vs the
     * same steps in PyTorch. Ops per second; ratios at one and at two threads.
     */
    static Suite worldModels() {
        return new Suite("worldmodels",
                "World Models paper sizes: one VAE train step (batch 100) and one MDN-RNN train step (100 x 100): latte vs PyTorch",
                "latte\\.bench\\.WorldModelsBench\\.",
                "op/s", 1,
                WorldModelsBench::work,
                p -> p.get("op"),
                List.of(new Suite.Column("latte", "latte"), new Suite.Column("latteX2", "latte x2")),
                new Suite.Ratio("latte", "PyTorch"),
                Map.of("op", WorldModelsBench.QUICK_OPS),
                List.of(),
                new Suite.QuickRun(2, 3),
                List.of(new Suite.Ratio("latte x2", "PyTorch x2")));
    }
}
