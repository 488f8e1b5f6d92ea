package latte.envs.minatar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import latte.envs.Observation;
import latte.envs.Step;

/** Test helpers: scripted draws per reset and per step (all must be used), and cell lists of a grid. */
final class Scripted {
    private Scripted() {}

    /** A cell (row y, column x). */
    record Cell(int y, int x) {}

    static Draw rand(double v) {
        return new Draw.Rand(v);
    }

    static Draw randint(int low, int high, int v) {
        return new Draw.RandInt(low, high, v);
    }

    /** A sticky draw that keeps the chosen action (0.5 >= any sticky probability used here). */
    static final Draw KEEP = rand(0.5);

    /** Game options without stickiness surprises: sticky 0.1, ramping on, the six actions. */
    static final MinAtar.Options SIX = MinAtar.Options.defaults();

    /** Resets {@code game} drawing exactly {@code draws}. */
    static Observation.Grid reset(MinAtarGame game, Draw... draws) {
        ReplayDraws r = Draws.replay(List.of(draws));
        game.useDraws(r);
        Observation.Grid g = game.reset().observation().grid();
        assertThat(r.remaining()).as("draws left after the reset").isZero();
        return g;
    }

    /** Steps {@code game} with {@code action} (one of the six), drawing a keeping sticky draw and then exactly {@code draws}. */
    static Step step(MinAtarGame game, int action, Draw... draws) {
        List<Draw> all = new ArrayList<>();
        all.add(KEEP);
        all.addAll(List.of(draws));
        return stepDrawing(game, action, all);
    }

    /** Steps {@code game} drawing exactly {@code draws} (the sticky draw included). */
    static Step stepDrawing(MinAtarGame game, int action, List<Draw> draws) {
        ReplayDraws r = Draws.replay(draws);
        game.useDraws(r);
        Step s = game.step(new float[] {action});
        assertThat(r.remaining()).as("draws left after the step").isZero();
        return s;
    }

    /** The cells where channel {@code c} is on, in row-major order. */
    static List<Cell> cells(Observation.Grid g, int c) {
        List<Cell> out = new ArrayList<>();
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) if (g.at(y, x, c)) out.add(new Cell(y, x));
        }
        return out;
    }

    static Cell cell(int y, int x) {
        return new Cell(y, x);
    }

    /** The cells of rows {@code y0..y1}, every column. */
    static List<Cell> rows(int y0, int y1) {
        List<Cell> out = new ArrayList<>();
        for (int y = y0; y <= y1; y++) for (int x = 0; x < 10; x++) out.add(new Cell(y, x));
        return out;
    }

    static Observation.Grid grid(Step s) {
        return s.observation().grid();
    }
}
