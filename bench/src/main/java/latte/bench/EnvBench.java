package latte.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import latte.envs.BaseEnv;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Space;
import latte.envs.Step;
import latte.envs.Task;
import latte.envs.minatar.GridPicture;
import latte.envs.minatar.MinAtarGame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Environment throughput on one thread, per task: {@code step} is state-only stepping of the bare
 * task (random actions, reset on termination; for a MinAtar game a grid step: sticky draw, rules,
 * a new {@code Observation.Grid}), {@code render} draws a 64x64 frame into a reused buffer (a
 * MinAtar game paints one of 64 recorded grids), {@code pixelStep} is one step of
 * {@code Envs.make(name, pixels)} (time limit, step, render, a new frame per step: what a pixel
 * agent pays).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class EnvBench {
    @Param({"cartpole-swingup", "cartpole-balance", "cartpole-swingup-sparse", "pendulum-swingup", "reacher-easy",
            "reacher-hard", "point-mass-easy", "Pendulum-v1", "MountainCarContinuous-v0", "CartPole-v1", "Acrobot-v1",
            "MinAtar/Breakout", "MinAtar/Asterix", "MinAtar/Freeway", "MinAtar/Seaquest", "MinAtar/SpaceInvaders"})
    public String env;

    /** The workloads of {@code ./latte bench env --quick}. */
    static final String[] QUICK_ENVS = {"cartpole-swingup", "pendulum-swingup", "reacher-easy", "point-mass-easy",
            "Pendulum-v1", "CartPole-v1", "Acrobot-v1"};

    private BaseEnv bare;
    private Task task; // null for a MinAtar game
    private GridPicture picture; // null for a physics task
    private Env pixels;
    private float[][] actions;
    private double[][] states;
    private byte[][] grids;
    private byte[] buffer;
    private int i;

    @Setup
    public void setup() {
        bare = Envs.bare(env, 64, 64);
        task = bare instanceof Task t ? t : null;
        pixels = Envs.make(env, Envs.Options.defaults().withPixels(true));
        SplittableRandom r = new SplittableRandom(42);
        Space spec = bare.actionSpec();
        actions = new float[1024][];
        for (int k = 0; k < actions.length; k++) {
            if (spec instanceof Space.Discrete d) {
                actions[k] = new float[] {r.nextInt(d.n())};
            } else {
                Space.Box b = (Space.Box) spec;
                actions[k] = new float[b.size()];
                for (int j = 0; j < b.size(); j++) actions[k][j] = (float) r.nextDouble(b.low()[j], b.high()[j]);
            }
        }
        // states (grids) met along random episodes, so render draws varied scenes
        states = new double[64][];
        grids = new byte[64][];
        bare.reset(1);
        for (int k = 0; k < states.length; k++) {
            for (int j = 0; j < 7; j++) {
                if (bare.step(actions[(k * 7 + j) & 1023]).terminated()) bare.reset();
            }
            if (task != null) states[k] = task.physicsState();
            else grids[k] = ((MinAtarGame) bare).grid().cells();
        }
        if (task == null) picture = new GridPicture(grids[0].length / 100, 64, 64);
        buffer = new byte[64 * 64 * 3];
        bare.reset(0);
        pixels.reset(0);
    }

    @Benchmark
    public double step() {
        Step s = bare.step(actions[i++ & 1023]);
        if (s.terminated()) bare.reset();
        return s.reward();
    }

    @Benchmark
    public byte[] render() {
        if (task == null) {
            picture.paint(grids[i++ & 63], buffer);
            return buffer;
        }
        task.setPhysicsState(states[i++ & 63]);
        task.renderInto(buffer);
        return buffer;
    }

    @Benchmark
    public Object pixelStep() {
        Step s = pixels.step(actions[i++ & 1023]);
        if (s.done()) pixels.reset();
        return s.observation();
    }
}
