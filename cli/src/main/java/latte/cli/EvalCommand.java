package latte.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import latte.core.Rng;
import latte.models.Agents;
import latte.models.loop.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latte eval}: evaluates a run's checkpoint against a random policy on the same seeds. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run without exploration noise, next to a random policy on the same seeds.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory.")
    Path run;

    @Option(names = "--episodes", defaultValue = "10", description = "Episodes. Default: ${DEFAULT-VALUE}.")
    int episodes;

    @Override
    public Integer call() {
        if (episodes < 1) throw new IllegalArgumentException("--episodes must be at least 1, got " + episodes);
        Agents.Opened o = Agents.open(run, true);
        Trainer t = Trainer.forEvaluation(o.run(), o.learner());
        long t0 = System.nanoTime();
        List<Double> agent = t.evaluate(o.learner().agent(0f, new Rng(o.seed())), episodes);
        double secs = (System.nanoTime() - t0) / 1e9;
        List<Double> random = t.evaluate(null, episodes);
        System.out.printf(Locale.ROOT, "%s on %s, %d episodes (%.1f s):%n", o.agent(), o.env(), episodes, secs);
        System.out.printf(Locale.ROOT, "  agent  %8.1f +- %.1f   %s%n", mean(agent), std(agent), fmt(agent));
        System.out.printf(Locale.ROOT, "  random %8.1f +- %.1f   %s%n", mean(random), std(random), fmt(random));
        return 0;
    }

    static double mean(List<Double> x) {
        return x.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double std(List<Double> x) {
        double m = mean(x);
        return Math.sqrt(x.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / x.size());
    }

    private static String fmt(List<Double> x) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < x.size(); i++) sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", x.get(i)));
        return sb.append(']').toString();
    }
}
