package latte.cli;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import latte.autodiff.io.AtomicFile;
import latte.autodiff.io.Json;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.perturb.Perturbations;
import latte.models.Agents;
import latte.models.family.AgentFamily;
import latte.models.family.Families;
import latte.models.loop.Trainer;
import latte.models.novelty.Calibration;
import latte.models.novelty.Detection;
import latte.models.novelty.Novelty;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;
import latte.models.uncertainty.Ensemble;
import latte.models.world.WorldModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latte ood}: novelty detection with a trained world model (Zollicoffer et al., ICML
 * 2025). The trained agent acts, as in evaluation, in N clean episodes and N episodes whose
 * environment changes at agent step {@code --at} (a {@link Perturbations} wrapper outside the
 * action repeat, so steps are decisions), on the same seeds: before the onset a perturbed
 * episode is the clean one. Every step is scored by the model's surprise ({@link Novelty}: KL,
 * observation NLL, and the ensemble's disagreement when the run has heads) and judged against the
 * threshold from training ({@link Calibration}, calibration.json):
 * <pre>
 *   AUROC          perturbed episodes' steps t >= at  against  every scored step of the clean episodes
 *   false alarms   clean episodes with any step above the threshold; clean steps above it
 *   delay          first step t >= at above the threshold, minus at; episodes never above: undetected
 * </pre>
 * Writes ood-PERTURB.json and ood-PERTURB.png (score against step, mean and band over episodes,
 * the onset and the threshold marked). {@code --calibrate} (re)writes calibration.json from the
 * run's last replay episodes first, for runs trained before training wrote it.
 */
@Command(name = "ood", mixinStandardHelpOptions = true,
        description = {"Novelty detection: score every step of clean episodes and of episodes perturbed from agent step --at on by the",
                "world model's surprise (KL(posterior || prior), observation NLL, ensemble disagreement), against thresholds from",
                "training (calibration.json); reports AUROC, false alarms and detection delay; writes ood-PERTURB.json and .png."})
final class OodCommand implements Callable<Integer> {
    /** Seeds of the episodes by default: fixed, and apart from the training, evaluation and openloop seeds. */
    static final long SEED = 4_000_037L;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "A trained PlaNet or Dreamer run directory.")
    Path run;

    @Option(names = "--perturb", paramLabel = "NAME", description = "colour, occlude, noise, mass, gravity or length.")
    String perturb;

    @Option(names = "--at", paramLabel = "STEP", description = "Agent step (decision, after the action repeat) of the onset: observation STEP is the first perturbed.")
    Integer at;

    @Option(names = "--magnitude", paramLabel = "X", description = "Size of the change. Default: colour 90 (degrees), occlude 0.35 (of the frame),"
            + " noise 30 (grey levels), mass 3, gravity 2, length 1.5 (factors).")
    Double magnitude;

    @Option(names = "--episodes", paramLabel = "N", description = "Clean and perturbed episodes each. Default: 5.")
    int episodes = 5;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the episodes (episode i uses S + i, clean and perturbed alike). Default: 4000037.")
    long seed = SEED;

    @Option(names = "--level", paramLabel = "P", description = "Calibration quantile used as threshold, in percent: 95, 99 or 99.9. Default: 99.")
    double level = 99;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for ood-PERTURB.json and .png. Default: the run directory.")
    Path out;

    @Option(names = "--calibrate", description = "(Re)write the run's calibration.json from its last replay episodes first.")
    boolean calibrate;

    /** The default magnitude of each perturbation: clearly visible, or a clearly different physics. */
    static double defaultMagnitude(Perturbations.Kind kind) {
        return switch (kind) {
            case COLOUR -> 90;
            case OCCLUDE -> 0.35;
            case NOISE -> 30;
            case MASS -> 3;
            case GRAVITY -> 2;
            case LENGTH -> 1.5;
        };
    }

    /** One score kind's figures. */
    record Result(Novelty.Kind kind, double threshold, double auroc, Detection.FalseAlarms alarms, Detection.Delays delays,
                  List<double[]> clean, List<double[]> perturbed) {}

    @Override
    public Integer call() {
        Perturbations.Spec spec = checkArguments();
        RunDir dir = new RunDir(run);
        Agents.Opened o = Agents.open(run, false);
        AgentFamily<?> family = Families.get(o.agent());
        if (family.worldModel(o.learner()).isEmpty())
            throw new IllegalArgumentException(run + ": agent '" + o.agent() + "' has no latent world model behind the WorldModel interface to score"
                    + " surprise with; ood reads PlaNet and Dreamer runs");
        o = Agents.open(run, true);
        WorldModel model = family.worldModel(o.learner()).orElseThrow();
        Ensemble ensemble = family.ensemble(o.learner()).orElse(null);
        Novelty novelty = new Novelty(model, ensemble);
        if (calibrate) {
            int last = ((Number) RunDir.readJson(dir.state()).get("episodes")).intValue();
            Calibration c = Calibration.ofRun(dir, last, novelty, new Rng(seed));
            c.write(dir);
            System.out.printf(Locale.ROOT, "wrote %s (%s, %d steps)%n", Calibration.file(dir), c.source(), c.steps());
        }
        if (spec == null) return 0;
        Calibration cal = Calibration.read(dir);
        int repeat = o.learner().settings().actionRepeat();
        Env clean = Trainer.makeEnv(o.env(), family.observation(), repeat);
        Env changed = spec.apply(Trainer.makeEnv(o.env(), family.observation(), repeat), seed);
        List<Novelty.Scores> cleanScores = new ArrayList<>(), perturbedScores = new ArrayList<>();
        for (int i = 0; i < episodes; i++) {
            System.err.printf(Locale.ROOT, "ood: episode %d of %d, clean and %s ...%n", i + 1, episodes, spec.kind().label());
            cleanScores.add(score(novelty, Training.record(clean, o.learner().agent(0f, new Rng(seed + i)), seed + i), seed + i));
            EpisodeFile.Episode ep = Training.record(changed, o.learner().agent(0f, new Rng(seed + i)), seed + i);
            if (ep.steps() <= spec.at() + 1)
                throw new IllegalArgumentException("--at " + spec.at() + ": the episodes of " + o.env() + " end after " + ep.steps()
                        + " agent steps (action repeat " + repeat + "); give a step below " + (ep.steps() - 1));
            perturbedScores.add(score(novelty, ep, seed + i));
        }
        List<Result> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (ensemble == null)
            notes.add("disagreement: skipped, the run has no ensemble heads (Dreamer with exploration.members >= 2 has them)");
        for (Novelty.Kind k : novelty.kinds()) {
            if (!cal.has(k)) {
                notes.add(k.label() + ": skipped, calibration.json has no thresholds for it; remake it with --calibrate");
                continue;
            }
            results.add(evaluate(k, cal.threshold(k, level / 100), spec.at(),
                    cleanScores.stream().map(s -> s.of(k)).toList(), perturbedScores.stream().map(s -> s.of(k)).toList()));
        }
        String table = table(results, spec, repeat, cal, level / 100, notes);
        System.out.print(table);
        Path folder = out == null ? run : out;
        String name = "ood-" + spec.kind().label();
        AtomicFile.write(folder.resolve(name + ".json"), Json.write(json(o, spec, repeat, cal, results, notes)) + "\n");
        CurvePlot.writePanels(panels(results, spec.at()), folder.resolve(name + ".png"));
        System.out.println("wrote " + folder.resolve(name + ".json").toAbsolutePath() + " and " + name + ".png");
        return 0;
    }

    /** Checks what can be checked before the run is opened; the perturbation, or null for --calibrate alone. */
    Perturbations.Spec checkArguments() {
        if (episodes < 1) throw new IllegalArgumentException("--episodes must be at least 1, got " + episodes);
        boolean known = false;
        for (double l : Calibration.LEVELS) known |= Math.abs(l * 100 - level) < 1e-9;
        if (!known) throw new IllegalArgumentException("--level " + level + " is not calibrated; valid levels: 95, 99, 99.9");
        level = Arrays.stream(Calibration.LEVELS).map(l -> l * 100).filter(l -> Math.abs(l - level) < 1e-9).findFirst().orElseThrow();
        if (perturb == null && at == null) {
            if (calibrate) return null;
            throw new IllegalArgumentException("give --perturb NAME and --at STEP (perturbations: " + String.join(", ", Perturbations.names())
                    + "), or --calibrate alone");
        }
        if (perturb == null) throw new IllegalArgumentException("--perturb: give one of " + String.join(", ", Perturbations.names()));
        Perturbations.Kind kind = Perturbations.kind(perturb);
        if (at == null) throw new IllegalArgumentException("--at: give the agent step at which the " + kind.label() + " perturbation starts");
        if (at < 0) throw new IllegalArgumentException("--at " + at + ": expected an agent step >= 0");
        return Perturbations.of(perturb, magnitude == null ? defaultMagnitude(kind) : magnitude, at);
    }

    private static Novelty.Scores score(Novelty novelty, EpisodeFile.Episode ep, long seed) {
        return novelty.score(ep, new Rng(seed));                         // one generator per seed: clean and perturbed alike before the onset
    }

    static Result evaluate(Novelty.Kind kind, double threshold, int at, List<double[]> clean, List<double[]> perturbed) {
        double auroc = Detection.auroc(Detection.pool(perturbed, at), Detection.pool(clean, 0));
        return new Result(kind, threshold, auroc, Detection.falseAlarms(clean, threshold), Detection.delays(perturbed, at, threshold),
                clean, perturbed);
    }

    static String table(List<Result> results, Perturbations.Spec spec, int repeat, Calibration cal, double level, List<String> notes) {
        String lv = Calibration.percent(level);
        StringBuilder sb = new StringBuilder();
        sb.append("| score | AUROC | threshold | false alarms: episodes | false alarms: steps | median delay | undetected |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append("| ").append(r.kind().label()).append(" | ").append(fmt(r.auroc(), 3)).append(" | ").append(String.format(Locale.ROOT, "%.4g", r.threshold()))
                    .append(" | ").append(r.alarms().alarmedEpisodes()).append('/').append(r.alarms().episodes())
                    .append(" | ").append(fmt(100 * r.alarms().stepRate(), 1)).append('%')
                    .append(" | ").append(Double.isNaN(r.delays().median()) ? "-" : fmt(r.delays().median(), 1))
                    .append(" | ").append(r.delays().undetected()).append('/').append(r.delays().delays().length + r.delays().undetected())
                    .append(" |\n");
        }
        sb.append(String.format(Locale.ROOT, "%nPerturbation %s, magnitude %s, from agent step %d on (observation %d is the first perturbed;"
                        + " one agent step = %d environment steps). AUROC: the perturbed episodes' steps from the onset against every scored"
                        + " step of the clean episodes (0.5 = chance). Threshold: calibration quantile (%s) of the scores on %s. False alarms:"
                        + " clean episodes with any step above it, and the share of clean steps above it. Delay: agent steps from the onset to"
                        + " the first step above the threshold, over the detected episodes; undetected: never above it after the onset.%n",
                spec.kind().label(), fmt(spec.magnitude(), 4), spec.at(), spec.at(), repeat, lv, cal.source()));
        for (String n : notes) sb.append("Note: ").append(n).append('\n');
        return sb.toString();
    }

    Map<String, Object> json(Agents.Opened o, Perturbations.Spec spec, int repeat, Calibration cal, List<Result> results, List<String> notes) {
        Map<String, Object> scores = new LinkedHashMap<>();
        for (Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("auroc", finite(r.auroc()));
            m.put("threshold", finite(r.threshold()));
            m.put("falseAlarmEpisodes", r.alarms().alarmedEpisodes());
            m.put("cleanEpisodes", r.alarms().episodes());
            m.put("falseAlarmEpisodeRate", finite(r.alarms().episodeRate()));
            m.put("falseAlarmStepRate", finite(r.alarms().stepRate()));
            m.put("medianDelay", finite(r.delays().median()));
            m.put("delays", Arrays.stream(r.delays().delays()).boxed().toList());
            m.put("detected", r.delays().delays().length);
            m.put("undetected", r.delays().undetected());
            m.put("cleanMean", curve(r.clean()));
            m.put("perturbedMean", curve(r.perturbed()));
            scores.put(r.kind().label(), m);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", spec.kind().label());
        p.put("magnitude", spec.magnitude());
        p.put("magnitudeMeaning", spec.kind().magnitudeMeaning());
        p.put("at", spec.at());
        p.put("unit", "agent steps (one = " + repeat + " environment steps); observation 'at' is the first perturbed");
        return RunDir.record("run", run.toString(), "agent", o.agent(), "env", o.env(), "actionRepeat", repeat, "perturbation", p,
                "episodes", episodes, "seed", seed, "level", level / 100, "calibration", cal.source(), "scores", scores, "notes", notes);
    }

    /** A panel per score: clean and perturbed means with a band of one std over episodes, the onset and the threshold. */
    static List<CurvePlot.Panel> panels(List<Result> results, int at) {
        Color clean = new Color(40, 110, 180), changed = new Color(200, 50, 40);
        List<CurvePlot.Panel> panels = new ArrayList<>();
        for (Result r : results) {
            List<double[]> c = band(r.clean()), p = band(r.perturbed());
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, last = 1;
            for (List<double[]> l : List.of(c, p))
                for (double[] q : l) {
                    lo = Math.min(lo, q[2]);
                    hi = Math.max(hi, q[3]);
                    last = Math.max(last, q[0]);
                }
            lo = Math.min(lo, r.threshold());
            hi = Math.max(hi, r.threshold());
            List<CurvePlot.Series> series = new ArrayList<>(List.of(
                    new CurvePlot.Series("clean (mean, +- std)", clean, c, CurvePlot.Style.BAND),
                    new CurvePlot.Series("perturbed (mean, +- std)", changed, p, CurvePlot.Style.BAND)));
            if (Double.isFinite(r.threshold()))
                series.add(new CurvePlot.Series("threshold", Color.BLACK, List.of(new double[] {0, r.threshold()}, new double[] {last, r.threshold()}),
                        CurvePlot.Style.DASHED));
            if (Double.isFinite(lo) && Double.isFinite(hi))
                series.add(new CurvePlot.Series("onset (step " + at + ")", new Color(120, 120, 120),
                        List.of(new double[] {at, lo}, new double[] {at, hi}), CurvePlot.Style.DASHED));
            panels.add(new CurvePlot.Panel(r.kind().meaning() + " (AUROC " + fmt(r.auroc(), 3) + ")", "agent step", r.kind().label(), series, false));
        }
        return panels;
    }

    /** Per step, {step, mean, mean - std, mean + std} over the episodes that reach it (NaN steps left out). */
    static List<double[]> band(List<double[]> episodes) {
        int n = episodes.stream().mapToInt(e -> e.length).max().orElse(0);
        List<double[]> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double s = 0, s2 = 0;
            int k = 0;
            for (double[] e : episodes)
                if (t < e.length && !Double.isNaN(e[t])) {
                    s += e[t];
                    s2 += e[t] * e[t];
                    k++;
                }
            if (k == 0) continue;
            double m = s / k, sd = Math.sqrt(Math.max(0, s2 / k - m * m));
            out.add(new double[] {t, m, m - sd, m + sd});
        }
        return out;
    }

    /** The mean over episodes at each step (null where no episode has a score). */
    private static List<Double> curve(List<double[]> episodes) {
        int n = episodes.stream().mapToInt(e -> e.length).max().orElse(0);
        Double[] out = new Double[n];
        for (double[] b : band(episodes)) out[(int) b[0]] = finite(b[1]);
        return Arrays.asList(out);
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static String fmt(double x, int digits) {
        if (Double.isNaN(x)) return "-";
        String s = String.format(Locale.ROOT, "%." + digits + "f", x);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
