package latte.envs.minatar;

import static latte.envs.minatar.MinAtarGame.DOWN;
import static latte.envs.minatar.MinAtarGame.FIRE;
import static latte.envs.minatar.MinAtarGame.LEFT;
import static latte.envs.minatar.MinAtarGame.NOOP;
import static latte.envs.minatar.MinAtarGame.RIGHT;
import static latte.envs.minatar.MinAtarGame.UP;
import static latte.envs.minatar.Scripted.cell;
import static latte.envs.minatar.Scripted.cells;
import static latte.envs.minatar.Scripted.grid;
import static latte.envs.minatar.Scripted.rand;
import static latte.envs.minatar.Scripted.randint;
import static latte.envs.minatar.Scripted.reset;
import static latte.envs.minatar.Scripted.step;
import static latte.envs.minatar.Seaquest.DIVER;
import static latte.envs.minatar.Seaquest.DIVER_GAUGE;
import static latte.envs.minatar.Seaquest.ENEMY_BULLET;
import static latte.envs.minatar.Seaquest.ENEMY_FISH;
import static latte.envs.minatar.Seaquest.ENEMY_SUB;
import static latte.envs.minatar.Seaquest.FRIENDLY_BULLET;
import static latte.envs.minatar.Seaquest.OXYGEN_GAUGE;
import static latte.envs.minatar.Seaquest.SUB_BACK;
import static latte.envs.minatar.Seaquest.SUB_FRONT;
import static latte.envs.minatar.Seaquest.TRAIL;
import static org.assertj.core.api.Assertions.assertThat;

import latte.envs.Observation;
import latte.envs.Step;
import latte.envs.minatar.Seaquest.Mover;
import org.junit.jupiter.api.Test;

/** MINATAR.md, "Seaquest": one test per rule. Directions: +1 right, -1 left. */
class MinatarSeaquestTest {
    private final Seaquest game = new Seaquest(Scripted.SIX, 64, 64);

    /** A reset game with no spawns due, the submarine at (y, x) below the surface. */
    private void submerged(int y, int x) {
        reset(game);
        game.enemySpawnTimer = game.diverSpawnTimer = 1000;
        game.subY = y;
        game.subX = x;
        game.surface = false;
    }

    private static Mover mover(int y, int x, int dir, int countdown, int shot) {
        return new Mover(x, y, dir, countdown, shot);
    }

    @Test
    void resetStartsAtTheSurfaceFacingLeftWithFullOxygen() {
        Observation.Grid g = reset(game); // no draws
        assertThat(cells(g, SUB_FRONT)).containsExactly(cell(0, 5));
        assertThat(cells(g, SUB_BACK)).containsExactly(cell(0, 6));
        assertThat(cells(g, OXYGEN_GAUGE)).isEqualTo(Scripted.rows(9, 9));
        assertThat(cells(g, DIVER_GAUGE)).isEmpty();
        for (int c : new int[] {FRIENDLY_BULLET, TRAIL, ENEMY_BULLET, ENEMY_FISH, ENEMY_SUB, DIVER}) assertThat(cells(g, c)).isEmpty();
    }

    @Test
    void enemiesSpawnOnStep21AndDiversOnStep31WithTheirDraws() {
        reset(game);
        for (int t = 1; t <= 20; t++) assertThat(step(game, NOOP).terminated()).isFalse(); // at the surface nothing happens
        assertThat(game.oxygen).isEqualTo(200);
        Step s = step(game, NOOP, rand(0.3), rand(0.2), randint(1, 9, 4)); // right, a sub, row 4
        assertThat(cells(grid(s), ENEMY_SUB)).containsExactly(cell(4, 0));
        Mover sub = game.subs.getFirst();
        assertThat(new int[] {sub.dir, sub.countdown, sub.shotCountdown}).containsExactly(1, 4, 9); // 5 and 10, counted down once
        assertThat(game.enemySpawnTimer).isEqualTo(19);
        for (int t = 22; t <= 30; t++) step(game, NOOP);
        s = step(game, NOOP, rand(0.8), randint(1, 9, 2)); // a diver: left, row 2
        assertThat(cells(grid(s), DIVER)).containsExactly(cell(2, 9));
        assertThat(game.diverList.getFirst().countdown).isEqualTo(4);
        assertThat(game.diverSpawnTimer).isEqualTo(29);
        assertThat(game.enemySpawnTimer).isEqualTo(9);
    }

    @Test
    void aFishSpawnsOnTheRightMovingLeft() {
        submerged(5, 5);
        game.enemySpawnTimer = 0;
        Step s = step(game, NOOP, rand(0.6), rand(0.5), randint(1, 9, 7));
        assertThat(cells(grid(s), ENEMY_FISH)).containsExactly(cell(7, 9));
        assertThat(game.fish.getFirst().dir).isEqualTo(-1);
        assertThat(game.subs).isEmpty();
    }

    @Test
    void aSpawnIsCancelledByAnEnemyInItsRowMovingTheOtherWay() {
        submerged(7, 7);
        game.fish.add(mover(4, 5, -1, 3, 0));
        game.enemySpawnTimer = 0;
        step(game, NOOP, rand(0.3), rand(0.2), randint(1, 9, 4)); // right in row 4: cancelled, draws used
        assertThat(game.subs).isEmpty();
        assertThat(game.enemySpawnTimer).isEqualTo(19);
        game.enemySpawnTimer = 0;
        step(game, NOOP, rand(0.7), rand(0.2), randint(1, 9, 4)); // left in row 4: allowed
        assertThat(game.subs).hasSize(1);
        game.diverList.add(mover(2, 3, 1, 3, 0));
        game.diverSpawnTimer = 0;
        step(game, NOOP, rand(0.8), randint(1, 9, 2)); // a left diver in row 2 with a right diver there: cancelled
        assertThat(game.diverList).hasSize(1);
        assertThat(game.diverSpawnTimer).isEqualTo(29);
    }

    @Test
    void fireAddsABulletThatMovesTheFacingWayWithACoolDownOf5() {
        submerged(3, 5);
        Step s = step(game, FIRE);
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(3, 4)); // created at the sub, moved once
        assertThat(game.shotTimer).isEqualTo(4);
        s = step(game, FIRE); // cooling down: no new bullet
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(3, 3));
        game.shotTimer = 0;
        step(game, RIGHT);
        s = step(game, FIRE);
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(3, 1), cell(3, 7));
    }

    @Test
    void movesAreClampedToColumns0To9AndRows0To8AndSetTheFacing() {
        submerged(8, 0);
        Step s = step(game, LEFT);
        assertThat(cells(grid(s), SUB_FRONT)).containsExactly(cell(8, 0));
        assertThat(cells(grid(s), SUB_BACK)).containsExactly(cell(8, 1));
        s = step(game, DOWN);
        assertThat(cells(grid(s), SUB_FRONT)).containsExactly(cell(8, 0));
        s = step(game, RIGHT);
        assertThat(cells(grid(s), SUB_FRONT)).containsExactly(cell(8, 1));
        assertThat(cells(grid(s), SUB_BACK)).containsExactly(cell(8, 0));
        game.subX = 9;
        s = step(game, RIGHT);
        assertThat(cells(grid(s), SUB_FRONT)).containsExactly(cell(8, 9));
        assertThat(cells(grid(s), SUB_BACK)).containsExactly(cell(8, 8));
        game.subY = 0;
        step(game, UP);
        assertThat(game.subY).isZero();
    }

    @Test
    void bulletsMoveNewestFirstAndHitAFishBeforeASub() {
        submerged(7, 7);
        game.friendlyBullets.add(mover(3, 2, 1, 0, 0)); // older
        game.friendlyBullets.add(mover(3, 4, -1, 0, 0)); // newer: reaches (3, 3) first
        game.fish.add(mover(3, 3, 1, 3, 0));
        game.friendlyBullets.add(mover(5, 4, 1, 0, 0));
        game.fish.add(mover(5, 5, 1, 3, 0));
        game.subs.add(mover(5, 5, 1, 3, 5));
        game.friendlyBullets.add(mover(6, 9, 1, 0, 0)); // leaves the grid
        Step s = step(game, NOOP);
        assertThat(s.reward()).isEqualTo(2.0);
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(3, 3)); // the older one survives
        assertThat(cells(grid(s), ENEMY_FISH)).isEmpty();
        assertThat(cells(grid(s), ENEMY_SUB)).containsExactly(cell(5, 5)); // the fish at (5, 5) was hit, not the sub
    }

    @Test
    void diversArePickedUpOnTheSubUpToSix() {
        submerged(3, 5);
        game.diverList.add(mover(3, 4, 1, 3, 0));
        Step s = step(game, LEFT);
        assertThat(game.divers).isEqualTo(1);
        assertThat(cells(grid(s), DIVER)).isEmpty();
        assertThat(cells(grid(s), DIVER_GAUGE)).containsExactly(cell(9, 8));
        game.diverList.add(mover(3, 5, -1, 0, 0)); // moves onto the sub, then is picked up
        step(game, NOOP);
        assertThat(game.divers).isEqualTo(2);
        game.divers = 6;
        game.diverList.add(mover(3, 4, 1, 0, 0)); // on the sub, but six are carried: it moves on
        s = step(game, NOOP);
        assertThat(cells(grid(s), DIVER)).containsExactly(cell(3, 5));
        assertThat(cells(grid(s), DIVER_GAUGE)).containsExactly(cell(9, 3), cell(9, 4), cell(9, 5), cell(9, 6), cell(9, 7), cell(9, 8));
    }

    @Test
    void diversMoveEverySixFramesWithATrailAndLeaveTheGrid() {
        submerged(7, 7);
        game.diverList.add(mover(2, 5, -1, 0, 0));
        game.diverList.add(mover(4, 9, 1, 0, 0));
        Step s = step(game, NOOP);
        assertThat(cells(grid(s), DIVER)).containsExactly(cell(2, 4));
        assertThat(cells(grid(s), TRAIL)).containsExactly(cell(2, 5));
        for (int t = 1; t <= 5; t++) step(game, NOOP);
        assertThat(game.diverList.getFirst().x).isEqualTo(4);
        step(game, NOOP);
        assertThat(game.diverList.getFirst().x).isEqualTo(3);
        assertThat(game.diverList).hasSize(1);
    }

    @Test
    void enemySubsMoveEveryMoveSpeedPlusOneFramesAndShootEvery11() {
        submerged(7, 7);
        game.subs.add(mover(4, 3, 1, 0, 0));
        game.fish.add(mover(6, 3, 1, 3, 0)); // fish never shoot
        Step s = step(game, NOOP); // moves to (4, 4), shoots from there; the bullet moves once
        assertThat(cells(grid(s), ENEMY_SUB)).containsExactly(cell(4, 4));
        assertThat(cells(grid(s), TRAIL)).containsExactly(cell(4, 3), cell(6, 2));
        assertThat(cells(grid(s), ENEMY_BULLET)).containsExactly(cell(4, 5));
        for (int t = 2; t <= 6; t++) step(game, NOOP);
        assertThat(game.subs.getFirst().x).isEqualTo(4);
        s = step(game, NOOP); // frame 7: the second move
        assertThat(game.subs.getFirst().x).isEqualTo(5);
        assertThat(cells(grid(s), ENEMY_BULLET)).isEmpty(); // the first bullet left the grid
        for (int t = 8; t <= 11; t++) step(game, NOOP);
        s = step(game, NOOP); // frame 12: the second shot
        assertThat(cells(grid(s), ENEMY_BULLET)).containsExactly(cell(4, 6));
    }

    @Test
    void anEnemyOnTheSubEndsTheEpisode() {
        submerged(4, 5);
        game.subs.add(mover(4, 4, 1, 0, 5));
        assertThat(step(game, NOOP).terminated()).isTrue();
        submerged(4, 5);
        game.fish.add(mover(4, 6, -1, 3, 0));
        assertThat(step(game, RIGHT).terminated()).as("moving onto a fish").isTrue();
    }

    @Test
    void anEnemyMovingOntoAFriendlyBulletDiesWithIt() {
        submerged(7, 7);
        game.fish.add(mover(4, 3, 1, 0, 0));
        game.friendlyBullets.add(mover(4, 5, -1, 0, 0)); // moves to (4, 4) first, then the fish moves there
        Step s = step(game, NOOP);
        assertThat(s.reward()).isEqualTo(1.0);
        assertThat(game.fish).isEmpty();
        assertThat(game.friendlyBullets).isEmpty();
    }

    @Test
    void anEnemyBulletReachingTheSubEndsTheEpisode() {
        submerged(4, 4);
        game.enemyBullets.add(mover(4, 3, 1, 0, 0));
        Step s = step(game, NOOP);
        assertThat(s.terminated()).isTrue();
        submerged(4, 4);
        game.enemyBullets.add(mover(4, 8, 1, 0, 0));
        game.enemyBullets.add(mover(5, 0, -1, 0, 0));
        s = step(game, NOOP);
        assertThat(s.terminated()).isFalse();
        assertThat(cells(grid(s), ENEMY_BULLET)).containsExactly(cell(4, 9)); // one column per frame; the other left
    }

    @Test
    void oxygenFallsBelowTheSurfaceAndTheEpisodeEndsTheFrameAfterItReachesZero() {
        submerged(3, 5);
        game.oxygen = 100;
        Step s = step(game, NOOP);
        assertThat(game.oxygen).isEqualTo(99);
        assertThat(cells(grid(s), OXYGEN_GAUGE)).containsExactly(cell(9, 0), cell(9, 1), cell(9, 2), cell(9, 3)); // 99 * 10 // 200 = 4
        game.oxygen = 1;
        s = step(game, NOOP);
        assertThat(s.terminated()).isFalse();
        assertThat(cells(grid(s), OXYGEN_GAUGE)).isEmpty();
        assertThat(step(game, NOOP).terminated()).isTrue();
    }

    @Test
    void surfacingWithNoDiverEndsTheEpisodeAndWithSomeCostsOne() {
        submerged(1, 5);
        assertThat(step(game, UP).terminated()).isTrue();
        submerged(1, 5);
        game.divers = 3;
        game.oxygen = 50;
        Step s = step(game, UP);
        assertThat(s.terminated()).isFalse();
        assertThat(s.reward()).isZero();
        assertThat(new int[] {game.oxygen, game.divers, game.enemySpawnSpeed}).containsExactly(200, 2, 19);
        assertThat(game.surface).isTrue();
        s = step(game, NOOP); // staying up: nothing more
        assertThat(new int[] {game.oxygen, game.divers, game.enemySpawnSpeed}).containsExactly(200, 2, 19);
    }

    @Test
    void surfacingWithSixDiversScoresTheOxygenAndLeavesMinusOne() {
        submerged(1, 5);
        game.divers = 6;
        game.oxygen = 151; // the surfacing frame uses no oxygen
        Step s = step(game, UP);
        assertThat(s.reward()).isEqualTo(7.0); // 151 * 10 // 200
        assertThat(game.divers).isEqualTo(-1);
        assertThat(cells(grid(s), DIVER_GAUGE)).isEmpty();
        assertThat(cells(grid(s), OXYGEN_GAUGE)).hasSize(10);
        step(game, DOWN);
        s = step(game, UP); // with -1 divers the episode goes on, and the count falls again
        assertThat(s.terminated()).isFalse();
        assertThat(s.reward()).isZero();
        assertThat(game.divers).isEqualTo(-2);
    }

    @Test
    void rampingOnSurfacingSlowsSpawnsAndOnOddIndicesMovement() {
        int[][] cases = { // spawn speed, move speed, ramp index -> after
                {20, 5, 0, 19, 5, 1}, {19, 5, 1, 18, 4, 2}, {10, 2, 1, 9, 2, 2}, {1, 3, 3, 1, 2, 4}, {1, 2, 5, 1, 2, 5}};
        for (int[] c : cases) {
            submerged(1, 5);
            game.divers = 2;
            game.enemySpawnSpeed = c[0];
            game.moveSpeed = c[1];
            game.rampIndex = c[2];
            step(game, UP);
            assertThat(new int[] {game.enemySpawnSpeed, game.moveSpeed, game.rampIndex}).as(java.util.Arrays.toString(c)).containsExactly(c[3], c[4], c[5]);
        }
        Seaquest flat = new Seaquest(Scripted.SIX.withRamping(false), 64, 64);
        reset(flat);
        flat.enemySpawnTimer = flat.diverSpawnTimer = 1000;
        flat.subY = 1;
        flat.surface = false;
        flat.divers = 2;
        step(flat, UP);
        assertThat(new int[] {flat.enemySpawnSpeed, flat.moveSpeed, flat.rampIndex}).containsExactly(20, 5, 0);
    }
}
