package latte.bench;

import latte.core.Rng;
import latte.envs.Frame;
import latte.models.planet.PlanetAgent;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.replay.Batch;
import latte.models.world.RssmWorldModel;
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
 * PlaNet end to end at the published sizes ({@link PlanetConfig#paper()}), one and two threads:
 * <ul>
 *   <li>{@code op=train}: one {@link PlanetLearner#trainStep} on a fixed synthetic batch of
 *       B = 50 chunks of T = 50 steps, 64x64x3 frames: frame preprocessing, encoder on 2500
 *       frames, 50 filtering steps of the RSSM, decoder on 2500 feature vectors, reward MLP, the
 *       loss (0.5 sum of squared pixel errors, 10 x 0.5 squared reward error, max(KL, 3)), the
 *       backward pass, global-norm clip at 1000 and an Adam update of all 5.3M parameters.</li>
 *   <li>{@code op=plan}: one {@link PlanetAgent#act} on a 64x64x3 frame: the belief update
 *       (encoder, GRU, posterior) then CEM with 1000 candidates x horizon 12 x 10 iterations
 *       (top 100) in latent space, i.e. 120 batched prior + reward steps at batch 1000.</li>
 * </ul>
 * The action size is {@value #ACTIONS} (cheetah run's, the paper's largest). The thread count is
 * fixed per JVM ({@code latte.threads} is read once by {@code latte.core.Parallel}), so
 * {@code latte} and {@code latteX2} run in their own forks. Weights and data come from fixed
 * seeds; the PyTorch peer ({@code bench/peers/torch_planet.py}) times the same two operations
 * on the same sizes. One op takes seconds, so each op is one single-shot sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Threads(1)
public class PlanetBench {
    /** Action dimensions of the synthetic task (cheetah run). */
    static final int ACTIONS = 6;

    @Param({"train", "plan"})
    public String op;

    /** {@code ./latte bench planet --quick}: both ops, fewer samples (see {@link Suites#planet()}). */
    static final String[] QUICK_OPS = {"train", "plan"};

    private PlanetLearner learner;
    private Batch batch;
    private Rng rng;
    private PlanetAgent agent;
    private Frame frame;

    @Setup(Level.Trial)
    public void setup() {
        PlanetConfig c = PlanetConfig.paper();
        learner = new PlanetLearner(c, ACTIONS, 1);
        rng = new Rng(2);
        SplittableRandom r = new SplittableRandom(3);
        if (op.equals("train")) {
            batch = syntheticBatch(c.loop().chunk(), c.loop().batch(), ACTIONS, r);
        } else {
            agent = (PlanetAgent) learner.agent(0f, new Rng(4));
            byte[] px = new byte[64 * 64 * 3];
            for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
            frame = new Frame(64, 64, 3, px);
        }
    }

    /** T x B chunks of uniform random pixels, actions U(-1, 1), rewards U(0, 1). */
    static Batch syntheticBatch(int steps, int batch, int actions, SplittableRandom r) {
        int n = steps * batch;
        byte[] obs = new byte[n * 64 * 64 * 3];
        for (int i = 0; i < obs.length; i++) obs[i] = (byte) r.nextInt(256);
        float[] action = new float[n * actions], reward = new float[n], nonterminal = new float[n];
        for (int i = 0; i < action.length; i++) action[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < n; i++) {
            reward[i] = (float) r.nextDouble();
            nonterminal[i] = 1f;
        }
        return new Batch(steps, batch, RssmWorldModel.INPUT, actions, obs, action, reward, nonterminal);
    }

    private Object run() {
        return op.equals("train") ? learner.trainStep(batch, rng) : agent.act(frame);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-Dlatte.threads=1"})
    public Object latte() {
        return run();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-Dlatte.threads=2"})
    public Object latteX2() {
        return run();
    }

    /** Rows are named by the op; one op is one unit of work (the table shows ops/s). */
    static double work(Map<String, String> params) {
        return 1.0;
    }
}
