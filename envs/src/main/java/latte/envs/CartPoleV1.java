package latte.envs;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code CartPole-v1} ({@code classic_control/cartpole.py}): g = 9.8, cart 1.0,
 * pole 0.1, half length 0.5, force +-10 (action 0 pushes left, 1 right), tau = 0.02, explicit
 * Euler:
 * <pre>
 *   temp   = (F + m l th'^2 sin th) / (M + m)
 *   th''   = (g sin th - cos th temp) / (l (4/3 - m cos^2 th / (M + m)))
 *   x''    = temp - m l th'' cos th / (M + m)
 *   x += tau x';  x' += tau x'';  th += tau th';  th' += tau th''
 * </pre>
 * Terminates when |x| > 2.4 or |th| > 12 degrees; reward 1 for every step including the
 * terminating one; 500 steps (time limit). Initial state U(-0.05, 0.05)^4.
 * State and observation (4): {@code [x, x', th, th']}.
 *
 * <p>{@link Scalable}: mass scales the pole's mass m, length its half length l (and the drawn
 * pole), gravity g, in the formulas above (the cart's mass M stays 1).
 */
public final class CartPoleV1 extends Task implements Scalable {
    static final double G = 9.8, M_CART = 1.0, M_POLE = 0.1, TOTAL = M_CART + M_POLE, HALF = 0.5;
    static final double POLE_ML = M_POLE * HALF, FORCE = 10, TAU = 0.02;
    static final double THETA_LIMIT = 12 * 2 * Math.PI / 360, X_LIMIT = 2.4;

    private final Scales scales = new Scales(name(),
            Map.of(Constant.MASS, "the pole's mass", Constant.GRAVITY, "gravity", Constant.LENGTH, "the pole's length"));
    /** The constants in force: the originals times the factors of {@link #scales}. */
    private double g = G, mPole = M_POLE, total = TOTAL, half = HALF, poleMl = POLE_ML;

    CartPoleV1(int width, int height) {
        super("CartPole-v1", 4, width, height);
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
        mPole = M_POLE * scales.get(Constant.MASS);
        total = M_CART + mPole;
        half = HALF * scales.get(Constant.LENGTH);
        poleMl = mPole * half;
    }

    @Override
    public String[] stateNames() {
        return new String[] {"x", "x_dot", "theta", "theta_dot"};
    }

    @Override
    public int defaultEpisodeSteps() {
        return 500;
    }

    @Override
    public double controlTimestep() {
        return TAU;
    }

    @Override
    public String source() {
        return "Gymnasium CartPole-v1";
    }

    @Override
    public Space actionSpec() {
        return new Space.Discrete(2);
    }

    @Override
    public Space observationSpec() {
        float inf = Float.POSITIVE_INFINITY;
        float x = (float) (X_LIMIT * 2), th = (float) (THETA_LIMIT * 2);
        return Space.Box.of(new float[] {-x, -inf, -th, -inf}, new float[] {x, inf, th, inf});
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        for (int i = 0; i < 4; i++) state[i] = uniform(rng, -0.05, 0.05);
    }

    @Override
    protected double advance(float[] action) {
        double force = action[0] == 1 ? FORCE : -FORCE;
        double x = state[0], xd = state[1], th = state[2], thd = state[3];
        double c = Math.cos(th), s = Math.sin(th);
        double temp = (force + poleMl * thd * thd * s) / total;
        double thacc = (g * s - c * temp) / (half * (4.0 / 3.0 - mPole * c * c / total));
        double xacc = temp - poleMl * thacc * c / total;
        state[0] = x + TAU * xd;
        state[1] = xd + TAU * xacc;
        state[2] = th + TAU * thd;
        state[3] = thd + TAU * thacc;
        return 1.0;
    }

    @Override
    protected boolean isTerminal() {
        return state[0] < -X_LIMIT || state[0] > X_LIMIT || state[2] < -THETA_LIMIT || state[2] > THETA_LIMIT;
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) state[0], (float) state[1], (float) state[2], (float) state[3]};
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.view(0, 0.35, 2.7);
        c.fill(Palette.LIGHT);
        c.line(-2.7, 0, 2.7, 0, 1.0, Palette.DARK);
    }

    @Override
    protected void drawBodies(Canvas c) {
        double x = state[0], th = state[2];
        c.box(x, 0, 0.25, 0.15, 0, Palette.DARK);
        c.capsule(x, 0.075, x + 2 * half * Math.sin(th), 0.075 + 2 * half * Math.cos(th), 0.05, Canvas.rgb(0.79, 0.6, 0.4));
        c.disc(x, 0.075, 0.03, Canvas.rgb(0.5, 0.5, 0.8));
    }
}
