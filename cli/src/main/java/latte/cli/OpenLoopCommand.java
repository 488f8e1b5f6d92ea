package latte.cli;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import latte.autodiff.io.AtomicFile;
import latte.core.Rng;
import latte.models.Agents;
import latte.models.family.Families;
import latte.models.loop.Trainer;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;
import latte.models.world.OpenLoop;
import latte.models.world.WorldModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code latte openloop}: how fast each run's imagination drifts from reality, and how the runs
 * learned. For each run it records episodes with the trained agent on fixed seeds, filters the
 * first frames of each window and rolls the model open-loop under the recorded actions
 * ({@link OpenLoop}); runs that differ only by seed share a row (as in {@code latte results}).
 * With {@code --out DIR} it writes openloop.md (the table) and openloop.png (the learning curves
 * and the error against the horizon). PlaNet's comparison of its deterministic and variational
 * objectives is this command over the six runs of docs/tour/04-variational-objective.md.
 */
@Command(name = "openloop", mixinStandardHelpOptions = true,
        description = {"Open-loop prediction error of runs' world models against the horizon (mean squared pixel error of the imagined",
                "frame k steps after the last seen one), next to holding the last frame; runs of one setting averaged over seeds.",
                "--out DIR writes openloop.md and openloop.png (learning curves and error against horizon)."})
final class OpenLoopCommand implements Callable<Integer> {
    /** Seeds of the recorded episodes: fixed, and apart from the training and evaluation seeds. */
    static final long SEED = 3_000_017L;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Run directories, or folders holding run directories.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--horizons", split = ",", description = "Steps of open-loop imagination to score. Default: 1,5,10,20,50.")
    int[] horizons = {1, 5, 10, 20, 50};

    @Option(names = "--episodes", description = "Episodes recorded per run. Default: 3.")
    int episodes = 3;

    @Option(names = "--context", description = "Frames the model sees before imagining. Default: 5.")
    int context = 5;

    @Option(names = "--stride", description = "Steps between two windows of an episode. Default: 5.")
    int stride = 5;

    @Option(names = "--out", description = "Folder for openloop.md and openloop.png (created if missing).")
    Path out;

    /** One run's figures: its errors over the recorded episodes and its evaluation returns against environment steps. */
    record Measured(ResultsCommand.Run run, OpenLoop.Errors errors, List<double[]> evals) {}

    @Override
    public Integer call() {
        if (episodes < 1) throw new IllegalArgumentException("--episodes must be at least 1, got " + episodes);
        List<Measured> measured = new ArrayList<>();
        for (ResultsCommand.Run r : ResultsCommand.collect(dirs)) {
            System.err.printf(Locale.ROOT, "openloop: %s ...%n", r.dir());
            measured.add(measure(r, horizons, episodes, context, stride));
        }
        for (Measured m : measured)
            if (!Arrays.equals(m.errors().horizons(), measured.getFirst().errors().horizons()))
                throw new IllegalArgumentException("openloop: " + m.run().dir() + " is scored at horizons " + Arrays.toString(m.errors().horizons())
                        + " and " + measured.getFirst().run().dir() + " at " + Arrays.toString(measured.getFirst().errors().horizons())
                        + " (episodes of different lengths); give --horizons that fit both");
        String table = table(measured);
        System.out.print(table);
        if (out != null) {
            AtomicFile.write(out.resolve("openloop.md"), table);
            CurvePlot.writePanels(panels(measured), out.resolve("openloop.png"));
            System.out.println("wrote " + out.resolve("openloop.md").toAbsolutePath() + " and openloop.png");
        }
        return 0;
    }

    static Measured measure(ResultsCommand.Run r, int[] horizons, int episodes, int context, int stride) {
        var family = Families.get(r.agent());
        if (family.worldModel(Agents.open(r.dir(), false).learner()).isEmpty())         // say so before asking for a checkpoint
            throw new IllegalArgumentException(r.dir() + ": agent '" + r.agent() + "' has no latent world model behind the WorldModel"
                    + " interface to roll open-loop");
        Agents.Opened o = Agents.open(r.dir(), true);
        WorldModel model = family.worldModel(o.learner()).orElseThrow();
        var env = Trainer.makeEnv(o.env(), o.learner().settings().observation(), o.learner().settings().actionRepeat());
        OpenLoop.Errors sum = null;
        for (int i = 0; i < episodes; i++) {
            EpisodeFile.Episode ep = Training.record(env, o.learner().agent(0f, new Rng(SEED + i)), SEED + i);
            int longest = ep.steps() - context;                              // a window must end inside the episode
            int[] fit = Arrays.stream(horizons).filter(h -> h <= longest).toArray();
            if (fit.length == 0)
                throw new IllegalArgumentException(r.dir() + ": episodes of " + ep.steps() + " steps leave no horizon of " + Arrays.toString(horizons)
                        + " after " + context + " context frames; give shorter --horizons");
            if (fit.length < horizons.length && i == 0)
                System.err.printf(Locale.ROOT, "openloop: %s: episodes of %d steps; horizons above %d left out%n", r.dir(), ep.steps(), longest);
            OpenLoop.Errors e = OpenLoop.errors(model, ep, context, fit, stride, new Rng(SEED + i));
            sum = sum == null ? e : sum.plus(e);
        }
        List<double[]> evals = new RunDir(r.dir()).readMetrics().stream().filter(m -> "eval".equals(m.get("type")))
                .map(m -> new double[] {num(m.get("envSteps")), num(m.get("returnMean"))}).toList();
        return new Measured(r, sum, evals);
    }

    /**
     * Runs by setting: agent, environment and every hyperparameter alike, seeds apart. A row is
     * labelled by its agent, environment and preset and by the settings in which the rows differ
     * (e.g. "planet Pendulum-v1 cpu, objective=deterministic").
     */
    static Map<String, List<Measured>> groups(List<Measured> measured) {
        Map<Map<String, String>, List<Measured>> by = new LinkedHashMap<>();
        for (Measured m : measured) {
            Map<String, String> key = new TreeMap<>(ResultsCommand.flatten(m.run().config()));
            key.put("agent", m.run().agent());
            key.put("env", m.run().env());
            by.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        }
        Set<String> differ = new TreeSet<>();
        for (Map<String, String> k : by.keySet())
            for (Map<String, String> o : by.keySet())
                for (String name : k.keySet()) if (!k.get(name).equals(o.get(name))) differ.add(name);
        differ.removeAll(List.of("agent", "env", "preset"));
        Map<String, List<Measured>> out = new LinkedHashMap<>();
        for (Map.Entry<Map<String, String>, List<Measured>> e : by.entrySet()) {
            Map<String, String> k = e.getKey();
            StringBuilder label = new StringBuilder(k.get("agent") + " " + k.get("env") + " " + k.get("preset"));
            for (String name : differ)
                label.append(label.indexOf(",") < 0 ? ", " : " ").append(name.substring(name.lastIndexOf('.') + 1)).append('=')
                        .append(String.valueOf(k.get(name)).toLowerCase(Locale.ROOT));
            out.put(label.toString(), e.getValue().stream().sorted(Comparator.comparingLong(m -> m.run().seed())).toList());
        }
        return out;
    }

    static String table(List<Measured> measured) {
        int[] hs = measured.getFirst().errors().horizons();
        StringBuilder sb = new StringBuilder("| runs | seeds | final return |");
        for (int h : hs) sb.append(" k = ").append(h).append(" |");
        sb.append("\n|---|---:|---:|").append("---:|".repeat(hs.length)).append('\n');
        double[] hold = new double[hs.length];
        for (Map.Entry<String, List<Measured>> g : groups(measured).entrySet()) {
            List<Measured> runs = g.getValue();
            double[] finals = runs.stream().mapToDouble(m -> m.run().num("evalReturnMean")).toArray();
            sb.append("| ").append(g.getKey()).append(" | ").append(runs.size()).append(" | ")
                    .append(runs.size() == 1 ? ResultsCommand.fmt(finals[0]) : ResultsCommand.meanStd(ResultsCommand.mean(finals), ResultsCommand.std(finals)))
                    .append(" |");
            for (int k = 0; k < hs.length; k++) {
                int kk = k;
                double[] v = runs.stream().mapToDouble(m -> m.errors().modelMse()[kk]).toArray();
                sb.append(' ').append(error(ResultsCommand.mean(v))).append(runs.size() > 1 ? " +- " + error(ResultsCommand.std(v)) : "").append(" |");
            }
            sb.append('\n');
        }
        for (Measured m : measured)
            for (int k = 0; k < hs.length; k++) hold[k] += m.errors().holdMse()[k] / measured.size();
        sb.append("| holding the last seen frame | | |");
        for (double h : hold) sb.append(' ').append(error(h)).append(" |");
        sb.append("\n\nMean squared error per pixel (values in [0, 1]) between the real frame and the model's open-loop prediction k steps"
                + " after the last frame it saw (posterior and prior means, recorded actions), over windows every few steps of episodes"
                + " recorded with each run's agent; +- is the std over seeds. Final return: the run's final evaluation.\n");
        return sb.toString();
    }

    /** Learning curves (evaluation returns) and the error against the horizon, a line per setting. */
    static List<CurvePlot.Panel> panels(List<Measured> measured) {
        List<CurvePlot.Series> curves = new ArrayList<>(), errors = new ArrayList<>();
        int i = 0;
        int[] hs = measured.getFirst().errors().horizons();
        for (Map.Entry<String, List<Measured>> g : groups(measured).entrySet()) {
            Color c = CurvePlot.PALETTE[i++ % CurvePlot.PALETTE.length];
            List<double[]> evals = new ArrayList<>(g.getValue().stream().flatMap(m -> m.evals().stream()).toList());
            evals.sort(Comparator.comparingDouble(p -> p[0]));
            String name = legend(g.getKey());
            curves.add(new CurvePlot.Series(name + " (" + g.getValue().size() + (g.getValue().size() == 1 ? " seed)" : " seeds)"), c, evals,
                    CurvePlot.Style.SMOOTHED));
            List<double[]> pts = new ArrayList<>();
            for (int k = 0; k < hs.length; k++) {
                int kk = k;
                pts.add(new double[] {hs[k], ResultsCommand.mean(g.getValue().stream().mapToDouble(m -> m.errors().modelMse()[kk]).toArray())});
            }
            errors.add(new CurvePlot.Series(name, c, pts, CurvePlot.Style.LINE));
        }
        List<double[]> hold = new ArrayList<>();
        for (int k = 0; k < hs.length; k++) {
            int kk = k;
            hold.add(new double[] {hs[k], measured.stream().mapToDouble(m -> m.errors().holdMse()[kk]).average().orElse(Double.NaN)});
        }
        errors.add(new CurvePlot.Series("holding the last seen frame", Color.BLACK, hold, CurvePlot.Style.DASHED));
        return List.of(new CurvePlot.Panel("Learning curves (evaluation episodes, all seeds)", "environment steps", "return", curves, false),
                new CurvePlot.Panel("Open-loop prediction error", "steps imagined without a frame (k)", "MSE per pixel, log scale", errors, true));
    }

    /** A row's label for a legend: the settings in which the rows differ, when there are such (the legend is narrow). */
    private static String legend(String label) {
        int comma = label.indexOf(", ");
        return comma < 0 ? label : label.substring(comma + 2);
    }

    /** An error to three significant digits. */
    static String error(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.3g", x);
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
