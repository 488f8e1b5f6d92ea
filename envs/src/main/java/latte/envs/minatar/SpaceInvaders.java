package latte.envs.minatar;

import java.util.Arrays;

/**
 * MinAtar Space Invaders (MINATAR.md, "Space Invaders"): a cannon on row 9 shoots a block of 24
 * aliens that marches sideways and down and fires at it; +1 per alien; a new wave, faster with
 * ramping, when all are dead. The episode ends when an alien or an enemy bullet reaches the
 * cannon, or when the block turns at a wall with an alien already on row 9. No random draws
 * besides the sticky action. Channels: cannon, alien, alien_left, alien_right, friendly_bullet,
 * enemy_bullet.
 *
 * <p>The alien and bullet maps are one bit mask per row: bit x is column x.
 */
final class SpaceInvaders extends MinAtarGame {
    static final int CANNON = 0, ALIEN = 1, ALIEN_LEFT = 2, ALIEN_RIGHT = 3, FRIENDLY_BULLET = 4, ENEMY_BULLET = 5;
    static final int SHOT_COOL_DOWN = 5, ALIEN_MOVE_PERIOD = 12, ALIEN_SHOT_PERIOD = 10, FASTEST_MOVE_INTERVAL = 6;
    static final int ROW = (1 << SIZE) - 1, LEFT_WALL = 1, RIGHT_WALL = 1 << (SIZE - 1);
    /** The first wave: rows 0..3, columns 2..7. */
    static final int WAVE_ROW = 0b0011111100, WAVE_ROWS = 4;

    int cannon;
    /** Row masks, [row]: bit x set = something at column x. */
    final int[] aliens = new int[SIZE], friendly = new int[SIZE], enemy = new int[SIZE];
    int alienDir, moveInterval, alienMoveTimer, alienShotTimer, rampIndex, shotTimer;

    SpaceInvaders(MinAtar.Options options, int width, int height) {
        super("MinAtar/SpaceInvaders", options, new String[] {"cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"},
                new int[] {NOOP, LEFT, RIGHT, FIRE}, width, height);
    }

    @Override
    protected void start(Draws draws) {
        cannon = 5;
        Arrays.fill(aliens, 0);
        Arrays.fill(friendly, 0);
        Arrays.fill(enemy, 0);
        wave();
        alienDir = -1;
        moveInterval = alienMoveTimer = ALIEN_MOVE_PERIOD;
        alienShotTimer = ALIEN_SHOT_PERIOD;
        rampIndex = 0;
        shotTimer = 0;
    }

    private void wave() {
        for (int y = 0; y < WAVE_ROWS; y++) aliens[y] = WAVE_ROW;
    }

    static boolean at(int[] rows, int y, int x) {
        return (rows[y] >> x & 1) != 0;
    }

    @Override
    protected int frame(int action, Draws draws) {
        int reward = 0;
        int cannonBit = 1 << cannon;
        // 1. fire (when the shot timer is 0) or move
        if (action == FIRE && shotTimer == 0) {
            friendly[SIZE - 1] |= cannonBit;
            shotTimer = SHOT_COOL_DOWN;
        } else if (action == LEFT) {
            cannon = Math.max(0, cannon - 1);
        } else if (action == RIGHT) {
            cannon = Math.min(SIZE - 1, cannon + 1);
        }
        cannonBit = 1 << cannon;
        // 2. bullets: friendly up (off row 0 they vanish), enemy down (off row 9 they vanish)
        System.arraycopy(friendly, 1, friendly, 0, SIZE - 1);
        friendly[SIZE - 1] = 0;
        System.arraycopy(enemy, 0, enemy, 1, SIZE - 1);
        enemy[0] = 0;
        if (((enemy[SIZE - 1] | aliens[SIZE - 1]) & cannonBit) != 0) endEpisode();
        // 3. the aliens march: sideways, or at a wall turn and step down
        if (alienMoveTimer == 0) {
            alienMoveTimer = Math.min(count(), moveInterval);
            int all = 0;
            for (int row : aliens) all |= row;
            if ((all & (alienDir < 0 ? LEFT_WALL : RIGHT_WALL)) != 0) {
                alienDir = -alienDir;
                if (aliens[SIZE - 1] != 0) {
                    endEpisode(); // the block cannot step down off the grid; it stays
                } else {
                    System.arraycopy(aliens, 0, aliens, 1, SIZE - 1);
                    aliens[0] = 0;
                }
            } else {
                for (int y = 0; y < SIZE; y++) aliens[y] = alienDir < 0 ? aliens[y] >> 1 : (aliens[y] << 1) & ROW;
            }
            if ((aliens[SIZE - 1] & cannonBit) != 0) endEpisode();
        }
        // 4. the aliens fire from the column nearest the cannon (ties: the smaller column), at its lowest alien
        if (alienShotTimer == 0) {
            alienShotTimer = ALIEN_SHOT_PERIOD;
            int column = nearestColumn();
            for (int y = SIZE - 1; column >= 0 && y >= 0; y--) {
                if (at(aliens, y, column)) {
                    enemy[y] |= 1 << column;
                    break;
                }
            }
        }
        // 5. aliens on a friendly bullet's cell die with it
        for (int y = 0; y < SIZE; y++) {
            int hit = aliens[y] & friendly[y];
            if (hit == 0) continue;
            reward += Integer.bitCount(hit);
            aliens[y] &= ~hit;
            friendly[y] &= ~hit;
        }
        // 6. timers; a new wave (faster with ramping) when no alien is left
        if (shotTimer > 0) shotTimer--;
        alienMoveTimer--;
        alienShotTimer--;
        if (count() == 0) {
            if (ramping() && moveInterval > FASTEST_MOVE_INTERVAL) {
                moveInterval--;
                rampIndex++;
            }
            wave();
        }
        return reward;
    }

    private int count() {
        int n = 0;
        for (int row : aliens) n += Integer.bitCount(row);
        return n;
    }

    /** The column holding aliens nearest the cannon (ties: the smaller one); -1 if none. */
    private int nearestColumn() {
        int all = 0;
        for (int row : aliens) all |= row;
        for (int d = 0; d < SIZE; d++) { // the smaller column first at each distance
            if (cannon - d >= 0 && (all >> (cannon - d) & 1) != 0) return cannon - d;
            if (cannon + d < SIZE && (all >> (cannon + d) & 1) != 0) return cannon + d;
        }
        return -1;
    }

    @Override
    protected void draw(byte[] cells) {
        on(cells, SIZE - 1, cannon, CANNON);
        int marching = alienDir < 0 ? ALIEN_LEFT : ALIEN_RIGHT;
        for (int y = 0; y < SIZE; y++) {
            for (int m = aliens[y]; m != 0; m &= m - 1) {
                int x = Integer.numberOfTrailingZeros(m);
                on(cells, y, x, ALIEN);
                on(cells, y, x, marching);
            }
            for (int m = friendly[y]; m != 0; m &= m - 1) on(cells, y, Integer.numberOfTrailingZeros(m), FRIENDLY_BULLET);
            for (int m = enemy[y]; m != 0; m &= m - 1) on(cells, y, Integer.numberOfTrailingZeros(m), ENEMY_BULLET);
        }
    }
}
