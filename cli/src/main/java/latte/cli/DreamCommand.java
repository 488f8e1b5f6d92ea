package latte.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import latte.models.Agents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latte dream}: real frames | posterior reconstructions | open-loop imagination. */
@Command(name = "dream", mixinStandardHelpOptions = true,
        description = {"Write dream.gif: an episode of the trained agent as the world model sees it.",
                "Three panels side by side: real frames | posterior reconstructions | open-loop imagination from the prior",
                "(after 5 context frames)."})
final class DreamCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory.")
    Path run;

    @Override
    public Integer call() {
        Agents.Opened o = Agents.open(run, true);
        Path gif = Training.writeDream(o.run(), o.learner(), o.env(), o.seed());
        if (gif == null) throw new IllegalArgumentException("agent '" + o.agent() + "' has no world model to picture");
        System.out.println("wrote " + gif.toAbsolutePath());
        return 0;
    }
}
