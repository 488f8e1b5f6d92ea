package latte.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.models.loop.Trainer;
import picocli.CommandLine.Option;

/** The options of a training run that {@code train} and {@code sweep} share (a sweep applies them to each cell). */
final class CellOptions {
    static final String DEFAULT_PRESET = "cpu";

    @Option(names = "--preset", description = "Hyperparameters: paper, cpu or debug. Default: " + DEFAULT_PRESET + ".")
    String preset;

    @Option(names = "--minutes", description = "Wall-clock budget, final evaluation included. Default: 20 if --episodes is not given.")
    Double minutes;

    @Option(names = "--episodes", description = "Stop after this many collected episodes (seed episodes included).")
    Integer episodes;

    @Option(names = "--objective", description = "PlaNet's latent objective: variational or deterministic. Default: the preset's (variational).")
    String objective;

    @Option(names = "--overshooting", description = "PlaNet's latent overshooting distance (1 = off). Default: 1.")
    Integer overshooting;

    @Option(names = "--action-repeat", description = "Environment steps per decision (loop.actionRepeat). Default: PlaNet's for the task, else the preset's.")
    Integer actionRepeat;

    @Option(names = "--latent", description = "Dreamer's stochastic state: gaussian (Dreamer v1) or categorical"
            + " (DreamerV2: 32 x 32 one-hots for paper, 16 x 16 cpu, 4 x 4 debug; KL balancing 0.8). Default: gaussian.")
    String latent;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one hyperparameter by its dotted path in config.json"
            + " (repeatable), e.g. --set loop.batch=32 --set model.loss.freeNats=1; unknown names list the valid ones."
            + " In a sweep, KEY=V1,V2 runs a cell per value.")
    List<String> settings = new ArrayList<>();

    String preset() {
        return preset != null ? preset : DEFAULT_PRESET;
    }

    /** The budget given, or 20 minutes; refuses non-positive values. */
    Trainer.Budget budget() {
        if (minutes != null && !(minutes > 0)) throw new IllegalArgumentException("--minutes must be positive, got " + minutes);
        if (episodes != null && episodes < 1) throw new IllegalArgumentException("--episodes must be at least 1, got " + episodes);
        return new Trainer.Budget(minutes == null ? (episodes == null ? 20 : 0) : minutes, episodes == null ? 0 : episodes);
    }

    /** The family options given, by name, in a fixed order. */
    Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        if (objective != null) o.put("objective", objective);
        if (overshooting != null) o.put("overshooting", Integer.toString(overshooting));
        if (latent != null) o.put("latent", latent);
        return o;
    }

    /** --action-repeat as a setting, then the --set settings. */
    List<String> allSettings() {
        List<String> all = new ArrayList<>();
        if (actionRepeat != null) all.add("loop.actionRepeat=" + actionRepeat);
        all.addAll(settings);
        return all;
    }
}
