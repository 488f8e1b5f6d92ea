package latte.envs;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code Pendulum-v1} ({@code classic_control/pendulum.py}): g = 10, m = 1, l = 1,
 * dt = 0.05, torque clipped to [-2, 2], speed clipped to [-8, 8]; 200 steps (time limit).
 * <pre>
 *   reward     = -(norm(th)^2 + 0.1 th'^2 + 0.001 u^2),  norm(th) = ((th + pi) mod 2 pi) - pi
 *   th'_{t+1}  = clip(th' + (3 g / (2 l) sin th + 3 / (m l^2) u) dt, -8, 8)
 *   th_{t+1}   = th + th'_{t+1} dt
 * </pre>
 * The reward is computed from the state before the step. Initial state th ~ U(-pi, pi),
 * th' ~ U(-1, 1). Observation (3): {@code [cos th, sin th, th']}; never terminates.
 *
 * <p>{@link Scalable}: mass scales m, length l (and the drawn rod), gravity g, in the formula above.
 */
public final class PendulumV1 extends Task implements Scalable {
    static final double DT = 0.05, G = 10, M = 1, L = 1, MAX_SPEED = 8, MAX_TORQUE = 2;

    private final Scales scales = new Scales(name(),
            Map.of(Constant.MASS, "the rod's mass m", Constant.GRAVITY, "gravity g", Constant.LENGTH, "the rod's length l"));
    /** The constants in force: the originals times the factors of {@link #scales}. */
    private double g = G, m = M, l = L;

    PendulumV1(int width, int height) {
        super("Pendulum-v1", 2, width, height);
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
        g = G * scales.get(Constant.GRAVITY);
        m = M * scales.get(Constant.MASS);
        l = L * scales.get(Constant.LENGTH);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"theta", "theta_dot"};
    }

    @Override
    public int defaultEpisodeSteps() {
        return 200;
    }

    @Override
    public double controlTimestep() {
        return DT;
    }

    @Override
    public String source() {
        return "Gymnasium Pendulum-v1";
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-2, 2, 1);
    }

    @Override
    public Space observationSpec() {
        return Space.Box.of(new float[] {-1, -1, -8}, new float[] {1, 1, 8});
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        state[0] = uniform(rng, -Math.PI, Math.PI);
        state[1] = uniform(rng, -1, 1);
    }

    /** Python's {@code ((x + pi) % (2 pi)) - pi}: the float modulo takes the divisor's sign. */
    static double angleNormalize(double x) {
        double y = x + Math.PI, m = 2 * Math.PI;
        return y - m * Math.floor(y / m) - Math.PI;
    }

    @Override
    protected double advance(float[] action) {
        double u = clip(action[0], (float) -MAX_TORQUE, (float) MAX_TORQUE);
        double th = state[0], thd = state[1];
        double n = angleNormalize(th);
        double cost = n * n + 0.1 * thd * thd + 0.001 * u * u;
        double newThd = clip(thd + (3 * g / (2 * l) * Math.sin(th) + 3.0 / (m * l * l) * u) * DT, -MAX_SPEED, MAX_SPEED);
        state[0] = th + newThd * DT;
        state[1] = newThd;
        return -cost;
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) Math.cos(state[0]), (float) Math.sin(state[0]), (float) state[1]};
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 0, 1.25);
        c.fill(Palette.LIGHT);
    }

    @Override
    protected void drawBodies(Canvas c) {
        double th = state[0];
        // Gymnasium draws the rod at angle th + pi/2 from the x axis: the tip is at (-sin th, cos th).
        double tx = -l * Math.sin(th), ty = l * Math.cos(th);
        c.capsule(0, 0, tx, ty, 0.1, Canvas.rgb(0.8, 0.3, 0.3));
        c.disc(0, 0, 0.05, Palette.DARK);
    }
}
