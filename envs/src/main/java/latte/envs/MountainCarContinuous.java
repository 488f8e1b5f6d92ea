package latte.envs;

import java.util.random.RandomGenerator;

/**
 * Gymnasium's {@code MountainCarContinuous-v0} ({@code classic_control/continuous_mountain_car.py}):
 * <pre>
 *   v_{t+1} = clip(v + 0.0015 clip(a, -1, 1) - 0.0025 cos(3 x), -0.07, 0.07)
 *   x_{t+1} = clip(x + v_{t+1}, -1.2, 0.6);  at x = -1.2 a negative v is zeroed
 *   terminated = x >= 0.45 and v >= 0;  reward = 100 [terminated] - 0.1 a^2  (a unclipped)
 * </pre>
 * Initial x ~ U(-0.6, -0.4), v = 0; 999 steps (time limit). Observation (2): {@code [x, v]}.
 */
public final class MountainCarContinuous extends Task {
    static final double MIN_X = -1.2, MAX_X = 0.6, MAX_SPEED = 0.07, GOAL_X = 0.45, GOAL_V = 0, POWER = 0.0015;

    MountainCarContinuous(int width, int height) {
        super("MountainCarContinuous-v0", 2, width, height);
    }

    @Override
    public String[] stateNames() {
        return new String[] {"position", "velocity"};
    }

    @Override
    public int defaultEpisodeSteps() {
        return 999;
    }

    @Override
    public double controlTimestep() {
        return 1;
    }

    @Override
    public String source() {
        return "Gymnasium MountainCarContinuous-v0";
    }

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-1, 1, 1);
    }

    @Override
    public Space observationSpec() {
        return Space.Box.of(new float[] {-1.2f, -0.07f}, new float[] {0.6f, 0.07f});
    }

    @Override
    protected void initialize(RandomGenerator rng) {
        state[0] = uniform(rng, -0.6, -0.4);
        state[1] = 0;
    }

    @Override
    protected double advance(float[] action) {
        double a = action[0];
        double force = clip(a, -1, 1);
        double x = state[0], v = state[1];
        v += force * POWER - 0.0025 * Math.cos(3 * x);
        v = clip(v, -MAX_SPEED, MAX_SPEED);
        x = clip(x + v, MIN_X, MAX_X);
        if (x == MIN_X && v < 0) v = 0;
        state[0] = x;
        state[1] = v;
        double reward = isTerminal() ? 100.0 : 0.0;
        return reward - a * a * 0.1;
    }

    @Override
    protected boolean isTerminal() {
        return state[0] >= GOAL_X && state[1] >= GOAL_V;
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) state[0], (float) state[1]};
    }

    static double height(double x) {
        return Math.sin(3 * x) * 0.45 + 0.55;
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.view(-0.3, 0.55, 0.95);
        c.fill(Palette.LIGHT);
        int ground = Canvas.rgb(0.55, 0.65, 0.45);
        for (int x = 0; x < c.width(); x++) {
            double wx = c.worldX(x + 0.5);
            double top = c.v(height(clip(wx, MIN_X, MAX_X)));
            for (int y = (int) Math.max(0, Math.ceil(top)); y < c.height(); y++) c.set(x, y, ground);
        }
        for (int i = 0; i < 48; i++) {
            double a = MIN_X + (MAX_X - MIN_X) * i / 48, b = MIN_X + (MAX_X - MIN_X) * (i + 1) / 48;
            c.line(a, height(a), b, height(b), 1.2, Palette.DARK);
        }
        double fy = height(GOAL_X);
        c.line(GOAL_X, fy, GOAL_X, fy + 0.2, 1.0, Palette.DARK);
        c.box(GOAL_X + 0.05, fy + 0.17, 0.05, 0.03, 0, Canvas.rgb(0.8, 0.8, 0.0));
    }

    @Override
    protected void drawBodies(Canvas c) {
        double x = state[0], y = height(x);
        double angle = Math.atan(Math.cos(3 * x) * 3 * 0.45);
        double nx = -Math.sin(angle), ny = Math.cos(angle);
        c.box(x + 0.06 * nx, y + 0.06 * ny, 0.1, 0.04, angle, Palette.DARK);
        c.disc(x + 0.06 * Math.cos(angle) + 0.02 * nx, y + 0.06 * Math.sin(angle) + 0.02 * ny, 0.025, Canvas.rgb(0.5, 0.5, 0.5));
        c.disc(x - 0.06 * Math.cos(angle) + 0.02 * nx, y - 0.06 * Math.sin(angle) + 0.02 * ny, 0.025, Canvas.rgb(0.5, 0.5, 0.5));
    }
}
