package latte.envs.minatar;

import latte.envs.BaseEnv;
import latte.envs.Frame;
import latte.envs.Info;
import latte.envs.Observation;
import latte.envs.Reset;
import latte.envs.Space;
import latte.envs.Step;

/**
 * Base of the MinAtar games: the wrapper rules of MINATAR.md ("The wrapper (all games)") and
 * everything that is not a game rule. A game supplies its reset ({@link #start}), one frame of
 * its rules ({@link #frame}) and its observation ({@link #draw}).
 *
 * <ul>
 *   <li>One random source ({@link Draws}): {@link #reset(long)} seeds a fresh one, {@link #reset()}
 *       continues it (seed 0 before any seeded reset), {@link #useDraws} installs another (a
 *       {@link DrawRecorder}, a {@link ReplayDraws}).</li>
 *   <li>Sticky actions: each step first draws {@code rand()}; below the sticky probability the
 *       previous action is taken instead of the chosen one; the taken action becomes the previous
 *       one. It starts as no-op when the game is created and carries over across episodes (also
 *       across {@code reset(seed)}). The draw is made even when the probability is 0.</li>
 *   <li>Actions: the six of the page by index, or the game's minimal set (indices into the six).</li>
 *   <li>Observation: {@link Observation.Grid} {@code [10, 10, C]}; {@code render()} paints it
 *       ({@link GridPicture}). Stepping before a reset or after the episode ended is an error.</li>
 *   <li>A rule that ends the episode sets a flag; the rest of that step's rules still run.</li>
 * </ul>
 */
public abstract sealed class MinAtarGame implements BaseEnv permits Breakout, Asterix, Freeway, Seaquest, SpaceInvaders {
    /** Side of the grid. */
    public static final int SIZE = 10;
    /** The six actions of every game, by index. */
    public static final int NOOP = 0, LEFT = 1, UP = 2, RIGHT = 3, DOWN = 4, FIRE = 5;
    private static final String[] ACTION_NAMES = {"no-op", "left", "up", "right", "down", "fire"};
    private static final double[] NO_PHYSICS = {};

    private final String name;
    private final MinAtar.Options options;
    private final String[] channelNames;
    private final int channels;
    private final int[] actions; // action index -> one of the six
    private final Space actionSpec, observationSpec;
    private final GridPicture picture;
    private final int width, height;
    private Draws draws;
    private int previous = NOOP;
    private boolean started, terminal;
    private int elapsed;
    private byte[] cells; // the current observation's cells

    protected MinAtarGame(String name, MinAtar.Options options, String[] channelNames, int[] minimalActions, int width, int height) {
        if (width < 8 || height < 8 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException(name + ": render size " + width + "x" + height + ", expected 8..4096 per side");
        }
        this.name = name;
        this.options = options;
        this.channelNames = channelNames.clone();
        this.channels = channelNames.length;
        this.actions = options.minimalActions() ? minimalActions.clone() : new int[] {NOOP, LEFT, UP, RIGHT, DOWN, FIRE};
        this.actionSpec = new Space.Discrete(actions.length);
        this.observationSpec = Space.Box.uniform(0, 1, SIZE, SIZE, channels);
        this.picture = new GridPicture(channels, width, height);
        this.width = width;
        this.height = height;
    }

    // ---- the game ----

    /** Puts the game in its initial state, drawing what its reset draws. */
    protected abstract void start(Draws draws);

    /** Applies the rules of one step to {@code action} (one of the six, after stickiness); returns the reward. */
    protected abstract int frame(int action, Draws draws);

    /** Sets the cells of the observation in {@code cells} ({@code [10, 10, C]}, all 0 on entry) with {@link #on}. */
    protected abstract void draw(byte[] cells);

    /** Ends the episode at the end of this step (the game's terminal condition). */
    protected final void endEpisode() {
        terminal = true;
    }

    /** Whether difficulty ramping is on. */
    protected final boolean ramping() {
        return options.ramping();
    }

    /** Turns on channel {@code c} of cell (row {@code y}, column {@code x}). */
    protected final void on(byte[] cells, int y, int x, int c) {
        cells[(y * SIZE + x) * channels + c] = 1;
    }

    // ---- the Env API ----

    @Override
    public final Reset reset(long seed) {
        draws = Draws.seeded(seed);
        return begin();
    }

    @Override
    public final Reset reset() {
        if (draws == null) draws = Draws.seeded(0);
        return begin();
    }

    /** Makes {@code source} the game's random source from now on (the next {@link #reset()} draws from it). */
    public final void useDraws(Draws source) {
        if (source == null) throw new IllegalArgumentException(name + ": draws source is null");
        draws = source;
    }

    private Reset begin() {
        terminal = false;
        elapsed = 0;
        start(draws);
        started = true;
        return new Reset(observe(), new Info(NO_PHYSICS, 0));
    }

    @Override
    public final Step step(float[] action) {
        if (!started) throw new IllegalStateException(name + ": step before reset; call reset(seed) first");
        if (terminal) throw new IllegalStateException(name + ": step after the episode terminated; call reset()");
        actionSpec.checkAction(name, action);
        int chosen = fullAction((int) action[0]);
        // MINATAR.md, the wrapper: the sticky draw comes before any draw of the game
        int taken = draws.rand() < options.stickyActions() ? previous : chosen;
        previous = taken;
        int reward = frame(taken, draws);
        elapsed++;
        return new Step(observe(), reward, terminal, false, new Info(NO_PHYSICS, elapsed));
    }

    private Observation.Grid observe() {
        cells = new byte[SIZE * SIZE * channels];
        draw(cells);
        return new Observation.Grid(SIZE, SIZE, channels, cells);
    }

    /** The current observation (the one the last reset or step returned). */
    public final Observation.Grid grid() {
        if (cells == null) throw new IllegalStateException(name + ": no observation before reset");
        return new Observation.Grid(SIZE, SIZE, channels, cells.clone());
    }

    @Override
    public final Frame render() {
        byte[] out = new byte[width * height * 3];
        renderInto(out);
        return new Frame(height, width, 3, out);
    }

    @Override
    public final void renderInto(byte[] out) {
        if (cells == null) throw new IllegalStateException(name + ": render before reset; call reset(seed) first");
        picture.paint(cells, out);
    }

    // ---- descriptions ----

    @Override
    public final String name() {
        return name;
    }

    @Override
    public String source() {
        return "MinAtar (Young & Tian 2019), from MINATAR.md";
    }

    /** 0: no MinAtar game has a frame cap of its own (Freeway's timer terminates it). */
    @Override
    public final int defaultEpisodeSteps() {
        return 0;
    }

    @Override
    public final int[] renderSize() {
        return new int[] {height, width};
    }

    @Override
    public final Space actionSpec() {
        return actionSpec;
    }

    /** {@code Box[10, 10, C] [0, 1]}: the shape of the {@link Observation.Grid} observations. */
    @Override
    public final Space observationSpec() {
        return observationSpec;
    }

    public final MinAtar.Options options() {
        return options;
    }

    /** The channel names, in channel order. */
    public final String[] channelNames() {
        return channelNames.clone();
    }

    /** The names of the actions {@link #step} takes, by index (e.g. {@code no-op, left, right}). */
    public final String[] actionNames() {
        String[] n = new String[actions.length];
        for (int i = 0; i < n.length; i++) n[i] = ACTION_NAMES[actions[i]];
        return n;
    }

    /** The action (one of the six) that index {@code index} of this game's action set stands for. */
    public final int fullAction(int index) {
        if (index < 0 || index >= actions.length) {
            throw new IllegalArgumentException(name + ": action index " + index + ", expected an index in [0, " + (actions.length - 1) + "]");
        }
        return actions[index];
    }

    /** The name of one of the six actions. */
    public static String actionName(int action) {
        return ACTION_NAMES[action];
    }

    /** The action (one of the six) the last step took, after stickiness; also the next sticky repeat. */
    public final int previousAction() {
        return previous;
    }

    /** Steps taken since the last reset. */
    public final int elapsedSteps() {
        return elapsed;
    }

    /** Whether the episode has ended. */
    public final boolean terminated() {
        return terminal;
    }

    @Override
    public String toString() {
        return name;
    }
}
