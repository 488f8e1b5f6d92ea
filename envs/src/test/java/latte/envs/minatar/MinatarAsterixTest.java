package latte.envs.minatar;

import static latte.envs.minatar.Asterix.ENEMY;
import static latte.envs.minatar.Asterix.GOLD;
import static latte.envs.minatar.Asterix.PLAYER;
import static latte.envs.minatar.Asterix.TRAIL;
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
import static org.assertj.core.api.Assertions.assertThat;

import latte.envs.Observation;
import latte.envs.Step;
import org.junit.jupiter.api.Test;

/** MINATAR.md, "Asterix": one test per rule. Lane i is row i + 1. */
class MinatarAsterixTest {
    private final Asterix game = new Asterix(Scripted.SIX, 64, 64);

    private void entity(int lane, int x, int dir, boolean gold) {
        game.occupied[lane] = true;
        game.entityX[lane] = x;
        game.entityDir[lane] = dir;
        game.gold[lane] = gold;
    }

    @Test
    void resetPlacesThePlayerAndDrawsNothing() {
        Observation.Grid g = reset(game);
        assertThat(cells(g, PLAYER)).containsExactly(cell(5, 5));
        assertThat(cells(g, ENEMY)).isEmpty();
        assertThat(cells(g, GOLD)).isEmpty();
        assertThat(new int[] {game.spawnSpeed, game.spawnTimer, game.moveSpeed, game.moveTimer, game.rampTimer, game.rampIndex})
                .containsExactly(10, 10, 5, 5, 100, 0);
    }

    @Test
    void firstSpawnIsOnStep11AndDrawsDirectionGoldThenALane() {
        reset(game);
        for (int t = 1; t <= 10; t++) step(game, NOOP); // only the sticky draw
        Step s = step(game, NOOP, rand(0.3), rand(0.2), randint(0, 8, 2)); // right, gold, lane 2 (row 3) at x 0
        // the move timer (5, zero after step 5, reset on step 6) is zero again on step 11: it moves at once
        assertThat(cells(grid(s), GOLD)).containsExactly(cell(3, 1));
        assertThat(cells(grid(s), TRAIL)).containsExactly(cell(3, 0));
        assertThat(game.spawnTimer).isEqualTo(9);
        for (int t = 1; t <= 9; t++) step(game, NOOP);
        step(game, NOOP, rand(0.7), rand(0.5), randint(0, 7, 0)); // the period is 10: left, enemy, first free lane
        assertThat(game.occupied[0]).isTrue();
        assertThat(game.gold[0]).isFalse();
        assertThat(game.entityDir[0]).isEqualTo(-1);
    }

    @Test
    void spawnPicksAmongFreeLanesInIncreasingOrder() {
        reset(game);
        game.spawnTimer = 0;
        entity(0, 4, 1, false);
        entity(1, 4, 1, false);
        entity(3, 4, 1, false);
        Step s = step(game, NOOP, rand(0.7), rand(0.5), randint(0, 5, 1)); // free lanes 2, 4, 5, 6, 7: the second is lane 4
        assertThat(cells(grid(s), ENEMY)).containsExactly(cell(1, 4), cell(2, 4), cell(4, 4), cell(5, 9));
        assertThat(cells(grid(s), TRAIL)).containsExactly(cell(1, 3), cell(2, 3), cell(4, 3)); // none behind the new left-mover at x 9
    }

    @Test
    void withNoFreeLaneTheSpawnDrawsOnlyDirectionAndKind() {
        reset(game);
        game.spawnTimer = 0;
        for (int lane = 0; lane < 8; lane++) entity(lane, lane == 4 ? 0 : 9, 1, true);
        step(game, NOOP, rand(0.1), rand(0.1)); // no randint
        assertThat(game.spawnTimer).isEqualTo(9);
    }

    @Test
    void playerMovesWithinColumns0To9AndRows1To8() {
        reset(game);
        game.playerX = 0;
        game.playerY = 1;
        step(game, LEFT);
        step(game, UP);
        assertThat(new int[] {game.playerY, game.playerX}).containsExactly(1, 0);
        game.playerX = 9;
        game.playerY = 8;
        step(game, RIGHT);
        step(game, DOWN);
        step(game, FIRE); // fire does nothing
        assertThat(new int[] {game.playerY, game.playerX}).containsExactly(8, 9);
    }

    @Test
    void goldOnThePlayersCellScoresAndIsRemoved() {
        reset(game);
        entity(4, 6, -1, true); // row 5, column 6
        Step s = step(game, RIGHT); // the player moves onto it
        assertThat(s.reward()).isEqualTo(1.0);
        assertThat(game.occupied[4]).isFalse();
        assertThat(s.terminated()).isFalse();
    }

    @Test
    void anEnemyMovingOntoThePlayerEndsTheEpisode() {
        reset(game);
        game.moveTimer = 0;
        entity(4, 4, 1, false); // row 5, moves to column 5 = the player
        Step s = step(game, NOOP);
        assertThat(s.terminated()).isTrue();
        assertThat(s.reward()).isZero();
        assertThat(cells(grid(s), ENEMY)).isEmpty();
    }

    @Test
    void entitiesMoveEveryMoveSpeedFramesAndLeaveTheGrid() {
        reset(game);
        entity(0, 3, 1, false);
        entity(1, 9, 1, true);
        game.moveTimer = 1;
        step(game, NOOP);
        assertThat(game.entityX[0]).isEqualTo(3);
        Step s = step(game, NOOP); // timer 0: move, timer back to 5, then 4
        assertThat(cells(grid(s), ENEMY)).containsExactly(cell(1, 4));
        assertThat(cells(grid(s), TRAIL)).containsExactly(cell(1, 3));
        assertThat(game.occupied[1]).isFalse(); // gold at column 9 moving right left the grid
        assertThat(game.moveTimer).isEqualTo(4);
    }

    @Test
    void trailIsTheCellBehindEachEntity() {
        reset(game);
        entity(0, 4, 1, false);
        entity(1, 4, -1, true);
        entity(2, 9, -1, false);
        step(game, NOOP);
        Observation.Grid g = game.grid();
        assertThat(cells(g, TRAIL)).containsExactly(cell(1, 3), cell(2, 5));
    }

    @Test
    void rampingEvery101FramesSpeedsUpSpawnThenAlternatelyMovement() {
        reset(game);
        game.spawnTimer = 10_000; // no spawns in this test
        game.moveTimer = 10_000;
        for (int t = 1; t <= 101; t++) step(game, NOOP);
        assertThat(game.rampTimer).isEqualTo(-1);
        assertThat(new int[] {game.spawnSpeed, game.moveSpeed}).containsExactly(10, 5);
        step(game, NOOP); // ramp index 0 (even): spawn speed only
        assertThat(new int[] {game.spawnSpeed, game.moveSpeed, game.rampIndex, game.rampTimer}).containsExactly(9, 5, 1, 100);
        game.rampTimer = -1;
        step(game, NOOP); // ramp index 1 (odd): both
        assertThat(new int[] {game.spawnSpeed, game.moveSpeed, game.rampIndex}).containsExactly(8, 4, 2);
        game.spawnSpeed = 1;
        game.moveSpeed = 1;
        game.rampTimer = -1;
        step(game, NOOP); // both at 1: ramping stops, the timer too
        assertThat(new int[] {game.spawnSpeed, game.moveSpeed, game.rampIndex, game.rampTimer}).containsExactly(1, 1, 2, -1);
    }

    @Test
    void noRampingWhenTheOptionIsOff() {
        Asterix flat = new Asterix(Scripted.SIX.withRamping(false), 64, 64);
        reset(flat);
        flat.spawnTimer = 10_000;
        flat.rampTimer = -1;
        step(flat, NOOP);
        assertThat(new int[] {flat.spawnSpeed, flat.moveSpeed, flat.rampIndex, flat.rampTimer}).containsExactly(10, 5, 0, -1);
    }
}
