package latte.bench;

import latte.autodiff.Var;
import latte.core.Rng;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerLearner;
import latte.models.rssm.Rssm;
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
 * Dreamer's behaviour learning at the published sizes ({@link DreamerConfig#paper()}), one and
 * two threads: one {@link latte.models.dreamer.ActorCritic#update} from B x T = 50 x 50 = 2500 posterior
 * states (the world model is not updated):
 * <ul>
 *   <li>imagine H = 15 steps: actor 4 x 400 ELU on the stop-gradient features [h, s] (230),
 *       tanh-Normal sample, GRU 200 step on [s, a], prior 200 -> 2 x 30, reparameterised s;</li>
 *   <li>reward 2 x 400 and value 3 x 400 on all 15 x 2500 imagined features, lambda-returns
 *       (gamma 0.99, lambda 0.95, bootstrapped by the value at the last step);</li>
 *   <li>actor loss -mean of the discounted returns, backpropagated through the dynamics, clip 100,
 *       Adam (8e-5) on the actor;</li>
 *   <li>value loss on the stop-gradient features and returns, backward, clip 100, Adam (8e-5).</li>
 * </ul>
 * The action size is {@value #ACTIONS} (cheetah run's). Start states come from a fixed seed:
 * h uniform in (-1, 1) (a GRU state's range), s standard normal; the PyTorch peer
 * ({@code bench/peers/torch_dreamer.py}) times the same update on the same sizes. One op takes
 * seconds, so each op is one single-shot sample. The heap is fixed and pre-touched: the update
 * allocates gigabytes, and a growing heap would time page faults.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Threads(1)
public class DreamerBench {
    /** Action dimensions of the synthetic task (cheetah run). */
    static final int ACTIONS = 6;

    @Param({"behaviour"})
    public String op;

    /** {@code ./latte bench dreamer --quick}: the one op, fewer samples (see {@link Suites#dreamer()}). */
    static final String[] QUICK_OPS = {"behaviour"};

    private DreamerLearner learner;
    private Rssm.State start;
    private Rng rng;

    @Setup(Level.Trial)
    public void setup() {
        DreamerConfig c = DreamerConfig.paper();
        learner = new DreamerLearner(c, ACTIONS, false, 1);
        rng = new Rng(2);
        int n = c.loop().batch() * c.loop().chunk();                             // every posterior state of a batch
        var r = c.model().rssm();
        SplittableRandom sr = new SplittableRandom(3);
        float[] h = new float[n * r.deter()], s = new float[n * r.stateSize()];
        for (int i = 0; i < h.length; i++) h[i] = (float) (sr.nextDouble() * 2 - 1);
        Rng normal = new Rng(4);
        normal.fillNormal(s, 0, s.length, 0, 1);
        start = new Rssm.State(Var.of(h, n, r.deter()), Var.of(s, n, r.stateSize()));
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-Dlatte.threads=1"})
    public Object latte() {
        return learner.actorCritic().update(start, rng);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-Dlatte.threads=2"})
    public Object latteX2() {
        return learner.actorCritic().update(start, rng);
    }

    /** Rows are named by the op; one op is one unit of work (the table shows ops/s). */
    static double work(Map<String, String> params) {
        return 1.0;
    }
}
