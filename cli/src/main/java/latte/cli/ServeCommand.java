package latte.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import latte.cli.dash.DashServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latte serve}: the dashboard over the run directories of a folder, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the dashboard of the runs in a folder: learning curves with smoothing, several runs overlaid,",
                "the live pictures and per-step surprise of runs trained with --dashboard, their settings and the results table.",
                "Listens on 127.0.0.1 only, unless --bind says otherwise; stops with Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "Folder of run directories (searched three levels deep). Default: runs.")
    Path runs = Path.of("runs");

    @Option(names = "--port", description = "Port. Default: " + DashServer.DEFAULT_PORT + "; 0 picks a free one.")
    int port = DashServer.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on. Default: 127.0.0.1 (this machine only);"
            + " 0.0.0.0 shows the runs to the whole network.")
    String bind = "127.0.0.1";

    @Override
    public Integer call() throws InterruptedException {
        try (DashServer server = start(DashServer.Options.of(runs, ResultsCommand::markdown).withBind(bind).withPort(port))) {
            System.out.println("dashboard of " + runs.toAbsolutePath().normalize() + " at " + server.uri() + " (Ctrl-C stops it)");
            new CountDownLatch(1).await();                                  // until the JVM is stopped
        }
        return 0;
    }

    /** Starts the dashboard, warning when it listens beyond this machine. */
    static DashServer start(DashServer.Options options) {
        DashServer server = DashServer.start(options);
        if (server.exposed())
            System.err.println("latte: warning: the dashboard listens on " + options.bind() + ", so other machines can read these runs;"
                    + " it has no login");
        return server;
    }
}
