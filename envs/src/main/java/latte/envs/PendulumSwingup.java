package latte.envs;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * dm_control's pendulum swingup ({@code suite/pendulum.py}, {@code pendulum.xml}): a 1 kg point
 * mass at 0.5 m on a hinge (sphere radius 0.05 gives I = 0.25 + 0.001 = 0.251), hinge damping
 * 0.1, torque u in [-1, 1] — too weak to lift the mass directly, so it must pump energy.
 *
 * <p>Physics: MuJoCo's default Euler integrator, timestep 0.02 s, 1000 steps (20 s). Euler is
 * semi-implicit with implicit joint damping:
 * <pre>
 *   th'_{t+1} = th'_t + h (I + h b)^{-1} (m g l sin th_t + u - b th'_t)
 *   th_{t+1}  = th_t + h th'_{t+1}            (theta = 0 upright)
 * </pre>
 * Initial state: th ~ U(-pi, pi), th' = 0. Observation (3): {@code [cos th, sin th, th']}.
 * Reward after the step: 1 if cos th >= cos(8 degrees) else 0.
 *
 * <p>{@link Scalable}: mass scales the bob's mass (and the whole inertia), length the rod (the
 * bob sits at the scaled length; the bob's own sphere inertia 0.001 does not change), gravity g:
 * {@code I = s_m (0.251 + m l^2 (s_l^2 - 1))}, torque {@code s_m m s_g g s_l l sin th}.
 */
public final class PendulumSwingup extends Task implements Scalable {
    static final double DT = 0.02, G = 9.81, MASS = 1.0, LENGTH = 0.5, INERTIA = 0.251;
    static final double COS_BOUND = Math.cos(Math.toRadians(8));
    private final double damping;
    private final Scales scales = new Scales(name(),
            Map.of(Constant.MASS, "the bob's mass", Constant.GRAVITY, "gravity", Constant.LENGTH, "the rod's length"));
    /** The constants in force: the originals times the factors of {@link #scales}. */
    private double mass = MASS, g = G, length = LENGTH, inertia = INERTIA;

    PendulumSwingup(int width, int height) {
        this(0.1, width, height);
    }

    PendulumSwingup(double damping, int width, int height) {
        super("pendulum-swingup", 2, width, height);
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
        double sm = scales.get(Constant.MASS), sl = scales.get(Constant.LENGTH);
        mass = MASS * sm;
        g = G * scales.get(Constant.GRAVITY);
        length = LENGTH * sl;
        inertia = sm * (INERTIA + MASS * LENGTH * LENGTH * (sl * sl - 1)); // exactly INERTIA at sm = sl = 1
    }

    @Override
    public String[] stateNames() {
        return new String[] {"theta", "theta_dot"};
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
        return "dm_control pendulum.swingup";
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-1, 1, 1);
    }

    @Override
    public Space observationSpec() {
        float inf = Float.POSITIVE_INFINITY;
        return Space.Box.of(new float[] {-1, -1, -inf}, new float[] {1, 1, inf});
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        state[0] = uniform(rng, -Math.PI, Math.PI);
        state[1] = 0;
    }

    @Override
    protected double advance(float[] action) {
        double u = clip(action[0], -1f, 1f);
        double th = state[0], thd = state[1];
        double force = mass * g * length * Math.sin(th) + u - damping * thd;
        thd += DT * force / (inertia + DT * damping);
        state[1] = thd;
        state[0] = th + DT * thd;
        return Math.cos(state[0]) >= COS_BOUND ? 1.0 : 0.0;
    }

    /** Kinetic plus potential energy (hinge height as zero). */
    double energy() {
        return 0.5 * inertia * state[1] * state[1] + mass * g * length * Math.cos(state[0]);
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) Math.cos(state[0]), (float) Math.sin(state[0]), (float) state[1]};
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 0.6, 0.7);
        c.sky();
        c.sideFloor(0, 0.25);
    }

    @Override
    protected void drawBodies(Canvas c) {
        double th = state[0];
        double tx = length * Math.sin(th), ty = 0.6 + length * Math.cos(th);
        c.capsule(0, 0.6, tx, ty, 0.02, Palette.SELF);
        c.disc(tx, ty, 0.05, Palette.EFFECTOR);
        c.disc(0, 0.6, 0.025, Palette.DECORATION); // the hinge
    }
}
