package latte.envs.perturb;

import java.util.random.RandomGenerator;
import latte.envs.Canvas;
import latte.envs.Space;
import latte.envs.Task;

/** A test task whose every frame is one colour: pixel values a perturbation is checked against by hand. */
final class Flat extends Task {
    private final int rgb;

    Flat(int rgb, int width, int height) {
        super("flat", 1, width, height);
        this.rgb = rgb;
    }

    @Override
    public String[] stateNames() {
        return new String[] {"t"};
    }

    @Override
    public int defaultEpisodeSteps() {
        return 0;
    }

    @Override
    public String source() {
        return "test";
    }

    @Override
    public double controlTimestep() {
        return 1;
    }

    @Override
    protected void initialize(RandomGenerator rng) {}

    @Override
    protected double advance(float[] action) {
        state[0]++;
        return 0;
    }

    @Override
    protected float[] observe() {
        return new float[] {(float) state[0]};
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.fill(rgb);
    }

    @Override
    protected void drawBodies(Canvas c) {}

    @Override
    public Space actionSpec() {
        return Space.Box.uniform(-1, 1, 1);
    }

    @Override
    public Space observationSpec() {
        return Space.Box.uniform(0, Float.POSITIVE_INFINITY, 1);
    }
}
