package latte.cli;

import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import latte.cluster.Grid;
import latte.cluster.Members;
import latte.cluster.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code latte worker}: a member that runs cells (and CMA-ES rollouts) of a sweep coordinated elsewhere. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Join a sweep's cluster and run its cells until the sweep's coordinator leaves.",
                "Members find each other by address and cluster name, never by multicast. The cluster has no authentication:",
                "run it on a trusted network only (members listen on 127.0.0.1 unless --bind says otherwise)."})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--join", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Address of the sweep's coordinator (it prints it when it starts).")
    String join;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Override
    public Integer call() throws InterruptedException {
        cluster.applyThreads();
        List<String> addresses = new ArrayList<>(Grid.list("--join", join));
        HazelcastInstance h = Members.start(cluster.member(addresses, true));
        try (Worker w = new Worker(h, cluster.worker(), System.out)) {
            System.out.println("latte worker: joined the cluster '" + cluster.cluster + "' as " + Members.address(h) + ", "
                    + Members.describe(h) + "; " + cluster.slots + " slot" + (cluster.slots == 1 ? "" : "s"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> w.stop("stopped")));
            w.start();
            System.out.println("latte worker: stops: " + w.awaitStop());
        } finally {
            h.shutdown();
        }
        return 0;
    }
}
