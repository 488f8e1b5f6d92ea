package latte.envs;

import java.util.random.RandomGenerator;

/**
 * dm_control's reacher ({@code suite/reacher.py}, {@code reacher.xml}): a planar two-link arm
 * (links 0.12 m; hand capsule 0.1 m with the finger sphere at 0.12 m; radii 0.01, density 1000)
 * reaching a target at radius U(.05, .20), angle U(0, 2 pi). Joint damping 0.01, gear 0.05,
 * u in [-1, 1]^2, wrist limited to +-160 degrees, no gravity in the plane.
 *
 * <p>Physics: MuJoCo's semi-implicit Euler with implicit damping, timestep 0.02 s, 1000 steps:
 * <pre>
 *   M(q) q'' = 0.05 u + c(q, q') - b q'      c = [h (2 q1' q2' + q2'^2), -h q1'^2], h = m2 L1 c2 sin q2
 *   q'_{t+1} = q'_t + dt (M + dt b)^{-1} (0.05 u + c - b q'_t),   q_{t+1} = q_t + dt q'_{t+1}
 * </pre>
 * The wrist stop is inelastic (impulse through M zeroing the outward wrist speed).
 *
 * <p>State: {@code [shoulder, wrist, shoulder', wrist', target_x, target_y]}. Observation (6):
 * {@code [shoulder, wrist, to_target_x, to_target_y, shoulder', wrist']}. Reward: 1 if the
 * finger-target distance is at most target radius + finger radius (easy .05 + .01, hard
 * .015 + .01).
 */
public final class Reacher extends Task {
    static final double DT = 0.02, L1 = 0.12, FINGER = 0.12, RADIUS = 0.01, GEAR = 0.05;
    static final double WRIST_LIMIT = Math.toRadians(160);
    // Link 1: the arm capsule. Link 2: the hand capsule plus the finger sphere.
    static final double M1 = Inertia.capsuleMass(1000, RADIUS, L1);
    static final double C1 = L1 / 2;
    static final double I1 = Inertia.capsulePerpendicular(M1, RADIUS, L1);
    static final double MH = Inertia.capsuleMass(1000, RADIUS, 0.1), MF = Inertia.sphereMass(1000, RADIUS);
    static final double M2 = MH + MF;
    static final double C2 = (MH * 0.05 + MF * FINGER) / M2;
    static final double I2 = Inertia.capsulePerpendicular(MH, RADIUS, 0.1) + MH * (0.05 - C2) * (0.05 - C2)
            + 0.4 * MF * RADIUS * RADIUS + MF * (FINGER - C2) * (FINGER - C2);

    private final double targetRadius, damping;

    Reacher(String name, double targetRadius, int width, int height) {
        this(name, targetRadius, 0.01, width, height);
    }

    Reacher(String name, double targetRadius, double damping, int width, int height) {
        super(name, 6, width, height);
        this.targetRadius = targetRadius;
        this.damping = damping;
    }

    @Override
    public String[] stateNames() {
        return new String[] {"shoulder", "wrist", "shoulder_dot", "wrist_dot", "target_x", "target_y"};
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
        return "dm_control reacher." + (targetRadius > 0.03 ? "easy" : "hard");
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-1, 1, 2);
    }

    @Override
    public Space observationSpec() {
        return Space.Box.uniform(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 6);
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        state[0] = uniform(rng, -Math.PI, Math.PI);
        state[1] = uniform(rng, -WRIST_LIMIT, WRIST_LIMIT);
        double angle = uniform(rng, 0, 2 * Math.PI), radius = uniform(rng, 0.05, 0.20);
        state[4] = radius * Math.sin(angle);
        state[5] = radius * Math.cos(angle);
    }

    @Override
    protected double advance(float[] action) {
        double u1 = GEAR * clip(action[0], -1f, 1f), u2 = GEAR * clip(action[1], -1f, 1f);
        double q2 = state[1], v1 = state[2], v2 = state[3];
        double cos2 = Math.cos(q2), h = M2 * L1 * C2 * Math.sin(q2);
        double m11 = I1 + M1 * C1 * C1 + I2 + M2 * (L1 * L1 + C2 * C2 + 2 * L1 * C2 * cos2);
        double m12 = I2 + M2 * (C2 * C2 + L1 * C2 * cos2);
        double m22 = I2 + M2 * C2 * C2;
        double f1 = u1 + h * (2 * v1 * v2 + v2 * v2) - damping * v1;
        double f2 = u2 - h * v1 * v1 - damping * v2;
        double a11 = m11 + DT * damping, a22 = m22 + DT * damping, det = a11 * a22 - m12 * m12;
        v1 += DT * (a22 * f1 - m12 * f2) / det;
        v2 += DT * (a11 * f2 - m12 * f1) / det;
        state[0] += DT * v1;
        state[1] += DT * v2;
        state[2] = v1;
        state[3] = v2;
        if (Math.abs(state[1]) > WRIST_LIMIT) {
            state[1] = Math.copySign(WRIST_LIMIT, state[1]);
            if (state[3] * state[1] > 0) {
                // impulse on the wrist only: dv = M^{-1} e2 lambda with dv2 = -v2
                double det0 = m11 * m22 - m12 * m12;
                double inv12 = -m12 / det0, inv22 = m11 / det0;
                double lambda = -state[3] / inv22;
                state[2] += inv12 * lambda;
                state[3] = 0;
            }
        }
        return reward();
    }

    double fingerX() {
        return L1 * Math.cos(state[0]) + FINGER * Math.cos(state[0] + state[1]);
    }

    double fingerY() {
        return L1 * Math.sin(state[0]) + FINGER * Math.sin(state[0] + state[1]);
    }

    double reward() {
        double dx = state[4] - fingerX(), dy = state[5] - fingerY();
        return Rewards.tolerance(Math.sqrt(dx * dx + dy * dy), 0, targetRadius + RADIUS, 0);
    }

    /** Kinetic energy (there is no potential in the horizontal plane). */
    double energy() {
        double v1 = state[2], v2 = state[3], cos2 = Math.cos(state[1]);
        double m11 = I1 + M1 * C1 * C1 + I2 + M2 * (L1 * L1 + C2 * C2 + 2 * L1 * C2 * cos2);
        double m12 = I2 + M2 * (C2 * C2 + L1 * C2 * cos2);
        double m22 = I2 + M2 * C2 * C2;
        return 0.5 * (m11 * v1 * v1 + 2 * m12 * v1 * v2 + m22 * v2 * v2);
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) state[0], (float) state[1], (float) (state[4] - fingerX()), (float) (state[5] - fingerY()),
                (float) state[2], (float) state[3]};
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 0, 0.32);
        c.topFloor(0.1);
        c.capsule(-0.3, -0.3, 0.3, -0.3, 0.01, Palette.DECORATION);
        c.capsule(0.3, -0.3, 0.3, 0.3, 0.01, Palette.DECORATION);
        c.capsule(0.3, 0.3, -0.3, 0.3, 0.01, Palette.DECORATION);
        c.capsule(-0.3, 0.3, -0.3, -0.3, 0.01, Palette.DECORATION);
    }

    @Override
    protected void drawBodies(Canvas c) {
        double q1 = state[0], q12 = state[0] + state[1];
        double ex = L1 * Math.cos(q1), ey = L1 * Math.sin(q1);
        c.disc(state[4], state[5], targetRadius, Palette.TARGET);
        c.capsule(0, 0, ex, ey, RADIUS, Palette.SELF);
        c.capsule(ex, ey, ex + 0.1 * Math.cos(q12), ey + 0.1 * Math.sin(q12), RADIUS, Palette.SELF);
        c.disc(0, 0, 0.011, Palette.DECORATION);
        c.disc(ex + FINGER * Math.cos(q12), ey + FINGER * Math.sin(q12), RADIUS, Palette.EFFECTOR);
    }
}
