package latte.envs.minatar;

/**
 * MinAtar Breakout (MINATAR.md, "Breakout"): a paddle on row 9, a ball bouncing diagonally,
 * three rows of bricks. +1 per brick; the episode ends when the ball reaches row 9 past the
 * paddle. No ramping; randomness only at reset. Channels: paddle, ball, trail, brick.
 */
final class Breakout extends MinAtarGame {
    static final int PADDLE = 0, BALL = 1, TRAIL = 2, BRICK = 3;
    /** Ball directions d = 0..3 as (dx, dy). */
    static final int[] DX = {-1, 1, 1, -1}, DY = {-1, -1, 1, 1};
    /** Direction after a horizontal mirror, a vertical mirror, and both (the paddle's edge). */
    static final int[] MIRROR_X = {1, 0, 3, 2}, MIRROR_Y = {3, 2, 1, 0}, REVERSE = {2, 3, 0, 1};

    int ballX, ballY, dir, paddle;
    int lastX, lastY; // the ball's previous position (the trail)
    boolean strike;
    /** Brick row masks, [row]: bit x set = a brick at column x. */
    final int[] bricks = new int[SIZE];
    static final int FULL_ROW = (1 << SIZE) - 1;

    Breakout(MinAtar.Options options, int width, int height) {
        super("MinAtar/Breakout", options, new String[] {"paddle", "ball", "trail", "brick"}, new int[] {NOOP, LEFT, RIGHT}, width, height);
    }

    /** Reset: bricks on rows 1..3; ball on row 3 at (x 0, d 2) if randint(2) is 0, else (x 9, d 3); paddle 4. */
    @Override
    protected void start(Draws draws) {
        java.util.Arrays.fill(bricks, 0);
        fillBricks();
        ballY = 3;
        if (draws.randint(2) == 0) {
            ballX = 0;
            dir = 2;
        } else {
            ballX = 9;
            dir = 3;
        }
        paddle = 4;
        strike = false;
        lastX = ballX; // no previous position yet: the trail starts under the ball
        lastY = ballY;
    }

    private void fillBricks() {
        for (int y = 1; y <= 3; y++) bricks[y] = FULL_ROW;
    }

    private boolean anyBrick() {
        for (int row : bricks) if (row != 0) return true;
        return false;
    }

    @Override
    protected int frame(int action, Draws draws) {
        int reward = 0;
        // 1. the paddle moves one column, clamped
        if (action == LEFT) paddle = Math.max(0, paddle - 1);
        else if (action == RIGHT) paddle = Math.min(SIZE - 1, paddle + 1);
        // 2. remember the ball's position; the candidate is ball + (dx, dy)
        lastX = ballX;
        lastY = ballY;
        int nx = ballX + DX[dir], ny = ballY + DY[dir];
        // 3. a side wall: clamp and mirror horizontally
        if (nx < 0 || nx > SIZE - 1) {
            nx = Math.clamp(nx, 0, SIZE - 1);
            dir = MIRROR_X[dir];
        }
        // 4. first matching case
        boolean struck = false;
        if (ny < 0) { // the ceiling
            ny = 0;
            dir = MIRROR_Y[dir];
        } else if ((bricks[ny] >> nx & 1) != 0) {
            struck = true;
            if (!strike) { // one brick per strike; with strike on, the ball moves into the brick cell
                reward = 1;
                strike = true;
                bricks[ny] &= ~(1 << nx);
                ny = lastY;
                dir = MIRROR_Y[dir];
            }
        } else if (ny == SIZE - 1) { // the paddle's row
            if (!anyBrick()) fillBricks();
            if (lastX == paddle) {
                dir = MIRROR_Y[dir];
                ny = lastY;
            } else if (nx == paddle) {
                dir = REVERSE[dir];
                ny = lastY;
            } else {
                endEpisode();
            }
        }
        // 5. strike goes off after a step without a strike; the ball takes the new position
        if (!struck) strike = false;
        ballX = nx;
        ballY = ny;
        return reward;
    }

    @Override
    protected void draw(byte[] cells) {
        on(cells, SIZE - 1, paddle, PADDLE);
        on(cells, ballY, ballX, BALL);
        on(cells, lastY, lastX, TRAIL);
        for (int y = 0; y < SIZE; y++) {
            for (int m = bricks[y]; m != 0; m &= m - 1) on(cells, y, Integer.numberOfTrailingZeros(m), BRICK);
        }
    }
}
