package latte.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Frame;
import latte.envs.Space;
import latte.envs.Step;
import latte.envs.Task;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latte envs}: lists the tasks; {@code envs video} renders an episode to a GIF;
 * {@code envs trace} steps a task from a given physical state and prints CSV.
 */
@Command(name = "envs",
        description = "List the environments, render an episode, or trace the physics step by step.",
        mixinStandardHelpOptions = true,
        subcommands = {EnvsCommand.VideoCommand.class, EnvsCommand.TraceCommand.class})
final class EnvsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-26s %-34s %-28s %6s  %s%n", "name", "action", "observation", "steps", "source");
        for (String name : Envs.names()) {
            Task t = Envs.task(name, 64, 64);
            out.printf(Locale.ROOT, "%-26s %-34s %-28s %6d  %s%n", name, t.actionSpec(), shortBox(t.observationSpec()), t.defaultEpisodeSteps(), t.source());
        }
        out.println();
        out.println("Pixels: Envs.make(name, Envs.Options.defaults().withPixels(true)) observes uint8 [64, 64, 3] frames.");
        out.println("More:   latte envs video --help | latte envs trace --help");
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

    static Task task(CommandLine cl, String name, int size) {
        return Envs.task(name, size, size);
    }

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

        @Option(names = "--steps", description = "Task steps to run (default: the task's episode length).")
        Integer steps;

        @Option(names = "--size", defaultValue = "64", description = "Frame width and height in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--every", description = "Keep every k-th frame (default: about 25 frames per simulated second).")
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
            Task task = task(cl, env, size);
            int n = steps == null ? task.defaultEpisodeSteps() : steps;
            if (n <= 0) throw userError(cl, "--steps must be >= 1, got " + n);
            int k = every != null ? every : Math.max(1, (int) Math.round(0.04 / task.controlTimestep()));
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
                Step s = task.step(action(task.actionSpec(), rng));
                ret += s.reward();
                terminated = s.terminated();
                t++;
                if (t % k == 0 || terminated) kept.add(task.render());
            }
            int delayMs = (int) Math.max(20, Math.round(1000 * task.controlTimestep() * k));
            latte.envs.Video.writeGif(kept, out, Math.min(delayMs, 200));
            if (frames != null) {
                for (int i = 0; i < kept.size(); i++) latte.envs.Video.writePng(kept.get(i), frames.resolve(String.format(Locale.ROOT, "frame-%05d.png", i)));
            }
            PrintWriter w = cl.getOut();
            w.printf(Locale.ROOT, "%s: %d steps%s, return %.3f, %d frames -> %s%n", env, t, terminated ? " (terminated)" : "", ret, kept.size(), out);
            w.flush();
            return 0;
        }

        private float[] action(Space spec, SplittableRandom rng) {
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
    }

    @Command(name = "trace", mixinStandardHelpOptions = true,
            description = {"Start a task from a physical state, apply actions, print one CSV row per step.",
                    "Row t holds the state before step t, the action, the reward and whether the step terminated;",
                    "a last row holds the final state. State order: see the header (e.g. cartpole: x,theta,x_dot,theta_dot)."})
    static final class TraceCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--env", required = true, description = "Task name (see 'latte envs').")
        String env;

        @Option(names = "--state", required = true, description = "Comma-separated physical state, e.g. 0,3.14159,0,0.")
        String state;

        @Option(names = "--actions", required = true, description = "Semicolon-separated actions; a multi-dimensional action is comma-separated, e.g. \"1;-1;0.5\" or \"1,0;0,1\".")
        String actions;

        @Override
        public Integer call() throws Exception {
            return guarded(spec.commandLine(), this::trace);
        }

        private Integer trace() {
            CommandLine cl = spec.commandLine();
            Task task = task(cl, env, 64);
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
}
