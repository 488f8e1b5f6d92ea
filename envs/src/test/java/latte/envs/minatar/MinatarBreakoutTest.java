package latte.envs.minatar;

import static latte.envs.minatar.Breakout.BALL;
import static latte.envs.minatar.Breakout.BRICK;
import static latte.envs.minatar.Breakout.PADDLE;
import static latte.envs.minatar.Breakout.TRAIL;
import static latte.envs.minatar.MinAtarGame.LEFT;
import static latte.envs.minatar.MinAtarGame.NOOP;
import static latte.envs.minatar.MinAtarGame.RIGHT;
import static latte.envs.minatar.Scripted.cell;
import static latte.envs.minatar.Scripted.cells;
import static latte.envs.minatar.Scripted.grid;
import static latte.envs.minatar.Scripted.randint;
import static latte.envs.minatar.Scripted.reset;
import static latte.envs.minatar.Scripted.rows;
import static latte.envs.minatar.Scripted.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import latte.envs.Observation;
import latte.envs.Step;
import org.junit.jupiter.api.Test;

/** MINATAR.md, "Breakout": one test per rule. Directions: 0 (-1,-1), 1 (+1,-1), 2 (+1,+1), 3 (-1,+1). */
class MinatarBreakoutTest {
    private final Breakout game = new Breakout(Scripted.SIX, 64, 64);

    /** Ball at (row y, column x) moving in direction d, last position = ball, paddle p, strike off. */
    private void ball(int y, int x, int d, int p) {
        game.ballY = game.lastY = y;
        game.ballX = game.lastX = x;
        game.dir = d;
        game.paddle = p;
        game.strike = false;
    }

    @Test
    void resetFillsThreeBrickRowsAndDrawsTheBallsCorner() {
        Observation.Grid left = reset(game, randint(0, 2, 0));
        assertThat(cells(left, BRICK)).isEqualTo(rows(1, 3));
        assertThat(cells(left, BALL)).containsExactly(cell(3, 0));
        assertThat(game.dir).isEqualTo(2);
        assertThat(cells(left, TRAIL)).containsExactly(cell(3, 0)); // no previous position yet
        assertThat(cells(left, PADDLE)).containsExactly(cell(9, 4));
        Observation.Grid right = reset(game, randint(0, 2, 1));
        assertThat(cells(right, BALL)).containsExactly(cell(3, 9));
        assertThat(game.dir).isEqualTo(3);
    }

    @Test
    void paddleMovesOneColumnClamped() {
        reset(game, randint(0, 2, 0));
        step(game, LEFT);
        assertThat(game.paddle).isEqualTo(3);
        game.paddle = 0;
        step(game, LEFT);
        assertThat(game.paddle).isZero();
        game.paddle = 9;
        Step s = step(game, RIGHT);
        assertThat(cells(grid(s), PADDLE)).containsExactly(cell(9, 9));
    }

    @Test
    void sideWallClampsAndMirrorsHorizontally() {
        reset(game, randint(0, 2, 0));
        ball(5, 0, 0, 4); // (-1, -1) at the left wall: candidate x -1 -> 0, d 0 -> 1
        Step s = step(game, NOOP);
        assertThat(cells(grid(s), BALL)).containsExactly(cell(4, 0));
        assertThat(cells(grid(s), TRAIL)).containsExactly(cell(5, 0));
        assertThat(game.dir).isEqualTo(1);
    }

    @Test
    void ceilingMirrorsVertically() {
        reset(game, randint(0, 2, 0));
        ball(0, 5, 1, 4); // (+1, -1) on row 0: y -1 -> 0, d 1 -> 2
        step(game, NOOP);
        assertThat(new int[] {game.ballY, game.ballX, game.dir}).containsExactly(0, 6, 2);
    }

    @Test
    void strikeRemovesTheBrickScoresAndBouncesBack() {
        reset(game, randint(0, 2, 0));
        ball(4, 3, 1, 4); // candidate (3, 4) holds a brick
        Step s = step(game, NOOP);
        assertThat(s.reward()).isEqualTo(1.0);
        assertThat(cells(grid(s), BRICK)).hasSize(29).doesNotContain(cell(3, 4));
        assertThat(cells(grid(s), BALL)).containsExactly(cell(4, 4)); // new y = last y
        assertThat(game.dir).isEqualTo(2);
        assertThat(game.strike).isTrue();
    }

    @Test
    void withStrikeOnTheBallEntersTheBrickCellAndStrikeStaysOnUntilAStepWithoutBricks() {
        reset(game, randint(0, 2, 0));
        ball(4, 3, 1, 4);
        game.strike = true;
        Step s = step(game, NOOP);
        assertThat(s.reward()).isZero();
        assertThat(cells(grid(s), BALL)).containsExactly(cell(3, 4));
        assertThat(cells(grid(s), BRICK)).hasSize(30).contains(cell(3, 4));
        assertThat(game.strike).isTrue();
        ball(6, 3, 1, 4); // open space: the strike goes off
        game.strike = true;
        step(game, NOOP);
        assertThat(game.strike).isFalse();
    }

    @Test
    void ballAboveThePaddleBouncesStraightBack() {
        reset(game, randint(0, 2, 0));
        ball(8, 4, 2, 4); // old x 4 = paddle: mirror vertically, new y = last y
        step(game, NOOP);
        assertThat(new int[] {game.ballY, game.ballX, game.dir}).containsExactly(8, 5, 1);
    }

    @Test
    void paddleMovedUnderTheBallCountsAsUnderIt() {
        reset(game, randint(0, 2, 0));
        ball(8, 3, 2, 4);
        step(game, LEFT); // paddle 3 = old x
        assertThat(new int[] {game.ballY, game.ballX, game.dir}).containsExactly(8, 4, 1);
    }

    @Test
    void paddleEdgeSendsTheBallBackTheWayItCame() {
        reset(game, randint(0, 2, 0));
        ball(8, 3, 2, 4); // new x 4 = paddle: d 2 -> 0
        Step s = step(game, NOOP);
        assertThat(new int[] {game.ballY, game.ballX, game.dir}).containsExactly(8, 4, 0);
        assertThat(s.terminated()).isFalse();
    }

    @Test
    void missingThePaddleEndsTheEpisodeWithTheBallOnRow9() {
        reset(game, randint(0, 2, 0));
        ball(8, 0, 2, 4);
        Step s = step(game, NOOP);
        assertThat(s.terminated()).isTrue();
        assertThat(s.reward()).isZero();
        assertThat(cells(grid(s), BALL)).containsExactly(cell(9, 1));
        assertThatThrownBy(() -> game.step(new float[] {0})).isInstanceOf(IllegalStateException.class).hasMessageContaining("call reset()");
    }

    @Test
    void bricksRefillWhenTheBallReachesRow9WithNoneLeft() {
        reset(game, randint(0, 2, 0));
        Arrays.fill(game.bricks, 0);
        game.bricks[2] = 1 << 7; // one brick left: no refill
        ball(8, 4, 2, 4);
        assertThat(cells(grid(step(game, NOOP)), BRICK)).containsExactly(cell(2, 7));
        game.bricks[2] = 0;
        ball(8, 4, 2, 4);
        Step s = step(game, NOOP);
        assertThat(cells(grid(s), BRICK)).isEqualTo(rows(1, 3));
        game.bricks[1] = game.bricks[2] = game.bricks[3] = 0;
        ball(8, 0, 2, 4); // the refill happens also on the losing step
        s = step(game, NOOP);
        assertThat(s.terminated()).isTrue();
        assertThat(cells(grid(s), BRICK)).isEqualTo(rows(1, 3));
    }
}
