package latte.cli;

import java.nio.file.Path;
import java.util.List;
import latte.cluster.Members;
import latte.cluster.Worker;
import picocli.CommandLine.Option;

/** The options of a cluster member that {@code sweep} (the coordinator) and {@code worker} share. */
final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "NAME", description = "Cluster name; members of another name are refused. Default: "
            + Members.DEFAULT_CLUSTER + ".")
    String cluster = Members.DEFAULT_CLUSTER;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Interface address to listen on. Default: " + Members.DEFAULT_BIND
            + " (this machine only). The cluster has no authentication: give an address of a trusted network only.")
    String bind = Members.DEFAULT_BIND;

    @Option(names = "--port", description = "First port tried; the next free of " + Members.PORT_COUNT + " is taken. Default: "
            + Members.DEFAULT_PORT + ".")
    int port = Members.DEFAULT_PORT;

    @Option(names = "--slots", description = "Cells this member runs at once (0: none). Default: one per two cores, here ${DEFAULT-VALUE}.")
    int slots = Worker.Options.defaultSlots();

    @Option(names = "--threads", description = "Kernel threads of this member's JVM (-Dlatte.threads). Default: every core.")
    Integer threads;

    @Option(names = "--sync-seconds", description = "Least seconds between two checkpoint uploads of a running cell (at most this much"
            + " work is redone when a member is lost; 0: every checkpoint). Default: ${DEFAULT-VALUE}.")
    double syncSeconds = 30;

    Members.Options member(List<String> join, boolean lite) {
        return new Members.Options(cluster, bind, port, join, lite);
    }

    Worker.Options worker() {
        return new Worker.Options(slots, syncSeconds, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Sets the JVM's kernel threads; must run before anything trains (the pool is sized once). */
    void applyThreads() {
        if (threads == null) return;
        if (threads < 1) throw new IllegalArgumentException("--threads " + threads + ": give at least 1");
        System.setProperty("latte.threads", Integer.toString(threads));
        if (latte.core.Parallel.threads() != threads)
            throw new IllegalStateException("--threads " + threads + ": the kernel pool was already started with " + latte.core.Parallel.threads());
    }
}
