package latte.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import latte.models.run.RunDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latte plot}: redraws a run's curve.png from its metrics.jsonl and summary.json. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw a run's learning curves (episode returns and model losses against environment steps) as a PNG.")
final class PlotCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory.")
    Path run;

    @Option(names = "--out", description = "PNG file to write. Default: the run's curve.png.")
    Path out;

    @Override
    public Integer call() {
        RunDir dir = new RunDir(run);
        if (!Files.exists(dir.metrics()))
            throw new IllegalArgumentException(run + " is not a Latte run directory (no metrics.jsonl)");
        Map<String, Object> summary = Files.exists(dir.summary()) ? RunDir.readJson(dir.summary()) : null;
        Path png = out != null ? out : dir.curve();
        CurvePlot.write(dir.readMetrics(), summary, png);
        System.out.println("wrote " + png.toAbsolutePath());
        return 0;
    }
}
