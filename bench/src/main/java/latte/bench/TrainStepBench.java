package latte.bench;

import latte.core.Rng;
import latte.models.config.ConfigCodec;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerLearner;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.replay.Batch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One whole training step of the {@code cpu} presets, the unit a 20-minute Pendulum run spends
 * its time on. PlaNet ({@link PlanetLearner#trainStep}): a world-model step on B x T = 16 x 32
 * frames of 64 x 64 x 3 (encoder, RSSM filter, decoder, reward head, KL, backward, Adam), as the
 * preset runs it (two data-parallel shards) and unsharded (each op's loop split over the
 * threads instead). Dreamer ({@link DreamerLearner#trainStep}): the same world-model step, then
 * 2 actor and value updates imagined H = 15 steps from the 512 posterior states. On one and on
 * two threads; the ratio column is what the second core buys.
 *
 * <p>The batch is fixed random pixels, actions and rewards (a step's cost does not depend on
 * what the frames show), action size 1 (Pendulum). A step takes about a third of a second, so
 * each op is one single-shot sample; the first ten steps warm the JIT up. The JVM gets the flags
 * {@code ./latte train} runs with and the heap the JVM picks by itself, not the fixed pre-touched
 * heap of the other suites: a step allocates about half a gigabyte, and its young collections,
 * whose cost depends on the heap's sizing, are part of what a training run pays. Twenty single
 * shots scatter by +-10% here (a collection lands in some), and this host has slow phases:
 * compare settings in one run or in interleaved runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Threads(1)
public class TrainStepBench {
    @Param({"planet-cpu", "planet-cpu-unsharded", "dreamer-cpu"})
    public String op;

    /** {@code ./latte bench trainstep --quick}: every op (see {@link Suites#trainStep()}). */
    static final String[] QUICK_OPS = {"planet-cpu", "planet-cpu-unsharded", "dreamer-cpu"};

    private java.util.function.Supplier<Object> step;

    @Setup(Level.Trial)
    public void setup() {
        Rng rng = new Rng(7);
        switch (op) {
            case "planet-cpu", "planet-cpu-unsharded" -> {
                PlanetConfig c = PlanetConfig.cpu();
                if (op.endsWith("unsharded")) c = ConfigCodec.with(c, "loop.shards", 1);
                PlanetLearner learner = new PlanetLearner(c, 1, 1);
                Batch batch = PlanetBench.syntheticBatch(c.loop().chunk(), c.loop().batch(), 1, new SplittableRandom(5));
                step = () -> learner.trainStep(batch, rng);
            }
            case "dreamer-cpu" -> {
                DreamerConfig c = DreamerConfig.cpu();
                DreamerLearner learner = new DreamerLearner(c, 1, false, 1);
                Batch batch = PlanetBench.syntheticBatch(c.loop().chunk(), c.loop().batch(), 1, new SplittableRandom(5));
                for (int i = 0; i < batch.reward().length; i++) batch.reward()[i] *= -16;   // Pendulum's reward range
                step = () -> learner.trainStep(batch, rng);
            }
            default -> throw new IllegalArgumentException("TrainStepBench: unknown op '" + op
                    + "', expected planet-cpu, planet-cpu-unsharded or dreamer-cpu");
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xss8m", "-XX:+UseParallelGC", "-Dlatte.threads=1"})
    public Object latte() {
        return step.get();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xss8m", "-XX:+UseParallelGC", "-Dlatte.threads=2"})
    public Object latteX2() {
        return step.get();
    }

    /** Rows are named by the op; one op is one training step (the table shows steps/s). */
    static double work(Map<String, String> params) {
        return 1.0;
    }
}
