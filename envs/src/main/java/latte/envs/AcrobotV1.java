package latte.envs;

import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code Acrobot-v1} ({@code classic_control/acrobot.py}, "book" dynamics): two
 * links (l = 1, m = 1, centre of mass 0.5, moment of inertia 1), g = 9.8, torque {-1, 0, 1}
 * on the second joint, one RK4 step of dt = 0.2 per action; angles wrapped to [-pi, pi],
 * speeds clipped to 4 pi and 9 pi. theta1 = 0 hangs down.
 * <pre>
 *   d1 = m1 lc1^2 + m2 (l1^2 + lc2^2 + 2 l1 lc2 cos th2) + I1 + I2,   d2 = m2 (lc2^2 + l1 lc2 cos th2) + I2
 *   phi2 = m2 lc2 g cos(th1 + th2 - pi/2)
 *   phi1 = -m2 l1 lc2 th2'^2 sin th2 - 2 m2 l1 lc2 th2' th1' sin th2 + (m1 lc1 + m2 l1) g cos(th1 - pi/2) + phi2
 *   th2'' = (a + d2/d1 phi1 - m2 l1 lc2 th1'^2 sin th2 - phi2) / (m2 lc2^2 + I2 - d2^2/d1)
 *   th1'' = -(d2 th2'' + phi1) / d1
 * </pre>
 * Terminates when {@code -cos th1 - cos(th1 + th2) > 1}; reward -1 per step, 0 on the
 * terminating step; 500 steps (time limit). Initial state U(-0.1, 0.1)^4.
 * Observation (6): {@code [cos th1, sin th1, cos th2, sin th2, th1', th2']}.
 */
public final class AcrobotV1 extends Task {
    static final double DT = 0.2, L1 = 1, M1 = 1, M2 = 1, LC1 = 0.5, LC2 = 0.5, I1 = 1, I2 = 1, G = 9.8;
    static final double MAX_VEL_1 = 4 * Math.PI, MAX_VEL_2 = 9 * Math.PI;
    private final double[] k1 = new double[4], k2 = new double[4], k3 = new double[4], k4 = new double[4], tmp = new double[4];

    AcrobotV1(int width, int height) {
        super("Acrobot-v1", 4, width, height);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"theta1", "theta2", "theta1_dot", "theta2_dot"};
    }

    @Override
    public int defaultEpisodeSteps() {
        return 500;
    }

    @Override
    public double controlTimestep() {
        return DT;
    }

    @Override
    public String source() {
        return "Gymnasium Acrobot-v1";
    }

    @Override
    public Space actionSpec() {
        return new Space.Discrete(3);
    }

    @Override
    public Space observationSpec() {
        float v1 = (float) MAX_VEL_1, v2 = (float) MAX_VEL_2;
        return Space.Box.of(new float[] {-1, -1, -1, -1, -v1, -v2}, new float[] {1, 1, 1, 1, v1, v2});
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        for (int i = 0; i < 4; i++) state[i] = uniform(rng, -0.1, 0.1);
    }

    static void dsdt(double[] s, double a, double[] out) {
        double th1 = s[0], th2 = s[1], dth1 = s[2], dth2 = s[3];
        double d1 = M1 * LC1 * LC1 + M2 * (L1 * L1 + LC2 * LC2 + 2 * L1 * LC2 * Math.cos(th2)) + I1 + I2;
        double d2 = M2 * (LC2 * LC2 + L1 * LC2 * Math.cos(th2)) + I2;
        double phi2 = M2 * LC2 * G * Math.cos(th1 + th2 - Math.PI / 2);
        double phi1 = -M2 * L1 * LC2 * dth2 * dth2 * Math.sin(th2) - 2 * M2 * L1 * LC2 * dth2 * dth1 * Math.sin(th2)
                + (M1 * LC1 + M2 * L1) * G * Math.cos(th1 - Math.PI / 2) + phi2;
        double ddth2 = (a + d2 / d1 * phi1 - M2 * L1 * LC2 * dth1 * dth1 * Math.sin(th2) - phi2) / (M2 * LC2 * LC2 + I2 - d2 * d2 / d1);
        double ddth1 = -(d2 * ddth2 + phi1) / d1;
        out[0] = dth1;
        out[1] = dth2;
        out[2] = ddth1;
        out[3] = ddth2;
    }

    /** Gymnasium's {@code wrap}: shifts x by multiples of (hi - lo) into [lo, hi]. */
    static double wrap(double x, double lo, double hi) {
        double diff = hi - lo;
        while (x > hi) x -= diff;
        while (x < lo) x += diff;
        return x;
    }

    @Override
    protected double advance(float[] action) {
        double torque = action[0] - 1; // {0, 1, 2} -> {-1, 0, +1}
        double[] s = state;
        dsdt(s, torque, k1);
        for (int i = 0; i < 4; i++) tmp[i] = s[i] + DT / 2 * k1[i];
        dsdt(tmp, torque, k2);
        for (int i = 0; i < 4; i++) tmp[i] = s[i] + DT / 2 * k2[i];
        dsdt(tmp, torque, k3);
        for (int i = 0; i < 4; i++) tmp[i] = s[i] + DT * k3[i];
        dsdt(tmp, torque, k4);
        for (int i = 0; i < 4; i++) s[i] += DT / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        s[0] = wrap(s[0], -Math.PI, Math.PI);
        s[1] = wrap(s[1], -Math.PI, Math.PI);
        s[2] = clip(s[2], -MAX_VEL_1, MAX_VEL_1);
        s[3] = clip(s[3], -MAX_VEL_2, MAX_VEL_2);
        return isTerminal() ? 0.0 : -1.0;
    }

    @Override
    protected boolean isTerminal() {
        return -Math.cos(state[0]) - Math.cos(state[1] + state[0]) > 1.0;
    }

    /**
     * Total energy of the two links as modelled by the equations above (potential measured
     * from the hinge, y up): kinetic (1/2) q'^T D(q) q' plus potential, with
     * D = [[d1, d2], [d2, m2 lc2^2 + I2]].
     */
    double energy() {
        double th1 = state[0], th2 = state[1], w1 = state[2], w2 = state[3];
        double d1 = M1 * LC1 * LC1 + M2 * (L1 * L1 + LC2 * LC2 + 2 * L1 * LC2 * Math.cos(th2)) + I1 + I2;
        double d2 = M2 * (LC2 * LC2 + L1 * LC2 * Math.cos(th2)) + I2;
        double d3 = M2 * LC2 * LC2 + I2;
        double kinetic = 0.5 * (d1 * w1 * w1 + 2 * d2 * w1 * w2 + d3 * w2 * w2);
        double potential = -M1 * G * LC1 * Math.cos(th1) - M2 * G * (L1 * Math.cos(th1) + LC2 * Math.cos(th1 + th2));
        return kinetic + potential;
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) Math.cos(state[0]), (float) Math.sin(state[0]), (float) Math.cos(state[1]), (float) Math.sin(state[1]),
                (float) state[2], (float) state[3]};
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 0, 2.2);
        c.fill(Palette.LIGHT);
        c.line(-2.2, 1, 2.2, 1, 1.0, Palette.DARK); // the height the tip must reach
    }

    @Override
    protected void drawBodies(Canvas c) {
        double th1 = state[0], th12 = state[0] + state[1];
        double x1 = L1 * Math.sin(th1), y1 = -L1 * Math.cos(th1);
        double x2 = x1 + Math.sin(th12), y2 = y1 - Math.cos(th12);
        int link = Canvas.rgb(0, 0.8, 0.8), joint = Canvas.rgb(0.8, 0.8, 0);
        c.capsule(0, 0, x1, y1, 0.1, link);
        c.capsule(x1, y1, x2, y2, 0.1, link);
        c.disc(0, 0, 0.1, joint);
        c.disc(x1, y1, 0.1, joint);
    }
}
