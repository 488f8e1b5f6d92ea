package latte.envs.minatar;

import static latte.envs.minatar.MinAtarGame.FIRE;
import static latte.envs.minatar.MinAtarGame.LEFT;
import static latte.envs.minatar.MinAtarGame.NOOP;
import static latte.envs.minatar.MinAtarGame.RIGHT;
import static latte.envs.minatar.Scripted.cell;
import static latte.envs.minatar.Scripted.cells;
import static latte.envs.minatar.Scripted.grid;
import static latte.envs.minatar.Scripted.reset;
import static latte.envs.minatar.Scripted.step;
import static latte.envs.minatar.SpaceInvaders.ALIEN;
import static latte.envs.minatar.SpaceInvaders.ALIEN_LEFT;
import static latte.envs.minatar.SpaceInvaders.ALIEN_RIGHT;
import static latte.envs.minatar.SpaceInvaders.CANNON;
import static latte.envs.minatar.SpaceInvaders.ENEMY_BULLET;
import static latte.envs.minatar.SpaceInvaders.FRIENDLY_BULLET;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import latte.envs.Observation;
import latte.envs.Step;
import latte.envs.minatar.Scripted.Cell;
import org.junit.jupiter.api.Test;

/** MINATAR.md, "Space Invaders": one test per rule. */
class MinatarSpaceInvadersTest {
    private final SpaceInvaders game = new SpaceInvaders(Scripted.SIX, 64, 64);

    /** A reset game whose aliens are exactly {@code at} and whose alien timers are far from 0. */
    private void aliens(Cell... at) {
        reset(game);
        Arrays.fill(game.aliens, 0);
        for (Cell c : at) game.aliens[c.y()] |= 1 << c.x();
        game.alienMoveTimer = game.alienShotTimer = 1000;
    }

    private static List<Cell> block(int y0, int y1, int x0, int x1) {
        List<Cell> out = new ArrayList<>();
        for (int y = y0; y <= y1; y++) for (int x = x0; x <= x1; x++) out.add(cell(y, x));
        return out;
    }

    @Test
    void resetPlacesTheCannonAnd24AliensMarchingLeft() {
        Observation.Grid g = reset(game); // no draws
        assertThat(cells(g, CANNON)).containsExactly(cell(9, 5));
        assertThat(cells(g, ALIEN)).isEqualTo(block(0, 3, 2, 7));
        assertThat(cells(g, ALIEN_LEFT)).isEqualTo(block(0, 3, 2, 7));
        assertThat(cells(g, ALIEN_RIGHT)).isEmpty();
    }

    @Test
    void fireShootsFromRow9WithACoolDownElseTheCannonMoves() {
        aliens(cell(0, 0));
        Step s = step(game, FIRE);
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(8, 5)); // placed on row 9, moved up at once
        assertThat(game.shotTimer).isEqualTo(4);
        s = step(game, FIRE); // cooling down: nothing
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(7, 5));
        assertThat(cells(grid(s), CANNON)).containsExactly(cell(9, 5));
        step(game, LEFT);
        game.cannon = 9;
        s = step(game, RIGHT);
        assertThat(cells(grid(s), CANNON)).containsExactly(cell(9, 9));
        game.friendly[0] = 1 << 4;
        s = step(game, NOOP);
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(4, 5)); // the one on row 0 vanished
    }

    @Test
    void aliensMarchOnStep13ThenEveryMinOfCountAndIntervalPlusOneFrames() {
        reset(game);
        for (int t = 1; t <= 12; t++) step(game, NOOP);
        assertThat(cells(game.grid(), ALIEN)).isEqualTo(block(0, 3, 2, 7));
        Step s = step(game, NOOP);
        assertThat(cells(grid(s), ALIEN)).isEqualTo(block(0, 3, 1, 6));
        assertThat(game.alienMoveTimer).isEqualTo(11); // min(24, 12), counted down once
        aliens(cell(0, 3), cell(1, 3), cell(2, 3));
        game.alienMoveTimer = 0;
        step(game, NOOP);
        assertThat(game.alienMoveTimer).isEqualTo(2); // min(3, 12) - 1
    }

    @Test
    void atTheWallTheBlockTurnsAndStepsDown() {
        aliens(cell(0, 0), cell(0, 5), cell(3, 2));
        game.alienMoveTimer = 0;
        Step s = step(game, NOOP);
        assertThat(cells(grid(s), ALIEN)).containsExactly(cell(1, 0), cell(1, 5), cell(4, 2));
        assertThat(cells(grid(s), ALIEN_RIGHT)).containsExactly(cell(1, 0), cell(1, 5), cell(4, 2));
        assertThat(cells(grid(s), ALIEN_LEFT)).isEmpty();
        game.alienMoveTimer = 0;
        s = step(game, NOOP); // now marching right
        assertThat(cells(grid(s), ALIEN)).containsExactly(cell(1, 1), cell(1, 6), cell(4, 3));
    }

    @Test
    void turningWithAnAlienOnRow9EndsTheEpisode() {
        aliens(cell(9, 0), cell(5, 4));
        game.alienMoveTimer = 0;
        Step s = step(game, NOOP);
        assertThat(s.terminated()).isTrue();
        assertThat(cells(grid(s), ALIEN)).containsExactly(cell(5, 4), cell(9, 0)); // the block stays
    }

    @Test
    void anAlienReachingTheCannonEndsTheEpisode() {
        aliens(cell(8, 0), cell(8, 5));
        game.alienMoveTimer = 0;
        assertThat(step(game, NOOP).terminated()).as("stepping down onto it").isTrue();
        aliens(cell(9, 7));
        game.alienMoveTimer = 0;
        assertThat(step(game, RIGHT).terminated()).as("marching onto it").isTrue(); // cannon 6, alien 7 -> 6
        aliens(cell(9, 4));
        assertThat(step(game, LEFT).terminated()).as("the cannon moving under it").isTrue();
    }

    @Test
    void aliensFireFromTheNearestColumnsLowestAlienEvery11Frames() {
        aliens(cell(0, 3), cell(2, 3), cell(1, 7), cell(3, 0)); // cannon 5: columns 3 and 7 tie, 3 wins
        game.alienShotTimer = 0;
        Step s = step(game, NOOP);
        assertThat(cells(grid(s), ENEMY_BULLET)).containsExactly(cell(2, 3));
        assertThat(game.alienShotTimer).isEqualTo(9);
        s = step(game, NOOP);
        assertThat(cells(grid(s), ENEMY_BULLET)).containsExactly(cell(3, 3)); // moving down a row a frame
        aliens(cell(0, 2), cell(4, 6));
        game.alienShotTimer = 0;
        assertThat(cells(grid(step(game, NOOP)), ENEMY_BULLET)).containsExactly(cell(4, 6));
        for (int t = 2; t <= 10; t++) step(game, NOOP);
        assertThat(cells(grid(step(game, NOOP)), ENEMY_BULLET)).contains(cell(4, 6)); // the next shot, frame 11
    }

    @Test
    void anEnemyBulletReachingTheCannonEndsTheEpisode() {
        aliens(cell(0, 0));
        game.enemy[8] = 1 << 3;
        Step s = step(game, NOOP);
        assertThat(s.terminated()).isFalse();
        assertThat(cells(grid(s), ENEMY_BULLET)).containsExactly(cell(9, 3));
        s = step(game, NOOP);
        assertThat(cells(grid(s), ENEMY_BULLET)).isEmpty(); // off row 9
        game.enemy[8] = 1 << 5;
        assertThat(step(game, NOOP).terminated()).isTrue();
    }

    @Test
    void aliensHitByFriendlyBulletsDieOnePointEach() {
        aliens(cell(3, 3), cell(3, 4), cell(2, 6), cell(0, 0));
        game.friendly[4] = (1 << 3) | (1 << 6);
        game.friendly[5] = 1 << 4;
        Step s = step(game, NOOP);
        assertThat(s.reward()).isEqualTo(1.0); // (3, 3); the bullet under (3, 4) is still a row short
        assertThat(cells(grid(s), ALIEN)).containsExactly(cell(0, 0), cell(2, 6), cell(3, 4));
        assertThat(cells(grid(s), FRIENDLY_BULLET)).containsExactly(cell(3, 6), cell(4, 4));
        s = step(game, NOOP);
        assertThat(s.reward()).isEqualTo(2.0);
        assertThat(cells(grid(s), ALIEN)).containsExactly(cell(0, 0));
        assertThat(cells(grid(s), FRIENDLY_BULLET)).isEmpty();
    }

    @Test
    void theLastAlienKilledBringsAFasterWave() {
        aliens(cell(3, 3));
        game.friendly[4] = 1 << 3;
        game.alienDir = 1;
        Step s = step(game, NOOP);
        assertThat(s.reward()).isEqualTo(1.0);
        assertThat(cells(grid(s), ALIEN)).isEqualTo(block(0, 3, 2, 7));
        assertThat(cells(grid(s), ALIEN_RIGHT)).hasSize(24); // the direction is kept
        assertThat(new int[] {game.moveInterval, game.rampIndex}).containsExactly(11, 1);
        aliens(cell(3, 3));
        game.friendly[4] = 1 << 3;
        game.moveInterval = 6;
        step(game, NOOP);
        assertThat(new int[] {game.moveInterval, game.rampIndex}).containsExactly(6, 0); // 6 is the fastest
        SpaceInvaders flat = new SpaceInvaders(Scripted.SIX.withRamping(false), 64, 64);
        reset(flat);
        Arrays.fill(flat.aliens, 0);
        flat.aliens[3] = 1 << 3;
        flat.friendly[4] = 1 << 3;
        step(flat, NOOP);
        assertThat(Integer.bitCount(flat.aliens[0])).isEqualTo(6);
        assertThat(new int[] {flat.moveInterval, flat.rampIndex}).containsExactly(12, 0);
    }
}
