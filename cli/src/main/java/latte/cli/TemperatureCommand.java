package latte.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import latte.autodiff.io.AtomicFile;
import latte.envs.Frame;
import latte.envs.Video;
import latte.models.Agents;
import latte.models.run.EpisodeFile;
import latte.models.worldmodels.WorldModelsLearner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latte temperature}: World Models' temperature experiment (Ha and Schmidhuber 2018,
 * section 4.4, table 2). V and M come from a trained world-models run; for each tau a fresh C is
 * evolved only inside M's dream, then scored in the dream and in the real task.
 */
@Command(name = "temperature", mixinStandardHelpOptions = true,
        description = {"World Models' temperature experiment: for each tau, evolve C only inside M's dream (V and M from --run),",
                "then score it in the dream and in the real task. Prints a Markdown table; writes dream-tau-T.gif per tau."})
final class TemperatureCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "A trained World Models run directory.")
    Path run;

    @Option(names = "--taus", defaultValue = "0.5,1.0,1.15,1.3", split = ",", description = "Temperatures. Default: ${DEFAULT-VALUE}.")
    List<Float> taus;

    @Option(names = "--generations", defaultValue = "200", description = "CMA-ES generations in each dream. Default: ${DEFAULT-VALUE}.")
    int generations;

    @Option(names = "--episodes", defaultValue = "10", description = "Episodes scoring each C in the dream and in reality. Default: ${DEFAULT-VALUE}.")
    int episodes;

    @Option(names = "--out", description = "Markdown file for the table. Default: <run>/temperature.md.")
    Path out;

    @Override
    public Integer call() {
        if (generations < 1 || episodes < 1) throw new IllegalArgumentException("--generations and --episodes must be at least 1");
        for (float t : taus) if (!(t > 0)) throw new IllegalArgumentException("--taus: " + t + " is not a temperature > 0");
        Agents.Opened o = Agents.open(run, true);
        if (!(o.learner() instanceof WorldModelsLearner l))
            throw new IllegalArgumentException(run + " is a run of agent '" + o.agent() + "'; the temperature experiment needs a worldmodels run");
        List<byte[]> firsts = new ArrayList<>();
        int decisions = 0;
        try (var files = Files.list(o.run().episodes())) {
            for (Path f : files.sorted().toList()) {
                EpisodeFile.Episode e = EpisodeFile.read(f);
                firsts.add(e.obs()[0]);
                decisions = Math.max(decisions, e.steps());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + o.run().episodes() + ": " + e.getMessage(), e);
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "C evolved only in M's dream (%d generations), scored over %d episodes; V and M of %s%n%n"
                        + "| tau | dream score | real score |%n|---:|---:|---:|%n", generations, episodes, run));
        for (float tau : taus) {
            WorldModelsLearner.Dream dream = l.dream(firsts, decisions, tau);
            long t0 = System.nanoTime();
            double[] c = dream.evolve(generations, o.seed());
            double dreamScore = 0;
            for (int i = 0; i < episodes; i++) dreamScore += dream.episode(c, 7_000 + i, null) / episodes;
            double real = l.realReturn(c, episodes, 1_000_003L);
            List<Frame> frames = new ArrayList<>();
            dream.episode(c, 7_000, frames);
            Path gif = o.run().path().resolve(String.format(Locale.ROOT, "dream-tau-%s.gif", tau));
            Video.writeGif(frames, gif, 100);
            String row = String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", tau, dreamScore, real);
            table.append(row);
            System.out.printf(Locale.ROOT, "tau %s: dream %.1f, real %.1f (%.0f s; %s)%n", tau, dreamScore, real, (System.nanoTime() - t0) / 1e9, gif);
        }
        Path file = out != null ? out : o.run().path().resolve("temperature.md");
        AtomicFile.write(file, table.toString());
        System.out.print("\n" + table);
        System.out.println("\nwrote " + file.toAbsolutePath());
        return 0;
    }
}
