package latte.envs.minatar;

/**
 * MinAtar Freeway (MINATAR.md, "Freeway"): a chicken on column 4 crosses eight lanes of cars
 * (car i on row i + 1) from row 9 to row 0, +1 per crossing; a car sends it back to row 9. The
 * episode ends after 2,500 frames (its terminate timer goes below 0 on step 2,501). No ramping.
 * Channels: chicken, car, and the trail of a car of speed s in channel speed{s}.
 */
final class Freeway extends MinAtarGame {
    static final int CHICKEN = 0, CAR = 1, SPEED1 = 2; // speed s -> channel SPEED1 + s - 1
    static final int CARS = 8, COLUMN = 4, MOVE_PERIOD = 3, TIME_LIMIT = 2500;

    int pos, moveTimer, terminateTimer;
    /** Car i on row i + 1: column, countdown to its next move, signed speed (|speed| in 1..5). */
    final int[] carX = new int[CARS], countdown = new int[CARS], speed = new int[CARS];

    Freeway(MinAtar.Options options, int width, int height) {
        super("MinAtar/Freeway", options, new String[] {"chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"},
                new int[] {NOOP, UP, DOWN}, width, height);
    }

    @Override
    protected void start(Draws draws) {
        pos = SIZE - 1;
        moveTimer = MOVE_PERIOD;
        terminateTimer = TIME_LIMIT;
        java.util.Arrays.fill(carX, 0);
        drawSpeeds(draws);
    }

    /**
     * Speeds randint(1, 6) for the eight cars in order, then eight directions: rand() < 0.5 moves
     * left, else right (the sign of rand() - 0.5, with 0 counted as right). Countdowns = |speed|.
     */
    private void drawSpeeds(Draws draws) {
        for (int i = 0; i < CARS; i++) speed[i] = draws.randint(1, 6);
        for (int i = 0; i < CARS; i++) if (draws.rand() - 0.5 < 0) speed[i] = -speed[i];
        for (int i = 0; i < CARS; i++) countdown[i] = Math.abs(speed[i]);
    }

    @Override
    protected int frame(int action, Draws draws) {
        int reward = 0;
        // 1. up/down act only when the move timer is 0
        if (moveTimer == 0 && (action == UP || action == DOWN)) {
            moveTimer = MOVE_PERIOD;
            pos = Math.clamp(pos + (action == UP ? -1 : 1), 0, SIZE - 1);
        }
        // 2. a crossing: +1, new speeds and directions (positions kept), back to row 9
        if (pos == 0) {
            reward = 1;
            drawSpeeds(draws);
            pos = SIZE - 1;
        }
        // 3. cars, in order
        for (int i = 0; i < CARS; i++) {
            hit(i);
            if (countdown[i] == 0) {
                countdown[i] = Math.abs(speed[i]);
                carX[i] = Math.floorMod(carX[i] + Integer.signum(speed[i]), SIZE);
                hit(i);
            } else {
                countdown[i]--;
            }
        }
        // 4. timers
        if (moveTimer > 0) moveTimer--;
        if (--terminateTimer < 0) endEpisode();
        return reward;
    }

    /** A car on the chicken's cell sends it back to row 9. */
    private void hit(int car) {
        if (pos == car + 1 && carX[car] == COLUMN) pos = SIZE - 1;
    }

    @Override
    protected void draw(byte[] cells) {
        on(cells, pos, COLUMN, CHICKEN);
        for (int i = 0; i < CARS; i++) {
            on(cells, i + 1, carX[i], CAR);
            int behind = Math.floorMod(carX[i] - Integer.signum(speed[i]), SIZE);
            on(cells, i + 1, behind, SPEED1 + Math.abs(speed[i]) - 1);
        }
    }
}
