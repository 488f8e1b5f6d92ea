package latte.envs.minatar;

import java.util.ArrayList;
import java.util.List;

/**
 * MinAtar Seaquest (MINATAR.md, "Seaquest"): a submarine shoots fish and enemy subs (+1 each),
 * picks up divers, and must surface before its oxygen runs out; surfacing with six divers scores
 * the remaining oxygen. Enemies speed up with each surfacing (ramping). Channels: sub_front,
 * sub_back, friendly_bullet, trail, enemy_bullet, enemy_fish, enemy_sub, oxygen_gauge,
 * diver_gauge, diver.
 */
final class Seaquest extends MinAtarGame {
    static final int SUB_FRONT = 0, SUB_BACK = 1, FRIENDLY_BULLET = 2, TRAIL = 3, ENEMY_BULLET = 4, ENEMY_FISH = 5,
            ENEMY_SUB = 6, OXYGEN_GAUGE = 7, DIVER_GAUGE = 8, DIVER = 9;
    static final int MAX_OXYGEN = 200, ENEMY_SPAWN_PERIOD = 20, DIVER_SPAWN_PERIOD = 30, MOVE_PERIOD = 5,
            SHOT_COOL_DOWN = 5, ENEMY_SHOT_PERIOD = 10, DIVER_MOVE_PERIOD = 5, MAX_DIVERS = 6;

    /** Something that moves along a row: a bullet, a fish, an enemy sub or a diver. */
    static final class Mover {
        int x, y, dir; // dir +1 right, -1 left
        int countdown, shotCountdown; // frames to the next move / shot (unused by bullets)

        Mover(int x, int y, int dir, int countdown, int shotCountdown) {
            this.x = x;
            this.y = y;
            this.dir = dir;
            this.countdown = countdown;
            this.shotCountdown = shotCountdown;
        }

        /** Moves one column; whether it is still on the grid. */
        boolean move() {
            x += dir;
            return x >= 0 && x < SIZE;
        }

        boolean at(int cx, int cy) {
            return x == cx && y == cy;
        }
    }

    int subX, subY, facing, oxygen, divers; // facing -1 left, +1 right
    boolean surface;
    final List<Mover> friendlyBullets = new ArrayList<>(), enemyBullets = new ArrayList<>(), fish = new ArrayList<>(),
            subs = new ArrayList<>(), diverList = new ArrayList<>();
    int enemySpawnSpeed, enemySpawnTimer, diverSpawnTimer, moveSpeed, rampIndex, shotTimer;

    Seaquest(MinAtar.Options options, int width, int height) {
        super("MinAtar/Seaquest", options, new String[] {"sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet",
                "enemy_fish", "enemy_sub", "oxygen_gauge", "diver_gauge", "diver"}, new int[] {NOOP, LEFT, UP, RIGHT, DOWN, FIRE}, width, height);
    }

    @Override
    protected void start(Draws draws) {
        subX = 5;
        subY = 0;
        facing = -1;
        oxygen = MAX_OXYGEN;
        divers = 0;
        surface = true;
        for (List<Mover> l : List.of(friendlyBullets, enemyBullets, fish, subs, diverList)) l.clear();
        enemySpawnSpeed = enemySpawnTimer = ENEMY_SPAWN_PERIOD;
        diverSpawnTimer = DIVER_SPAWN_PERIOD;
        moveSpeed = MOVE_PERIOD;
        rampIndex = 0;
        shotTimer = 0;
    }

    @Override
    protected int frame(int action, Draws draws) {
        int reward = 0;
        // 1-2. spawns (the timers are reset even when a spawn is cancelled)
        if (enemySpawnTimer == 0) {
            spawnEnemy(draws);
            enemySpawnTimer = enemySpawnSpeed;
        }
        if (diverSpawnTimer == 0) {
            spawnDiver(draws);
            diverSpawnTimer = DIVER_SPAWN_PERIOD;
        }
        // 3. the action
        switch (action) {
            case FIRE -> {
                if (shotTimer == 0) {
                    friendlyBullets.add(new Mover(subX, subY, facing, 0, 0));
                    shotTimer = SHOT_COOL_DOWN;
                }
            }
            case LEFT -> {
                subX = Math.max(0, subX - 1);
                facing = -1;
            }
            case RIGHT -> {
                subX = Math.min(SIZE - 1, subX + 1);
                facing = 1;
            }
            case UP -> subY = Math.max(0, subY - 1);
            case DOWN -> subY = Math.min(SIZE - 2, subY + 1);
            default -> { }
        }
        // 4. friendly bullets, newest first: a fish (checked first) or a sub on the new cell dies with the bullet
        for (int i = friendlyBullets.size() - 1; i >= 0; i--) {
            Mover b = friendlyBullets.get(i);
            if (!b.move()) {
                friendlyBullets.remove(i);
                continue;
            }
            if (removeAt(fish, b.x, b.y) || removeAt(subs, b.x, b.y)) {
                friendlyBullets.remove(i);
                reward++;
            }
        }
        // 5. divers: picked up on the sub (fewer than six carried), else move every 6 frames
        for (int i = 0; i < diverList.size(); i++) {
            Mover d = diverList.get(i);
            if (pickUp(d)) {
                diverList.remove(i--);
            } else if (d.countdown == 0) {
                d.countdown = DIVER_MOVE_PERIOD;
                if (!d.move() || pickUp(d)) diverList.remove(i--);
            } else {
                d.countdown--;
            }
        }
        // 6. enemy subs (move every move speed + 1 frames, shoot every 11)
        reward += enemies(subs, true);
        // 7. enemy bullets: one column every frame
        for (int i = 0; i < enemyBullets.size(); i++) {
            Mover b = enemyBullets.get(i);
            if (b.at(subX, subY)) endEpisode();
            if (!b.move()) {
                enemyBullets.remove(i--);
                continue;
            }
            if (b.at(subX, subY)) endEpisode();
        }
        // 8. enemy fish: like subs, without shooting
        reward += enemies(fish, false);
        // 9. timers, oxygen, surfacing
        if (enemySpawnTimer > 0) enemySpawnTimer--;
        if (diverSpawnTimer > 0) diverSpawnTimer--;
        if (shotTimer > 0) shotTimer--;
        if (oxygen <= 0) endEpisode();
        if (subY > 0) {
            oxygen--;
            surface = false;
        } else if (!surface) {
            if (divers == 0) endEpisode();
            else reward += resurface();
        }
        return reward;
    }

    /** Steps 6 and 8: collision, countdown and move, hits by friendly bullets, and (subs) shooting. */
    private int enemies(List<Mover> list, boolean shoot) {
        int reward = 0;
        for (int i = 0; i < list.size(); i++) {
            Mover e = list.get(i);
            if (e.at(subX, subY)) endEpisode();
            if (e.countdown == 0) {
                e.countdown = moveSpeed;
                if (!e.move()) {
                    list.remove(i--);
                    continue;
                }
                if (e.at(subX, subY)) endEpisode();
                if (removeAt(friendlyBullets, e.x, e.y)) {
                    list.remove(i--);
                    reward++;
                    continue;
                }
            } else {
                e.countdown--;
            }
            if (shoot) {
                if (e.shotCountdown == 0) {
                    e.shotCountdown = ENEMY_SHOT_PERIOD;
                    enemyBullets.add(new Mover(e.x, e.y, e.dir, 0, 0));
                } else {
                    e.shotCountdown--;
                }
            }
        }
        return reward;
    }

    /**
     * Surfacing: six divers score oxygen * 10 // 200 and empty the count; the oxygen refills; the
     * count then decreases by 1 (-1 after a full surfacing, as the page keeps it). Ramping: if the
     * move speed is above 2 and the ramp index odd, the move speed decreases; the spawn speed
     * decreases while above 1; the ramp index increases.
     */
    private int resurface() {
        int reward = 0;
        if (divers == MAX_DIVERS) {
            reward = oxygen * 10 / MAX_OXYGEN;
            divers = 0;
        }
        oxygen = MAX_OXYGEN;
        surface = true;
        divers--;
        if (ramping() && (enemySpawnSpeed > 1 || moveSpeed > 2)) {
            if (moveSpeed > 2 && rampIndex % 2 == 1) moveSpeed--;
            if (enemySpawnSpeed > 1) enemySpawnSpeed--;
            rampIndex++;
        }
        return reward;
    }

    private boolean pickUp(Mover diver) {
        if (!diver.at(subX, subY) || divers >= MAX_DIVERS) return false;
        divers++;
        return true;
    }

    /** Removes the first mover of {@code list} on cell (x, y); whether there was one. */
    private static boolean removeAt(List<Mover> list, int x, int y) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).at(x, y)) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Draws rand() < 1/2 (moving right), rand() < 1/3 (a sub rather than a fish), then the row
     * randint(1, 9); cancelled if an enemy in that row moves the other way.
     */
    private void spawnEnemy(Draws draws) {
        int dir = draws.rand() < 1.0 / 2 ? 1 : -1;
        boolean sub = draws.rand() < 1.0 / 3;
        int row = draws.randint(1, 9);
        if (opposite(fish, row, dir) || opposite(subs, row, dir)) return;
        Mover e = new Mover(dir > 0 ? 0 : SIZE - 1, row, dir, moveSpeed, ENEMY_SHOT_PERIOD);
        (sub ? subs : fish).add(e);
    }

    /** Draws rand() < 1/2 (moving right), then the row randint(1, 9); cancelled if a diver in that row moves the other way. */
    private void spawnDiver(Draws draws) {
        int dir = draws.rand() < 1.0 / 2 ? 1 : -1;
        int row = draws.randint(1, 9);
        if (opposite(diverList, row, dir)) return;
        diverList.add(new Mover(dir > 0 ? 0 : SIZE - 1, row, dir, DIVER_MOVE_PERIOD, 0));
    }

    private static boolean opposite(List<Mover> list, int row, int dir) {
        for (Mover m : list) if (m.y == row && m.dir != dir) return true;
        return false;
    }

    @Override
    protected void draw(byte[] cells) {
        on(cells, subY, subX, SUB_FRONT);
        int back = subX - facing;
        if (back >= 0 && back < SIZE) on(cells, subY, back, SUB_BACK);
        for (Mover b : friendlyBullets) on(cells, b.y, b.x, FRIENDLY_BULLET);
        for (Mover b : enemyBullets) on(cells, b.y, b.x, ENEMY_BULLET);
        drawWithTrail(cells, fish, ENEMY_FISH);
        drawWithTrail(cells, subs, ENEMY_SUB);
        drawWithTrail(cells, diverList, DIVER);
        for (int x = 0; x < oxygen * 10 / MAX_OXYGEN; x++) on(cells, SIZE - 1, x, OXYGEN_GAUGE);
        for (int x = SIZE - 1 - divers; x < SIZE - 1; x++) on(cells, SIZE - 1, x, DIVER_GAUGE);
    }

    private void drawWithTrail(byte[] cells, List<Mover> list, int channel) {
        for (Mover m : list) {
            on(cells, m.y, m.x, channel);
            int behind = m.x - m.dir;
            if (behind >= 0 && behind < SIZE) on(cells, m.y, behind, TRAIL);
        }
    }
}
