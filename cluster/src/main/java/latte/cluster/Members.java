package latte.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starting a Hazelcast member of a Latte cluster, configured in code: a cluster name, TCP-IP join
 * with an explicit address list (never multicast or cloud auto-detection), a bind address
 * (127.0.0.1 unless one is given: the community edition has no authentication, so a member
 * listens on a public interface only when asked), ports {@value #DEFAULT_PORT} to
 * {@value #DEFAULT_PORT} + {@value #PORT_COUNT} - 1, no phone-home, no logging of its own.
 *
 * <p>The coordinator of a sweep is the one data member: the job board, progress and checkpoints
 * live in its memory, and workers join as lite members that hold no data. A worker that dies,
 * even by {@code kill -9}, then takes no partition with it; the coordinator's memory is mirrored
 * to the sweep directory, so its own restart resumes from there.
 */
public final class Members {
    public static final String DEFAULT_CLUSTER = "latte";
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701, PORT_COUNT = 20;
    /** How long a member tries to join before it gives up with an error. */
    static final int JOIN_SECONDS = 8;

    /**
     * How a member starts.
     *
     * @param clusterName members of one sweep share it; a member of another name is refused
     * @param bind        the interface address to listen on (127.0.0.1: this machine only)
     * @param port        the first port tried; the next free one of {@value #PORT_COUNT} is taken
     * @param join        HOST:PORT of members to join (empty: start a new cluster)
     * @param lite        a worker: runs cells and rollouts, holds no data
     */
    public record Options(String clusterName, String bind, int port, List<String> join, boolean lite) {
        public Options {
            if (clusterName == null || clusterName.isBlank())
                throw new IllegalArgumentException("cluster name is empty; give a name such as '" + DEFAULT_CLUSTER + "'");
            if (bind == null || bind.isBlank()) throw new IllegalArgumentException("--bind is empty; give an interface address such as 127.0.0.1");
            if (port < 1 || port > 65535 - PORT_COUNT) throw new IllegalArgumentException("--port " + port + " is not a port (1.." + (65535 - PORT_COUNT) + ")");
            join = List.copyOf(join);
            for (String a : join) address(a);
        }

        /** A coordinator: a new cluster on this machine's loopback. */
        public static Options coordinator() {
            return new Options(DEFAULT_CLUSTER, DEFAULT_BIND, DEFAULT_PORT, List.of(), false);
        }

        /** A worker that joins {@code addresses}. */
        public static Options worker(List<String> addresses) {
            if (addresses.isEmpty()) throw new IllegalArgumentException("--join: give the HOST:PORT of the sweep's coordinator");
            return new Options(DEFAULT_CLUSTER, DEFAULT_BIND, DEFAULT_PORT, addresses, true);
        }

        public Options withClusterName(String name) {
            return new Options(name, bind, port, join, lite);
        }

        public Options withBind(String address) {
            return new Options(clusterName, address, port, join, lite);
        }

        public Options withPort(int p) {
            return new Options(clusterName, bind, p, join, lite);
        }
    }

    private Members() {}

    /** The Hazelcast configuration of {@code o}, serialisers of the cluster's payloads included. */
    public static Config config(Options o) {
        Config c = new Config();
        c.setClusterName(o.clusterName());
        c.setInstanceName("latte-" + (o.lite() ? "worker" : "coordinator") + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        c.setLiteMember(o.lite());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "none");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.join.seconds", Integer.toString(JOIN_SECONDS));
        // a killed worker is noticed in seconds, not the default minute: its cells go back to the queue
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        c.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(o.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
        net.getInterfaces().setEnabled(true).addInterface(o.bind());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(3);
        // a coordinator lists no one: it never joins another sweep's cluster, workers join it
        for (String a : o.join()) join.getTcpIpConfig().addMember(a);
        // a member runs as many candidates' rollouts at once as it has cores
        c.addExecutorConfig(new ExecutorConfig(Rollouts.EXECUTOR).setPoolSize(Runtime.getRuntime().availableProcessors()));
        Serializers.register(c.getSerializationConfig());
        return c;
    }

    /**
     * Starts a member. A worker that cannot join is shut down and answered with why, within
     * seconds: nothing listens at the addresses, or a member answers there but refuses this one
     * (another cluster name).
     */
    public static HazelcastInstance start(Options o) {
        if (!o.lite() && o.join().isEmpty()) {
            HazelcastInstance h = Hazelcast.newHazelcastInstance(config(o));
            var other = h.getCluster().getMembers().stream().filter(m -> !m.localMember()).findFirst();
            if (other.isPresent()) {                                      // cannot happen with an empty member list; say so if it does
                h.shutdown();
                throw new IllegalStateException("another member of the cluster '" + o.clusterName() + "' is at " + address(other.get())
                        + "; a sweep's coordinator starts a cluster of its own: give another --cluster");
            }
            return h;
        }
        List<String> open = new ArrayList<>();
        for (String a : o.join()) if (reachable(a)) open.add(a);
        if (open.isEmpty())
            throw new IllegalStateException("cannot join the cluster '" + o.clusterName() + "': nothing listens at " + String.join(", ", o.join())
                    + " (is the sweep running there, and is it bound to an interface this machine reaches? see --bind)");
        HazelcastInstance h;
        try {
            h = Hazelcast.newHazelcastInstance(config(o));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot join the cluster '" + o.clusterName() + "' at " + String.join(", ", open) + ": " + e.getMessage(), e);
        }
        boolean joined = h.getCluster().getMembers().stream().anyMatch(m -> !m.localMember());
        boolean data = h.getCluster().getMembers().stream().anyMatch(m -> !m.isLiteMember());
        if (!joined || (o.lite() && !data)) {
            h.shutdown();
            throw new IllegalStateException("cannot join the cluster '" + o.clusterName() + "' at " + String.join(", ", open)
                    + ": a member answers there but did not accept this one within " + JOIN_SECONDS + " s; its cluster name differs"
                    + " (this member's is '" + o.clusterName() + "'; see --cluster) or it is not a Latte sweep");
        }
        return h;
    }

    /** HOST:PORT of this member as others reach it. */
    public static String address(HazelcastInstance h) {
        return address(h.getCluster().getLocalMember());
    }

    /** HOST:PORT of a member. */
    public static String address(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    /** Parses HOST:PORT, with a clear error. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1)
            throw new IllegalArgumentException("--join '" + hostPort + "' is not HOST:PORT (e.g. 127.0.0.1:" + DEFAULT_PORT + ")");
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--join '" + hostPort + "': the port '" + hostPort.substring(colon + 1) + "' is not a number");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("--join '" + hostPort + "': port " + port + " is out of range");
        return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
    }

    private static boolean reachable(String hostPort) {
        InetSocketAddress a = address(hostPort);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** "3 members (1 coordinator, 2 workers)" */
    public static String describe(HazelcastInstance h) {
        var ms = h.getCluster().getMembers();
        long lite = ms.stream().filter(Member::isLiteMember).count();
        return String.format(Locale.ROOT, "%d member%s (%d coordinator, %d worker%s)", ms.size(), ms.size() == 1 ? "" : "s",
                ms.size() - lite, lite, lite == 1 ? "" : "s");
    }
}
