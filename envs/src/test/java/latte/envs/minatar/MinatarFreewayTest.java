package latte.envs.minatar;

import static latte.envs.minatar.Freeway.CAR;
import static latte.envs.minatar.Freeway.CHICKEN;
import static latte.envs.minatar.MinAtarGame.DOWN;
import static latte.envs.minatar.MinAtarGame.NOOP;
import static latte.envs.minatar.MinAtarGame.UP;
import static latte.envs.minatar.Scripted.cell;
import static latte.envs.minatar.Scripted.cells;
import static latte.envs.minatar.Scripted.grid;
import static latte.envs.minatar.Scripted.rand;
import static latte.envs.minatar.Scripted.randint;
import static latte.envs.minatar.Scripted.reset;
import static latte.envs.minatar.Scripted.step;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import latte.envs.Observation;
import latte.envs.Step;
import org.junit.jupiter.api.Test;

/** MINATAR.md, "Freeway": one test per rule. Car i is on row i + 1; channel speed{s} is 1 + s. */
class MinatarFreewayTest {
    private final Freeway game = new Freeway(Scripted.SIX, 64, 64);

    /** Speeds 1..5, 1..3 for cars 0..7; directions from rand(): below 0.5 left, else right. */
    private static Draw[] speeds(double... dirs) {
        List<Draw> d = new ArrayList<>();
        int[] s = {1, 2, 3, 4, 5, 1, 2, 3};
        for (int v : s) d.add(randint(1, 6, v));
        for (double r : dirs) d.add(rand(r));
        return d.toArray(Draw[]::new);
    }

    private static final double[] ALL_RIGHT = {0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9};

    @Test
    void resetDrawsEightSpeedsThenEightDirections() {
        Observation.Grid g = reset(game, speeds(0.2, 0.7, 0.5, 0.49, 0.9, 0.1, 0.6, 0.0));
        assertThat(game.speed).containsExactly(-1, 2, 3, -4, 5, -1, 2, -3); // 0.5 - 0.5 = 0 counts as right
        assertThat(game.countdown).containsExactly(1, 2, 3, 4, 5, 1, 2, 3);
        assertThat(cells(g, CHICKEN)).containsExactly(cell(9, 4));
        assertThat(cells(g, CAR)).containsExactly(cell(1, 0), cell(2, 0), cell(3, 0), cell(4, 0), cell(5, 0), cell(6, 0), cell(7, 0), cell(8, 0));
        // trails behind each car, with wrap-around: left-movers at x 1, right-movers at x 9
        assertThat(cells(g, 1 + 1)).containsExactly(cell(1, 1), cell(6, 1)); // speed 1, both left
        assertThat(cells(g, 1 + 2)).containsExactly(cell(2, 9), cell(7, 9));
        assertThat(cells(g, 1 + 3)).containsExactly(cell(3, 9), cell(8, 1));
        assertThat(cells(g, 1 + 4)).containsExactly(cell(4, 1));
        assertThat(cells(g, 1 + 5)).containsExactly(cell(5, 9));
    }

    @Test
    void theChickenMovesOnlyWhenItsTimerIsZeroThenWaitsThreeFrames() {
        reset(game, speeds(ALL_RIGHT));
        for (int t = 1; t <= 3; t++) step(game, UP); // timer 3 -> 2 -> 1 -> 0
        assertThat(game.pos).isEqualTo(9);
        step(game, UP);
        assertThat(game.pos).isEqualTo(8);
        assertThat(game.moveTimer).isEqualTo(2);
        step(game, UP);
        step(game, UP);
        assertThat(game.pos).isEqualTo(8);
        step(game, NOOP); // a no-op leaves the timer at 0
        step(game, NOOP);
        step(game, DOWN);
        assertThat(game.pos).isEqualTo(9);
        game.moveTimer = 0;
        step(game, DOWN); // clamped at row 9
        assertThat(game.pos).isEqualTo(9);
    }

    @Test
    void crossingScoresRedrawsSpeedsKeepsPositionsAndSendsTheChickenBack() {
        reset(game, speeds(ALL_RIGHT));
        game.pos = 1;
        game.moveTimer = 0;
        game.carX[2] = 6;
        Step s = step(game, UP, speeds(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1));
        assertThat(s.reward()).isEqualTo(1.0);
        assertThat(game.pos).isEqualTo(9);
        assertThat(game.speed).containsExactly(-1, -2, -3, -4, -5, -1, -2, -3);
        // new countdowns |speed|, then this step's car rule decreases them (none was 0)
        assertThat(game.countdown).containsExactly(0, 1, 2, 3, 4, 0, 1, 2);
        assertThat(game.carX[2]).isEqualTo(6);
    }

    @Test
    void aCarEveryAbsSpeedPlusOneFramesMovesOneColumnWithWrapAround() {
        reset(game, speeds(0.9, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9)); // car 2: speed -3, car 4: speed 5
        List<Integer> slow = new ArrayList<>(), fast = new ArrayList<>();
        for (int t = 1; t <= 12; t++) {
            step(game, NOOP);
            fast.add(game.carX[2]);
            slow.add(game.carX[4]);
        }
        assertThat(fast).containsExactly(0, 0, 0, 9, 9, 9, 9, 8, 8, 8, 8, 7); // frames 4, 8, 12, leftwards, 0 -> 9
        assertThat(slow).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2); // frames 6, 12
    }

    @Test
    void aCarMovingOntoTheChickenSendsItBackToRow9WithoutEndingTheEpisode() {
        reset(game, speeds(ALL_RIGHT));
        game.pos = 8; // car 7's row
        game.carX[7] = 3;
        game.countdown[7] = 0;
        Step s = step(game, NOOP);
        assertThat(game.carX[7]).isEqualTo(4);
        assertThat(game.pos).isEqualTo(9);
        assertThat(s.terminated()).isFalse();
        assertThat(s.reward()).isZero();
    }

    @Test
    void theChickenWalkingIntoACarIsSentBack() {
        reset(game, speeds(ALL_RIGHT));
        game.carX[7] = 4; // row 8, column 4, not moving this frame
        game.countdown[7] = 2;
        game.moveTimer = 0;
        step(game, UP);
        assertThat(game.pos).isEqualTo(9);
        assertThat(game.moveTimer).isEqualTo(2);
    }

    @Test
    void theEpisodeEndsWhenTheTerminateTimerGoesBelowZeroOnStep2501() {
        reset(game, speeds(ALL_RIGHT));
        for (int t = 1; t <= 2500; t++) assertThat(step(game, NOOP).terminated()).as("step " + t).isFalse();
        assertThat(game.terminateTimer).isZero();
        Step last = step(game, NOOP);
        assertThat(last.terminated()).isTrue();
        assertThat(last.truncated()).isFalse();
    }
}
