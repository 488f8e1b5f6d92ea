package latte.bench;

import latte.autodiff.Var;
import latte.autodiff.optim.Adam;
import latte.core.Rng;
import latte.models.worldmodels.MdnRnn;
import latte.models.worldmodels.Vae;
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
 * World Models' two gradient-trained parts at the paper's CarRacing sizes, one and two threads:
 * <ul>
 *   <li>{@code op=vae}: one {@link Vae#trainStep} on a batch of 100 frames 64x64x3 in [0, 1]:
 *       encoder (conv 32, 64, 128, 256 k4 s2 ReLU), μ and log σ² (z = 32), a reparameterised
 *       sample, decoder (dense 1024, deconv 128 k5, 64 k5, 32 k6 ReLU, 3 k6 sigmoid), the loss
 *       (sum of squared pixel errors + max(KL, 0.5 z), batch means), backward, Adam (1e-4) on all
 *       4.35M parameters.</li>
 *   <li>{@code op=mdnrnn}: one {@link MdnRnn#trainStep} on B 100 x T 100 transitions: z sampled
 *       from V's (μ, σ) of T + 1 frames, the LSTM 256 over [z, a] (z 32, 3 actions) as one fused
 *       sequence op, the MDN head (5 Gaussians per latent dimension: 480 outputs) with its
 *       log-likelihood through logsumexp, reward (MSE) and done (BCE) heads, backward through
 *       time, gradients clipped by value to 1, Adam (1e-3).</li>
 * </ul>
 * Data come from fixed seeds (uniform random pixels; μ standard normal, σ in (0.05, 0.5),
 * actions U(-1, 1), rewards U(0, 1), 5% dones). The PyTorch peer
 * ({@code bench/peers/torch_worldmodels.py}) times the same two steps on the same sizes with
 * {@code nn.Conv2d} / {@code nn.ConvTranspose2d} (NCHW) and {@code nn.LSTM}. One op takes
 * hundreds of milliseconds, so each op is one single-shot sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Threads(1)
public class WorldModelsBench {
    static final int BATCH = 100, STEPS = 100;

    @Param({"vae", "mdnrnn"})
    public String op;

    /** {@code ./latte bench worldmodels --quick}: both ops, fewer samples (see {@link Suites#worldModels()}). */
    static final String[] QUICK_OPS = {"vae", "mdnrnn"};

    private Rng rng;
    private Vae vae;
    private Adam adam;
    private Var frames;
    private MdnRnn m;
    private float[] mu, sigma, actions, rewards, dones;

    @Setup(Level.Trial)
    public void setup() {
        rng = new Rng(2);
        SplittableRandom r = new SplittableRandom(3);
        if (op.equals("vae")) {
            vae = new Vae(Vae.Size.paper(), Vae.KL_TOLERANCE, new Rng(1));
            adam = new Adam(vae.store(), Adam.Config.of(1e-4));
            float[] f = new float[BATCH * 64 * 64 * 3];
            for (int i = 0; i < f.length; i++) f[i] = r.nextInt(256) / 255f;
            frames = Var.of(f, BATCH, 64, 64, 3);
            return;
        }
        MdnRnn.Size s = MdnRnn.Size.paper();
        m = new MdnRnn(s, new Rng(1));
        adam = new Adam(m.store(), Adam.Config.of(1e-3));
        int z = (STEPS + 1) * BATCH * s.latent(), n = STEPS * BATCH;
        mu = new float[z];
        sigma = new float[z];
        actions = new float[n * s.actions()];
        rewards = new float[n];
        dones = new float[n];
        new Rng(4).fillNormal(mu, 0, z, 0, 1);
        for (int i = 0; i < z; i++) sigma[i] = (float) (0.05 + 0.45 * r.nextDouble());
        for (int i = 0; i < actions.length; i++) actions[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < n; i++) {
            rewards[i] = (float) r.nextDouble();
            dones[i] = r.nextDouble() < 0.05 ? 1 : 0;
        }
    }

    private Object run() {
        if (op.equals("vae")) return vae.trainStep(frames, adam, rng);
        MdnRnn.Sequences s = MdnRnn.sequences(STEPS, BATCH, m.size().latent(), mu, sigma, actions, rewards, dones, rng);
        return m.trainStep(s, MdnRnn.Weights.all(), adam, 1.0);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-Dlatte.threads=1"})
    public Object latte() {
        return run();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-Dlatte.threads=2"})
    public Object latteX2() {
        return run();
    }

    /** Rows are named by the op; one op is one unit of work (the table shows ops/s). */
    static double work(Map<String, String> params) {
        return 1.0;
    }
}
