package latte.envs;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Base of every task: owns the physical state, the seeded generator, the step counter and the
 * canvas, and checks actions before a subclass sees them. A subclass supplies the physics
 * ({@link #advance}), the initial-state distribution ({@link #initialize}), the observation and
 * the drawing. Tasks never truncate: time limits are the {@link TimeLimit} wrapper's job
 * ({@link Envs#make} adds it with {@link #defaultEpisodeSteps()}).
 */
public abstract class Task implements BaseEnv {
    /** The physical state, in the order of {@link #stateNames()}. */
    protected final double[] state;
    protected final Canvas canvas;
    private final String name;
    private RandomGenerator rng;
    private boolean started;
    private boolean terminated;
    private int elapsed;
    private byte[] background;

    protected Task(String name, int stateSize, int width, int height) {
        if (width < 8 || height < 8 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException(name + ": render size " + width + "x" + height + ", expected 8..4096 per side");
        }
        this.name = name;
        this.state = new double[stateSize];
        this.canvas = new Canvas(width, height);
    }

    @Override
    public final String name() {
        return name;
    }

    /** Names of the entries of the physical state (what {@code envs trace --state} takes). */
    public abstract String[] stateNames();

    /** Episode length of the original task, in task steps. */
    @Override
    public abstract int defaultEpisodeSteps();

    @Override
    public abstract String source();

    /** Seconds of simulated time per {@link #step}. */
    public abstract double controlTimestep();

    /** Samples the initial physical state into {@link #state}. */
    protected abstract void initialize(RandomGenerator rng);

    /**
     * Applies a checked action (right length, finite; a discrete index is integral and in range)
     * and returns the reward of the transition.
     */
    protected abstract double advance(float[] action);

    /** Whether the current state is terminal (most dm_control tasks never terminate). */
    protected boolean isTerminal() {
        return false;
    }

    /** The observation of the current state. */
    protected abstract float[] observe();

    /** Draws the static part of the scene (sky, floor, walls) once; copied under every frame. */
    protected abstract void drawBackground(Canvas c);

    /** Draws the moving bodies over the background. */
    protected abstract void drawBodies(Canvas c);

    @Override
    public final Reset reset(long seed) {
        rng = new SplittableRandom(seed);
        return begin();
    }

    @Override
    public final Reset reset() {
        if (rng == null) rng = new SplittableRandom(0);
        return begin();
    }

    private Reset begin() {
        Arrays.fill(state, 0);
        initialize(rng);
        started = true;
        terminated = false;
        elapsed = 0;
        return new Reset(new Observation.State(observe()), info());
    }

    @Override
    public final Step step(float[] action) {
        if (!started) throw new IllegalStateException(name + ": step before reset; call reset(seed) first");
        if (terminated) throw new IllegalStateException(name + ": step after the episode terminated; call reset()");
        checkAction(action);
        double reward = advance(action);
        elapsed++;
        terminated = isTerminal();
        return new Step(new Observation.State(observe()), reward, terminated, false, info());
    }

    /**
     * Checks an action against {@link #actionSpec()}: right length, finite, and for a discrete
     * space an integer index in range. Throws an {@link IllegalArgumentException} that names the
     * task and the problem. (Box bounds are not enforced: the tasks clip, as the originals do.)
     */
    public final void checkAction(float[] action) {
        actionSpec().checkAction(name, action);
    }

    private Info info() {
        return new Info(state.clone(), elapsed);
    }

    /**
     * The generator of the current episode, for tasks whose dynamics are random (the windy point
     * mass draws its wind from it, so a seed fixes the wind as it fixes the initial state).
     */
    protected final RandomGenerator random() {
        return rng;
    }

    /** Steps taken since the last reset. */
    public final int elapsedSteps() {
        return elapsed;
    }

    /** A copy of the physical state. */
    public final double[] physicsState() {
        return state.clone();
    }

    /**
     * Sets the physical state (e.g. to replay a trajectory by hand) and returns the matching
     * observation. Starts an episode at that state if none is running.
     */
    public final Observation.State setPhysicsState(double[] s) {
        if (s.length != state.length) {
            throw new IllegalArgumentException(name + ": state has length " + s.length + ", expected " + state.length + " " + Arrays.toString(stateNames()));
        }
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) throw new IllegalArgumentException(name + ": state[" + i + "] (" + stateNames()[i] + ") = " + s[i] + ", expected a finite value");
        }
        System.arraycopy(s, 0, state, 0, s.length);
        if (rng == null) rng = new SplittableRandom(0);
        started = true;
        terminated = isTerminal();
        elapsed = 0;
        return new Observation.State(observe());
    }

    @Override
    public final Frame render() {
        if (background == null) {
            drawBackground(canvas);
            background = canvas.pixels().clone();
        }
        canvas.copyFrom(background);
        drawBodies(canvas);
        return new Frame(canvas.height(), canvas.width(), 3, canvas.pixels().clone());
    }

    @Override
    public final void renderInto(byte[] out) {
        if (out.length != canvas.pixels().length) {
            throw new IllegalArgumentException(name + ": renderInto buffer has " + out.length + " bytes, expected " + canvas.pixels().length);
        }
        if (background == null) render();
        canvas.copyFrom(background);
        drawBodies(canvas);
        System.arraycopy(canvas.pixels(), 0, out, 0, out.length);
    }

    @Override
    public final int[] renderSize() {
        return new int[] {canvas.height(), canvas.width()};
    }

    @Override
    public final Task unwrapped() {
        return this;
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- helpers shared by the tasks ----

    static float clip(float v, float lo, float hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }

    static double clip(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }

    /** Uniform sample in {@code [lo, hi)}. */
    static double uniform(RandomGenerator rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
