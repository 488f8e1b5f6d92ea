package latte.envs;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A risk task: dm_control's point mass (0.3 kg, damping 1, gear 0.1, u in [-1, 1]^2, box
 * +-0.29 m, timestep 0.02 s, 1000 steps) must go from the bottom of the box to a target at the
 * top, and the straight way crosses a horizontal strip of gusty wind; the strip stops short of
 * the right wall, so a detour through the gap on the right is calm but longer. A planner that
 * maximises the mean return goes straight; one that maximises a low quantile of the return
 * (CVaR) should take the detour. Not a dm_control task: written for Latte's risk experiments.
 *
 * <p>Layout (metres): start at {@code (U(-.05, .05), -0.2 + U(-.02, .02))} at rest; target
 * radius 0.03 at {@code (0, 0.2)}; wind strip {@code y in [-0.06, 0.06]}, {@code x <= 0.12}
 * (the gap is {@code 0.12 < x <= 0.29}).
 *
 * <p>Physics per axis, as {@link PointMass}: {@code v' = v + dt (0.1 u + w - v) / (m + dt)},
 * {@code x' = x + dt v'}, inelastic walls. The wind {@code w} is zero outside the strip; inside
 * it (judged at the position before the step) each axis gets an independent
 * {@code N(0, 2^2)} newtons every step, drawn from the episode's generator (twenty times the
 * motor's largest force, so it can carry the mass back out of the strip or against a wall).
 *
 * <p>Observation (4): {@code [x, y, x', y']}. Reward after the step, dm_control style:
 * {@code tol(|p - target|, (0, .03), margin=.03) * (4 + mean_i tol(u_i, margin=1, quadratic, 0)) / 5}.
 * {@link Scalable}: mass.
 */
public final class WindyPointMass extends Task implements Scalable {
    static final double DT = 0.02, MASS = 0.3, GEAR = 0.1, DAMPING = 1, RANGE = 0.29;
    static final double START_Y = -0.2, TARGET_Y = 0.2, TARGET = 0.03;
    static final double STRIP_BOTTOM = -0.06, STRIP_TOP = 0.06, STRIP_RIGHT = 0.12, WIND = 2.0;
    static final int STRIP_RGB = Canvas.rgb(0.55, 0.75, 0.9);
    private final Scales scales = new Scales(name(), Map.of(Constant.MASS, "the mass"));
    private double mass = MASS;
    private final double[] wind = new double[2];

    WindyPointMass(int width, int height) {
        super("point-mass-windy", 4, width, height);
    }

    @Override
    public Map<Constant, String> scalable() {
        return scales.meaning();
    }

    @Override
    public double scale(Constant constant) {
        return scales.get(constant);
    }

    @Override
    public void setScale(Constant constant, double factor) {
        scales.set(constant, factor);
        mass = MASS * scales.get(Constant.MASS);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"x", "y", "x_dot", "y_dot"};
    }

    @Override
    public int defaultEpisodeSteps() {
        return 1000;
    }

    @Override
    public double controlTimestep() {
        return DT;
    }

    @Override
    public String source() {
        return "Latte: point mass with a strip of random wind (risk task)";
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-1, 1, 2);
    }

    @Override
    public Space observationSpec() {
        return Space.Box.uniform(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 4);
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        state[0] = uniform(rng, -0.05, 0.05);
        state[1] = START_Y + uniform(rng, -0.02, 0.02);
    }

    /** Whether the point {@code (x, y)} is inside the wind strip. */
    static boolean inStrip(double x, double y) {
        return y >= STRIP_BOTTOM && y <= STRIP_TOP && x <= STRIP_RIGHT;
    }

    /** The wind force of the last step, {@code {wx, wy}} in newtons (zero outside the strip). */
    public double[] lastWind() {
        return wind.clone();
    }

    @Override
    protected double advance(float[] action) {
        double u0 = clip(action[0], -1f, 1f), u1 = clip(action[1], -1f, 1f);
        if (inStrip(state[0], state[1])) {
            RandomGenerator rng = random();
            wind[0] = WIND * rng.nextGaussian();
            wind[1] = WIND * rng.nextGaussian();
        } else {
            wind[0] = 0;
            wind[1] = 0;
        }
        axis(0, GEAR * u0 + wind[0]);
        axis(1, GEAR * u1 + wind[1]);
        return reward(u0, u1);
    }

    private void axis(int i, double force) {
        double v = state[2 + i];
        v += DT * (force - DAMPING * v) / (mass + DT * DAMPING);
        double x = state[i] + DT * v;
        if (Math.abs(x) > RANGE) {
            x = Math.copySign(RANGE, x);
            if (v * x > 0) v = 0;
        }
        state[i] = x;
        state[2 + i] = v;
    }

    double reward(double u0, double u1) {
        double dist = Math.hypot(state[0], state[1] - TARGET_Y);
        double near = Rewards.tolerance(dist, 0, TARGET, TARGET);
        double control = (Rewards.tolerance(u0, 0, 0, 1, Rewards.Sigmoid.QUADRATIC, 0)
                + Rewards.tolerance(u1, 0, 0, 1, Rewards.Sigmoid.QUADRATIC, 0)) / 2;
        return near * (4 + control) / 5;
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) state[0], (float) state[1], (float) state[2], (float) state[3]};
    }

    /** Top view of the +-0.3 m box: the grid floor, the walls, the pale blue strip with darker gust streaks, the target. */
    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 0, 0.32);
        c.topFloor(0.1);
        double left = -0.3, mid = (left + STRIP_RIGHT) / 2, halfW = (STRIP_RIGHT - left) / 2, halfH = (STRIP_TOP - STRIP_BOTTOM) / 2;
        double cy = (STRIP_TOP + STRIP_BOTTOM) / 2;
        c.box(mid, cy, halfW, halfH, 0, STRIP_RGB);
        for (double x = -0.24; x < STRIP_RIGHT - 0.04; x += 0.09) {
            c.line(x, cy - 0.02, x + 0.05, cy + 0.02, 1.0, Palette.DECORATION);
        }
        c.capsule(-0.3, -0.3, 0.3, -0.3, 0.01, Palette.DECORATION);
        c.capsule(0.3, -0.3, 0.3, 0.3, 0.01, Palette.DECORATION);
        c.capsule(0.3, 0.3, -0.3, 0.3, 0.01, Palette.DECORATION);
        c.capsule(-0.3, 0.3, -0.3, -0.3, 0.01, Palette.DECORATION);
        c.disc(0, TARGET_Y, TARGET, Palette.TARGET);
    }

    @Override
    protected void drawBodies(Canvas c) {
        c.disc(state[0], state[1], 0.015, Palette.SELF);
    }
}
