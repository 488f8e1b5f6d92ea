package latte.envs;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * dm_control's cartpole ({@code suite/cartpole.py}, {@code cartpole.xml}): a cart on a rail
 * (slider range +-1.8 m) with a hinged pole; tasks {@code swingup}, {@code balance} and
 * {@code swingup_sparse}.
 *
 * <p>Physics: timestep 0.01 s, RK4, one physics step per control step, 1000 steps (10 s).
 * Cart 1 kg, pole capsule (length 1, radius 0.045, 0.1 kg, centre of mass l = 0.5 m from the
 * hinge, inertia I about it from the capsule's shape), slider damping 5e-4, hinge damping 2e-6,
 * force 10 u with u clipped to [-1, 1]; theta = 0 is upright.
 * <pre>
 *   (M + m) x'' + m l cos(th) th'' - m l sin(th) th'^2 = 10 u - 5e-4 x'
 *   m l cos(th) x'' + (I + m l^2) th''  - m g l sin(th) = -2e-6 th'
 * </pre>
 * MuJoCo enforces the rail's end stops with a soft constraint; here an end stop is inelastic:
 * the cart is put back on the stop and the impulse that zeroes its outward speed is applied
 * through the mass matrix (so the pole feels it too).
 *
 * <p>Observation (5): {@code [x, cos th, sin th, x', th']}. Reward after the step (dm_control
 * order): smooth {@code upright * centered * small_control * small_velocity}, or sparse
 * {@code tol(x, (-.25, .25)) * tol(cos th, (.995, 1))}.
 *
 * <p>{@link Scalable}: mass scales the pole's mass (inertia with it), length the pole's length
 * (centre of mass at half of it, inertia of the longer capsule, and the drawn pole), gravity g.
 */
public final class Cartpole extends Task implements Scalable {
    static final double DT = 0.01, G = 9.81;
    static final double CART_MASS = 1.0, POLE_MASS = 0.1, HALF = 0.5, POLE_RADIUS = 0.045, POLE_LENGTH = 1.0;
    static final double POLE_INERTIA = Inertia.capsulePerpendicular(POLE_MASS, POLE_RADIUS, POLE_LENGTH);
    static final double RAIL = 1.8, GEAR = 10;

    private final boolean swingUp, sparse;
    private final double slideDamping, hingeDamping;
    private final Scales scales = new Scales(name(), Map.of(Constant.MASS, "the pole's mass",
            Constant.GRAVITY, "gravity", Constant.LENGTH, "the pole's length (centre of mass at half of it)"));
    /** The constants in force: the originals times the factors of {@link #scales}. */
    private double poleMass = POLE_MASS, half = HALF, poleLength = POLE_LENGTH, poleInertia = POLE_INERTIA, g = G;
    private final double[] k1 = new double[4], k2 = new double[4], k3 = new double[4], k4 = new double[4], tmp = new double[4];

    Cartpole(String name, boolean swingUp, boolean sparse, int width, int height) {
        this(name, swingUp, sparse, 5e-4, 2e-6, width, height);
    }

    /** With explicit damping (tests use zero damping to check energy conservation). */
    Cartpole(String name, boolean swingUp, boolean sparse, double slideDamping, double hingeDamping, int width, int height) {
        super(name, 4, width, height);
        this.swingUp = swingUp;
        this.sparse = sparse;
        this.slideDamping = slideDamping;
        this.hingeDamping = hingeDamping;
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
        poleMass = POLE_MASS * scales.get(Constant.MASS);
        poleLength = POLE_LENGTH * scales.get(Constant.LENGTH);
        half = HALF * scales.get(Constant.LENGTH);
        poleInertia = Inertia.capsulePerpendicular(poleMass, POLE_RADIUS, poleLength);
        g = G * scales.get(Constant.GRAVITY);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"x", "theta", "x_dot", "theta_dot"};
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
        return "dm_control cartpole." + (swingUp ? (sparse ? "swingup_sparse" : "swingup") : (sparse ? "balance_sparse" : "balance"));
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-1, 1, 1);
    }

    @Override
    public Space observationSpec() {
        float inf = Float.POSITIVE_INFINITY;
        return Space.Box.of(new float[] {-inf, -1, -1, -inf, -inf}, new float[] {inf, 1, 1, inf, inf});
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        if (swingUp) {
            state[0] = 0.01 * rng.nextGaussian();
            state[1] = Math.PI + 0.01 * rng.nextGaussian();
        } else {
            state[0] = uniform(rng, -0.1, 0.1);
            state[1] = uniform(rng, -0.034, 0.034);
        }
        state[2] = 0.01 * rng.nextGaussian();
        state[3] = 0.01 * rng.nextGaussian();
    }

    /** Time derivative of {@code [x, th, x', th']} under force f, by solving the 2x2 EOM. */
    void derivative(double[] s, double force, double[] out) {
        double th = s[1], xd = s[2], thd = s[3];
        double c = Math.cos(th), sn = Math.sin(th);
        double ml = poleMass * half;
        double a11 = CART_MASS + poleMass, a12 = ml * c, a22 = poleInertia + poleMass * half * half;
        double b1 = force - slideDamping * xd + ml * sn * thd * thd;
        double b2 = ml * g * sn - hingeDamping * thd;
        double det = a11 * a22 - a12 * a12;
        out[0] = xd;
        out[1] = thd;
        out[2] = (a22 * b1 - a12 * b2) / det;
        out[3] = (a11 * b2 - a12 * b1) / det;
    }

    /** One RK4 step of length DT with the force held constant. */
    void rk4(double force) {
        double[] s = state;
        derivative(s, force, k1);
        for (int i = 0; i < 4; i++) tmp[i] = s[i] + 0.5 * DT * k1[i];
        derivative(tmp, force, k2);
        for (int i = 0; i < 4; i++) tmp[i] = s[i] + 0.5 * DT * k2[i];
        derivative(tmp, force, k3);
        for (int i = 0; i < 4; i++) tmp[i] = s[i] + DT * k3[i];
        derivative(tmp, force, k4);
        for (int i = 0; i < 4; i++) s[i] += DT / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        endStop();
    }

    /**
     * Inelastic rail end stop: impulse lambda along the slider with M dv = J^T lambda,
     * J = [1, 0], chosen so that the cart's outward speed becomes zero.
     */
    private void endStop() {
        double x = state[0];
        if (Math.abs(x) <= RAIL) return;
        state[0] = Math.copySign(RAIL, x);
        double xd = state[2];
        if (xd * x <= 0) return;
        double c = Math.cos(state[1]);
        double a11 = CART_MASS + poleMass, a12 = poleMass * half * c, a22 = poleInertia + poleMass * half * half;
        double det = a11 * a22 - a12 * a12;
        double inv11 = a22 / det, inv21 = -a12 / det;
        double lambda = -xd / inv11;
        state[2] = 0;
        state[3] += inv21 * lambda;
    }

    @Override
    protected double advance(float[] action) {
        double u = clip(action[0], -1f, 1f);
        rk4(GEAR * u);
        return reward(u);
    }

    /** dm_control's reward at the current state for control u. */
    double reward(double u) {
        double x = state[0], cos = Math.cos(state[1]);
        if (sparse) {
            return Rewards.tolerance(x, -0.25, 0.25, 0) * Rewards.tolerance(cos, 0.995, 1, 0);
        }
        double upright = (cos + 1) / 2;
        double centered = (1 + Rewards.tolerance(x, 0, 0, 2)) / 2;
        double smallControl = (4 + Rewards.tolerance(u, 0, 0, 1, Rewards.Sigmoid.QUADRATIC, 0)) / 5;
        double smallVelocity = (1 + Rewards.tolerance(state[3], 0, 0, 5)) / 2;
        return upright * smallControl * smallVelocity * centered;
    }

    /** Kinetic plus potential energy (hinge height as zero). */
    double energy() {
        double th = state[1], xd = state[2], thd = state[3];
        double ml = poleMass * half;
        return 0.5 * (CART_MASS + poleMass) * xd * xd + ml * Math.cos(th) * xd * thd
                + 0.5 * (poleInertia + poleMass * half * half) * thd * thd + ml * g * Math.cos(th);
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) state[0], (float) Math.cos(state[1]), (float) Math.sin(state[1]), (float) state[2], (float) state[3]};
    }

    // Camera: the whole rail (+-1.8 m plus the cart) in view, the rail at mid height, 1 m of pole
    // above and below; the floor of cartpole.xml lies 1.05 m below the rail.
    static final double VIEW_HALF = 2.1;

    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 1, VIEW_HALF);
        c.sky();
        c.sideFloor(-0.05, 0.5);
        c.capsule(-2, 1, 2, 1, 0.025, Palette.DECORATION);
        for (double end : new double[] {-RAIL - 0.2, RAIL + 0.2}) c.box(end, 1, 0.02, 0.12, 0, Palette.DECORATION);
    }

    @Override
    protected void drawBodies(Canvas c) {
        double x = state[0], th = state[1];
        c.box(x, 1, 0.2, 0.1, 0, Palette.SELF);
        c.capsule(x, 1, x + poleLength * Math.sin(th), 1 + poleLength * Math.cos(th), POLE_RADIUS, Palette.SELF);
    }
}
