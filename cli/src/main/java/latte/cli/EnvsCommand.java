package latte.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import latte.envs.BaseEnv;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.envs.Space;
import latte.envs.Step;
import latte.envs.Task;
import latte.envs.minatar.Draw;
import latte.envs.minatar.DrawRecorder;
import latte.envs.minatar.Draws;
import latte.envs.minatar.MinAtar;
import latte.envs.minatar.MinAtarGame;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latte envs}: lists the environments; {@code envs video} renders an episode to a GIF;
 * {@code envs trace} steps a physics task from a given state (CSV) or a MinAtar game from a
 * stream of draws (grids); {@code envs returns} measures random-policy returns.
 */
@Command(name = "envs",
        description = "List the environments, render an episode, trace the rules step by step, or measure random-policy returns.",
        mixinStandardHelpOptions = true,
        subcommands = {EnvsCommand.VideoCommand.class, EnvsCommand.TraceCommand.class, EnvsCommand.ReturnsCommand.class})
final class EnvsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-26s %-34s %-28s %6s  %s%n", "name", "action", "observation", "steps", "source");
        for (String name : Envs.names()) {
            BaseEnv t = Envs.bare(name, 64, 64);
            String obs = t instanceof MinAtarGame g ? "Grid[10, 10, " + g.channelNames().length + "] boolean" : shortBox(t.observationSpec());
            String steps = t.defaultEpisodeSteps() > 0 ? Integer.toString(t.defaultEpisodeSteps()) : "-";
            out.printf(Locale.ROOT, "%-26s %-34s %-28s %6s  %s%n", name, t.actionSpec(), obs, steps, t.source());
        }
        out.println();
        out.println("MinAtar action sets (full by default; MinAtar.Options.withMinimalActions(true) for the minimal one) and channels:");
        for (String name : MinAtar.names()) {
            MinAtarGame full = MinAtar.game(name, MinAtar.Options.defaults(), 64, 64);
            MinAtarGame minimal = MinAtar.game(name, MinAtar.Options.defaults().withMinimalActions(true), 64, 64);
            out.printf(Locale.ROOT, "  %-22s full: %s; minimal: %s%n", name, String.join(", ", full.actionNames()), String.join(", ", minimal.actionNames()));
            out.printf(Locale.ROOT, "  %-22s channels: %s%n", "", String.join(", ", full.channelNames()));
        }
        out.println("  options: sticky actions 0.1, difficulty ramping on; no time limit unless Envs.Options.withTimeLimit(n).");
        out.println();
        out.println("Pixels: Envs.make(name, Envs.Options.defaults().withPixels(true)) observes uint8 [64, 64, 3] frames.");
        out.println("More:   latte envs video --help | latte envs trace --help | latte envs returns --help");
        out.flush();
    }

    private static String shortBox(Space s) {
        if (s instanceof Space.Box b) {
            StringBuilder sb = new StringBuilder("Box[");
            for (int i = 0; i < b.shape().length; i++) sb.append(i > 0 ? ", " : "").append(b.shape()[i]);
            boolean bounded = true;
            for (int i = 0; i < b.size(); i++) bounded &= Float.isFinite(b.low()[i]) && Float.isFinite(b.high()[i]);
            return sb.append("]").append(bounded ? " bounded" : "").toString();
        }
        return s.toString();
    }

    /** A mistake in the user's input: printed as one line, exit code 2, no stack trace. */
    static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message);
        }
    }

    static UserError userError(CommandLine cl, String message) {
        return new UserError(message);
    }

    /** Runs a subcommand body, turning user errors into a message on stderr and exit code 2. */
    static int guarded(CommandLine cl, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (UserError | IllegalArgumentException e) {
            cl.getOut().flush();
            cl.getErr().println("latte envs " + cl.getCommandName() + ": " + e.getMessage());
            cl.getErr().println("(see: latte envs " + cl.getCommandName() + " --help)");
            cl.getErr().flush();
            return 2;
        }
    }

    /** A random (uniform over the action space) or all-zero action. */
    static float[] action(Space spec, Policy policy, SplittableRandom rng) {
        if (spec instanceof Space.Discrete d) {
            return new float[] {policy == Policy.ZERO ? 0 : rng.nextInt(d.n())};
        }
        Space.Box b = (Space.Box) spec;
        float[] a = new float[b.size()];
        if (policy == Policy.RANDOM) {
            for (int i = 0; i < a.length; i++) a[i] = (float) (b.low()[i] + (b.high()[i] - b.low()[i]) * rng.nextDouble());
        }
        return a;
    }

    /** MinAtar games: frames per second of {@code envs video}, and its step cap when no --steps is given. */
    static final int GAME_FPS = 10, GAME_VIDEO_STEPS = 1000;

    enum Policy { RANDOM, ZERO }

    @Command(name = "video", mixinStandardHelpOptions = true,
            description = "Render an episode of a task as an animated GIF (and optionally PNG frames).")
    static final class VideoCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--env", required = true, description = "Task name (see 'latte envs').")
        String env;

        @Option(names = "--policy", defaultValue = "random", description = "random or zero (default: ${DEFAULT-VALUE}).")
        Policy policy;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the episode and of the random policy (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--steps", description = "Task steps to run (default: the task's episode length; MinAtar: up to 1000).")
        Integer steps;

        @Option(names = "--size", defaultValue = "64", description = "Frame width and height in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--every", description = "Keep every k-th frame (default: about 25 frames per simulated second; MinAtar: every frame, 10 per second).")
        Integer every;

        @Option(names = "--frames", description = "Also write each kept frame as PNG into this directory.")
        Path frames;

        @Option(names = "--out", required = true, description = "Output GIF file.")
        Path out;

        @Override
        public Integer call() throws Exception {
            return guarded(spec.commandLine(), this::render);
        }

        private Integer render() {
            CommandLine cl = spec.commandLine();
            BaseEnv task = Envs.bare(env, size, size);
            double dt = task instanceof Task t ? t.controlTimestep() : 1.0 / GAME_FPS;
            int n = steps != null ? steps : task.defaultEpisodeSteps() > 0 ? task.defaultEpisodeSteps() : GAME_VIDEO_STEPS;
            if (n <= 0) throw userError(cl, "--steps must be >= 1, got " + n);
            int k = every != null ? every : Math.max(1, (int) Math.round(0.04 / dt));
            if (k <= 0) throw userError(cl, "--every must be >= 1, got " + k);
            if (!out.toString().toLowerCase(Locale.ROOT).endsWith(".gif")) throw userError(cl, "--out must name a .gif file, got " + out);
            SplittableRandom rng = new SplittableRandom(seed + 1);
            List<Frame> kept = new ArrayList<>();
            task.reset(seed);
            kept.add(task.render());
            double ret = 0;
            int t = 0;
            boolean terminated = false;
            while (t < n && !terminated) {
                Step s = task.step(action(task.actionSpec(), policy, rng));
                ret += s.reward();
                terminated = s.terminated();
                t++;
                if (t % k == 0 || terminated) kept.add(task.render());
            }
            int delayMs = (int) Math.max(20, Math.round(1000 * dt * k));
            latte.envs.Video.writeGif(kept, out, Math.min(delayMs, 200));
            if (frames != null) {
                for (int i = 0; i < kept.size(); i++) latte.envs.Video.writePng(kept.get(i), frames.resolve(String.format(Locale.ROOT, "frame-%05d.png", i)));
            }
            PrintWriter w = cl.getOut();
            w.printf(Locale.ROOT, "%s: %d steps%s, return %.3f, %d frames -> %s%n", env, t, terminated ? " (terminated)" : "", ret, kept.size(), out);
            w.flush();
            return 0;
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true,
            description = {"Physics tasks: start from a physical state (--state), apply actions, print one CSV row per step.",
                    "Row t holds the state before step t, the action, the reward and whether the step terminated;",
                    "a last row holds the final state. State order: see the header (e.g. cartpole: x,theta,x_dot,theta_dot).",
                    "MinAtar games: reset drawing from a draws file (--draws) or a seed (--seed), apply actions (indices or",
                    "names, e.g. \"fire;left;3\") and print the grid after the reset and after every step (format: docs/envs.md)."})
    static final class TraceCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--env", required = true, description = "Task name (see 'latte envs').")
        String env;

        @Option(names = "--state", description = "Physics tasks: comma-separated physical state, e.g. 0,3.14159,0,0.")
        String state;

        @Option(names = "--actions", required = true, description = "Semicolon-separated actions; a multi-dimensional action is comma-separated, e.g. \"1;-1;0.5\" or \"1,0;0,1\".")
        String actions;

        @Option(names = "--draws", description = "MinAtar: replay this file of draws (one 'rand V' or 'randint LOW HIGH V' a line).")
        Path draws;

        @Option(names = "--seed", description = "MinAtar: draw from SplittableRandom(seed) instead of a file.")
        Long seed;

        @Option(names = "--save-draws", description = "MinAtar: write the draws used to this file (replayable with --draws).")
        Path saveDraws;

        @Option(names = "--sticky", description = "MinAtar: sticky-action probability (default 0.1).")
        Double sticky;

        @Option(names = "--minimal-actions", description = "MinAtar: the game's minimal action set.")
        boolean minimalActions;

        @Option(names = "--no-ramping", description = "MinAtar: no difficulty ramping.")
        boolean noRamping;

        @Override
        public Integer call() throws Exception {
            return guarded(spec.commandLine(), this::trace);
        }

        private Integer trace() {
            CommandLine cl = spec.commandLine();
            BaseEnv bare = Envs.bare(env, 64, 64);
            if (bare instanceof MinAtarGame) return traceGame(cl);
            if (draws != null || seed != null || saveDraws != null || sticky != null || minimalActions || noRamping) {
                throw userError(cl, "--draws, --seed, --save-draws, --sticky, --minimal-actions and --no-ramping are for MinAtar games; " + env + " takes --state");
            }
            if (state == null) throw userError(cl, env + " is a physics task: give its physical state with --state");
            Task task = (Task) bare;
            double[] s0 = parse(cl, state, "--state");
            List<float[]> acts = new ArrayList<>();
            for (String a : actions.split(";", -1)) {
                if (a.isBlank()) throw userError(cl, "--actions has an empty action in \"" + actions + "\"");
                double[] v = parse(cl, a, "--actions");
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
                acts.add(f);
            }
            String[] names = task.stateNames();
            int actSize = task.actionSpec().size();
            task.setPhysicsState(s0);
            for (int i = 0; i < acts.size(); i++) {
                try { // check every action before printing anything
                    task.checkAction(acts.get(i));
                } catch (IllegalArgumentException e) {
                    throw userError(cl, "action " + i + ": " + e.getMessage());
                }
            }
            PrintWriter out = cl.getOut();
            StringBuilder header = new StringBuilder("step");
            for (String n : names) header.append(',').append(n);
            for (int i = 0; i < actSize; i++) header.append(",action").append(actSize == 1 ? "" : Integer.toString(i));
            out.println(header.append(",reward,terminated"));
            int t = 0;
            for (float[] a : acts) {
                double[] before = task.physicsState();
                Step s = task.step(a);
                StringBuilder row = new StringBuilder(Integer.toString(t));
                for (double v : before) row.append(',').append(v);
                for (float v : a) row.append(',').append(v);
                out.println(row.append(',').append(s.reward()).append(',').append(s.terminated()));
                t++;
                if (s.terminated()) break;
            }
            StringBuilder last = new StringBuilder(Integer.toString(t));
            for (double v : task.physicsState()) last.append(',').append(v);
            for (int i = 0; i < actSize; i++) last.append(',');
            out.println(last.append(",,"));
            out.flush();
            return 0;
        }

        /** A MinAtar game: reset and step on a recorded (or seeded) stream of draws, printing each grid. */
        private Integer traceGame(CommandLine cl) {
            if (state != null) throw userError(cl, env + " is a MinAtar game: it takes --draws FILE or --seed N, not --state");
            if ((draws == null) == (seed == null)) throw userError(cl, env + " needs exactly one of --draws FILE and --seed N");
            MinAtar.Options options = new MinAtar.Options(sticky == null ? 0.1 : sticky, !noRamping, minimalActions);
            MinAtarGame game = MinAtar.game(env, options, 64, 64);
            List<Integer> acts = gameActions(cl, game);
            List<Draw> stream = draws != null ? Draws.read(draws) : null;
            DrawRecorder recorder = new DrawRecorder(stream != null ? Draws.replay(stream) : Draws.seeded(seed));
            game.useDraws(recorder);
            PrintWriter out = cl.getOut();
            String[] channels = game.channelNames();
            StringBuilder legend = new StringBuilder("# " + env + ": 10x10 grid, channels");
            for (int c = 0; c < channels.length; c++) legend.append(' ').append(c).append(' ').append(channels[c]);
            out.println(legend);
            out.println("# a cell shows its highest channel ('.' when empty); cells with more channels are listed after the grid");
            out.println("# actions: " + String.join(", ", game.actionNames()) + "; sticky " + options.stickyActions()
                    + (options.ramping() ? ", ramping" : ", no ramping") + "; draws " + (stream != null ? "from " + draws + " (" + stream.size() + ")" : "from seed " + seed));
            int used = 0, t = 0, at = 0; // at: the step being run, 0 = the reset
            double ret = 0;
            try {
                Observation.Grid g = game.reset().observation().grid();
                out.println("step 0 reset" + drawsSince(recorder, used));
                used = recorder.draws().size();
                printGrid(out, g);
                for (int a : acts) {
                    at = t + 1;
                    Step s = game.step(new float[] {a});
                    t++;
                    ret += s.reward();
                    int taken = game.previousAction(), chosen = game.fullAction(a);
                    out.printf(Locale.ROOT, "step %d action %s%s reward %s%s%s%n", t, MinAtarGame.actionName(chosen),
                            taken != chosen ? " (sticky: " + MinAtarGame.actionName(taken) + ")" : "", fmt(s.reward()),
                            s.terminated() ? " terminated" : "", drawsSince(recorder, used));
                    used = recorder.draws().size();
                    printGrid(out, s.observation().grid());
                    if (s.terminated()) break;
                }
            } catch (IllegalStateException e) { // a draws stream that ran out or does not match
                out.flush();
                throw userError(cl, (at == 0 ? "reset" : "step " + at) + ": " + e.getMessage());
            }
            out.printf(Locale.ROOT, "end: %d steps, return %s%s, %d draws used%s%n", t, fmt(ret), game.terminated() ? ", terminated" : "",
                    recorder.draws().size(), stream != null ? ", " + (stream.size() - recorder.draws().size()) + " left in the file" : "");
            if (t < acts.size()) out.printf(Locale.ROOT, "(%d actions not applied: the episode ended)%n", acts.size() - t);
            if (saveDraws != null) Draws.write(saveDraws, recorder.draws(), env + " " + (stream != null ? "draws " + draws : "seed " + seed));
            out.flush();
            return 0;
        }

        /** The actions as indices of the game's action set: integers or names ("fire", "no-op"). */
        private List<Integer> gameActions(CommandLine cl, MinAtarGame game) {
            List<String> names = List.of(game.actionNames());
            List<Integer> acts = new ArrayList<>();
            String[] tokens = actions.split(";", -1);
            for (int i = 0; i < tokens.length; i++) {
                String a = tokens[i].trim().toLowerCase(Locale.ROOT);
                if (a.isEmpty()) throw userError(cl, "--actions has an empty action in \"" + actions + "\"");
                int index = names.indexOf(a.equals("noop") ? "no-op" : a);
                if (index < 0) {
                    float v;
                    try {
                        v = Float.parseFloat(a);
                    } catch (NumberFormatException e) {
                        throw userError(cl, "action " + i + ": '" + a + "', expected an index or one of " + String.join(", ", names));
                    }
                    try {
                        game.actionSpec().checkAction(env, new float[] {v});
                    } catch (IllegalArgumentException e) {
                        throw userError(cl, "action " + i + ": " + e.getMessage() + " (" + String.join(", ", names) + ")");
                    }
                    index = (int) v;
                }
                acts.add(index);
            }
            return acts;
        }

        private static String drawsSince(DrawRecorder recorder, int from) {
            List<Draw> all = recorder.draws();
            if (all.size() == from) return "";
            StringBuilder sb = new StringBuilder(" draws");
            for (int i = from; i < all.size(); i++) sb.append(i > from ? " |" : "").append(' ').append(all.get(i).line());
            return sb.toString();
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }

        /** The grid as 10 rows of the highest channel per cell, then the cells with more than one channel. */
        static void printGrid(PrintWriter out, Observation.Grid g) {
            out.println("  0123456789");
            StringBuilder overlaps = new StringBuilder();
            for (int y = 0; y < g.height(); y++) {
                StringBuilder row = new StringBuilder().append(y).append(' ');
                for (int x = 0; x < g.width(); x++) {
                    StringBuilder set = new StringBuilder();
                    for (int c = 0; c < g.channels(); c++) if (g.at(y, x, c)) set.append(set.isEmpty() ? "" : "+").append(c);
                    int top = -1;
                    for (int c = g.channels() - 1; c >= 0 && top < 0; c--) if (g.at(y, x, c)) top = c;
                    row.append(top < 0 ? '.' : Character.forDigit(top, 36));
                    if (set.indexOf("+") >= 0) overlaps.append(" (").append(y).append(',').append(x).append(")=").append(set);
                }
                out.println(row);
            }
            if (!overlaps.isEmpty()) out.println("  overlaps:" + overlaps);
        }

        private static double[] parse(CommandLine cl, String csv, String option) {
            String[] parts = csv.split(",", -1);
            double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    v[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw userError(cl, option + ": '" + parts[i].trim() + "' is not a number (in \"" + csv + "\")");
                }
                if (!Double.isFinite(v[i])) throw userError(cl, option + ": '" + parts[i].trim() + "' is not finite (in \"" + csv + "\")");
            }
            return v;
        }
    }

    @Command(name = "returns", mixinStandardHelpOptions = true,
            description = {"Random-policy returns: N episodes of uniformly random actions (environment seeded once with --seed,",
                    "then reset() between episodes; policy from SplittableRandom(seed + 1)); prints mean, standard error,",
                    "min, max and mean length. Physics tasks run under their default time limit."})
    static final class ReturnsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--env", required = true, description = "Environment name (see 'latte envs').")
        String env;

        @Option(names = "--episodes", defaultValue = "1000", description = "Episodes (default: ${DEFAULT-VALUE}).")
        int episodes;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--minimal-actions", description = "MinAtar: the game's minimal action set.")
        boolean minimalActions;

        @Override
        public Integer call() throws Exception {
            return guarded(spec.commandLine(), this::measure);
        }

        private Integer measure() {
            CommandLine cl = spec.commandLine();
            if (episodes < 1) throw userError(cl, "--episodes must be >= 1, got " + episodes);
            boolean game = Envs.bare(env, 64, 64) instanceof MinAtarGame;
            if (minimalActions && !game) throw userError(cl, "--minimal-actions is for MinAtar games");
            Env e = game ? MinAtar.make(env, MinAtar.Options.defaults().withMinimalActions(minimalActions), Envs.Options.defaults())
                    : Envs.make(env);
            SplittableRandom policy = new SplittableRandom(seed + 1);
            double sum = 0, sumSq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            long steps = 0;
            e.reset(seed);
            for (int i = 0; i < episodes; i++) {
                if (i > 0) e.reset();
                double ret = 0;
                for (boolean done = false; !done; steps++) {
                    Step s = e.step(action(e.actionSpec(), Policy.RANDOM, policy));
                    ret += s.reward();
                    done = s.done();
                }
                sum += ret;
                sumSq += ret * ret;
                min = Math.min(min, ret);
                max = Math.max(max, ret);
            }
            double mean = sum / episodes, var = episodes > 1 ? (sumSq - episodes * mean * mean) / (episodes - 1) : 0;
            PrintWriter w = cl.getOut();
            w.printf(Locale.ROOT, "%s: random policy, %d episodes, seed %d%s: return %.3f +- %.3f (standard error), min %s, max %s, mean length %.1f%n",
                    env, episodes, seed, minimalActions ? ", minimal actions" : "", mean, Math.sqrt(Math.max(0, var) / episodes),
                    TraceCommand.fmt(min), TraceCommand.fmt(max), (double) steps / episodes);
            w.flush();
            return 0;
        }
    }
}
