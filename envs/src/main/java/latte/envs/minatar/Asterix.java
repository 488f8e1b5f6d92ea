package latte.envs.minatar;

/**
 * MinAtar Asterix (MINATAR.md, "Asterix"): the player moves in rows 1..8; enemies and gold
 * cross the eight lanes (lane i on row i + 1), at most one entity per lane. Gold gives +1, an
 * enemy on the player's cell ends the episode. Spawning and movement speed up over time (ramping).
 * Channels: player, enemy, trail, gold.
 */
final class Asterix extends MinAtarGame {
    static final int PLAYER = 0, ENEMY = 1, TRAIL = 2, GOLD = 3;
    static final int LANES = 8, RAMP_INTERVAL = 100, SPAWN_PERIOD = 10, MOVE_PERIOD = 5;

    int playerX, playerY;
    /** Lane i (row i + 1): whether it holds an entity, its column, direction (+1 right, -1 left) and kind. */
    final boolean[] occupied = new boolean[LANES], gold = new boolean[LANES];
    final int[] entityX = new int[LANES], entityDir = new int[LANES];
    int spawnSpeed, spawnTimer, moveSpeed, moveTimer, rampTimer, rampIndex;

    Asterix(MinAtar.Options options, int width, int height) {
        super("MinAtar/Asterix", options, new String[] {"player", "enemy", "trail", "gold"}, new int[] {NOOP, LEFT, UP, RIGHT, DOWN}, width, height);
    }

    @Override
    protected void start(Draws draws) {
        playerX = 5;
        playerY = 5;
        java.util.Arrays.fill(occupied, false);
        spawnSpeed = spawnTimer = SPAWN_PERIOD;
        moveSpeed = moveTimer = MOVE_PERIOD;
        rampTimer = RAMP_INTERVAL;
        rampIndex = 0;
    }

    @Override
    protected int frame(int action, Draws draws) {
        // 1. spawn
        if (spawnTimer == 0) {
            spawn(draws);
            spawnTimer = spawnSpeed;
        }
        // 2. the player moves: columns 0..9, rows 1..8
        switch (action) {
            case LEFT -> playerX = Math.max(0, playerX - 1);
            case RIGHT -> playerX = Math.min(SIZE - 1, playerX + 1);
            case UP -> playerY = Math.max(1, playerY - 1);
            case DOWN -> playerY = Math.min(LANES, playerY + 1);
            default -> { }
        }
        // 3. collisions
        int reward = collide();
        // 4. entities move every move-speed frames
        if (moveTimer == 0) {
            moveTimer = moveSpeed;
            for (int i = 0; i < LANES; i++) {
                if (!occupied[i]) continue;
                entityX[i] += entityDir[i];
                if (entityX[i] < 0 || entityX[i] > SIZE - 1) occupied[i] = false;
            }
            reward += collide();
        }
        // 5. timers
        spawnTimer--;
        moveTimer--;
        // 6. ramping
        if (ramping() && (spawnSpeed > 1 || moveSpeed > 1)) {
            if (rampTimer >= 0) {
                rampTimer--;
            } else {
                if (moveSpeed > 1 && rampIndex % 2 == 1) moveSpeed--;
                if (spawnSpeed > 1) spawnSpeed--;
                rampIndex++;
                rampTimer = RAMP_INTERVAL;
            }
        }
        return reward;
    }

    /**
     * Draws rand() < 1/2 (moving right), then rand() < 1/3 (gold), then, if a lane is free,
     * randint(free lanes) to pick one of them in increasing order.
     */
    private void spawn(Draws draws) {
        boolean right = draws.rand() < 1.0 / 2;
        boolean isGold = draws.rand() < 1.0 / 3;
        int free = 0;
        for (boolean o : occupied) if (!o) free++;
        if (free == 0) return;
        int pick = draws.randint(free);
        for (int i = 0; i < LANES; i++) {
            if (occupied[i]) continue;
            if (pick-- == 0) {
                occupied[i] = true;
                gold[i] = isGold;
                entityDir[i] = right ? 1 : -1;
                entityX[i] = right ? 0 : SIZE - 1;
                return;
            }
        }
    }

    /** An entity on the player's cell is removed: gold +1, an enemy ends the episode. */
    private int collide() {
        int lane = playerY - 1;
        if (!occupied[lane] || entityX[lane] != playerX) return 0;
        occupied[lane] = false;
        if (gold[lane]) return 1;
        endEpisode();
        return 0;
    }

    @Override
    protected void draw(byte[] cells) {
        on(cells, playerY, playerX, PLAYER);
        for (int i = 0; i < LANES; i++) {
            if (!occupied[i]) continue;
            on(cells, i + 1, entityX[i], gold[i] ? GOLD : ENEMY);
            int trail = entityX[i] - entityDir[i];
            if (trail >= 0 && trail < SIZE) on(cells, i + 1, trail, TRAIL);
        }
    }
}
