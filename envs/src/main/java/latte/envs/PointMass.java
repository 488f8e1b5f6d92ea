package latte.envs;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * dm_control's point_mass easy ({@code suite/point_mass.py}, {@code point_mass.xml}): a 0.3 kg
 * mass on two slide joints (range +-0.29 m, damping 1) driven by two motors (gear 0.1,
 * u in [-1, 1]^2); the target is a sphere of radius 0.015 at the origin.
 *
 * <p>Physics per axis, semi-implicit Euler with implicit damping, timestep 0.02 s, 1000 steps:
 * {@code v' = v + dt (0.1 u - v) / (m + dt)}, {@code x' = x + dt v'}; the joint range is an
 * inelastic stop. Initial position U(-.29, .29)^2, velocity 0.
 *
 * <p>Observation (4): {@code [x, y, x', y']}. Reward:
 * {@code tol(|p|, (0, .015), margin=.015) * (4 + mean_i tol(u_i, margin=1, quadratic, 0)) / 5}.
 *
 * <p>{@link Scalable}: mass scales m (there is no gravity in the plane and no length).
 */
public final class PointMass extends Task implements Scalable {
    static final double DT = 0.02, MASS = 0.3, GEAR = 0.1, RANGE = 0.29, TARGET = 0.015;
    private final double damping;
    private final Scales scales = new Scales(name(), Map.of(Constant.MASS, "the mass"));
    private double mass = MASS;

    PointMass(int width, int height) {
        this(1.0, width, height);
    }

    PointMass(double damping, int width, int height) {
        super("point-mass-easy", 4, width, height);
        this.damping = damping;
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
        return "dm_control point_mass.easy";
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
        state[0] = uniform(rng, -RANGE, RANGE);
        state[1] = uniform(rng, -RANGE, RANGE);
    }

    @Override
    protected double advance(float[] action) {
        double u0 = clip(action[0], -1f, 1f), u1 = clip(action[1], -1f, 1f);
        axis(0, u0);
        axis(1, u1);
        return reward(u0, u1);
    }

    private void axis(int i, double u) {
        double v = state[2 + i];
        v += DT * (GEAR * u - damping * v) / (mass + DT * damping);
        double x = state[i] + DT * v;
        if (Math.abs(x) > RANGE) {
            x = Math.copySign(RANGE, x);
            if (v * x > 0) v = 0;
        }
        state[i] = x;
        state[2 + i] = v;
    }

    double reward(double u0, double u1) {
        double dist = Math.hypot(state[0], state[1]);
        double near = Rewards.tolerance(dist, 0, TARGET, TARGET);
        double control = (Rewards.tolerance(u0, 0, 0, 1, Rewards.Sigmoid.QUADRATIC, 0)
                + Rewards.tolerance(u1, 0, 0, 1, Rewards.Sigmoid.QUADRATIC, 0)) / 2;
        return near * (4 + control) / 5;
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) state[0], (float) state[1], (float) state[2], (float) state[3]};
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 0, 0.32);
        c.topFloor(0.1);
        c.capsule(-0.3, -0.3, 0.3, -0.3, 0.01, Palette.DECORATION);
        c.capsule(0.3, -0.3, 0.3, 0.3, 0.01, Palette.DECORATION);
        c.capsule(0.3, 0.3, -0.3, 0.3, 0.01, Palette.DECORATION);
        c.capsule(-0.3, 0.3, -0.3, -0.3, 0.01, Palette.DECORATION);
        c.disc(0, 0, TARGET, Palette.TARGET);
    }

    @Override
    protected void drawBodies(Canvas c) {
        c.disc(state[0], state[1], 0.01, Palette.SELF);
    }
}
