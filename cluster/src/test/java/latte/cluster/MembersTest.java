package latte.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Members find each other by an explicit address and cluster name, on loopback; a member that cannot join says why, within seconds. */
class MembersTest {
    static Members.Options coordinator(String name) {
        return Members.Options.coordinator().withClusterName(name);
    }

    @Test
    void aWorkerJoinsTheCoordinatorOnLoopbackAsALiteMember() {
        HazelcastInstance c = Members.start(coordinator("members-join"));
        try {
            assertThat(Members.address(c)).startsWith("127.0.0.1:");
            HazelcastInstance w = Members.start(Members.Options.worker(List.of(Members.address(c))).withClusterName("members-join"));
            try {
                assertThat(c.getCluster().getMembers()).hasSize(2);
                assertThat(w.getCluster().getLocalMember().isLiteMember()).isTrue();
                assertThat(Members.describe(c)).isEqualTo("2 members (1 coordinator, 1 worker)");
            } finally {
                w.shutdown();
            }
        } finally {
            c.shutdown();
        }
    }

    @Test
    void theDefaultListensOnLoopbackOnlyAndTwoCoordinatorsOfOneNameStayApart() throws Exception {
        HazelcastInstance a = Members.start(coordinator("members-apart"));
        HazelcastInstance b = Members.start(coordinator("members-apart"));
        try {
            assertThat(a.getCluster().getMembers()).hasSize(1);
            assertThat(b.getCluster().getMembers()).hasSize(1);
            int port = a.getCluster().getLocalMember().getAddress().getPort();
            // the kernel's tables of listening sockets (Linux): the member's port is bound to 127.0.0.1 alone (IPv4, or
            // IPv4-mapped on a dual-stack socket); no traffic is needed to see it
            String hexPort = String.format(":%04X", port);
            List<String> listening = new java.util.ArrayList<>();
            for (Path table : List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")))
                if (Files.isReadable(table))
                    Files.readAllLines(table).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                            .filter(f -> f[1].endsWith(hexPort) && f[3].equals("0A")).forEach(f -> listening.add(f[1]));
            if (Files.isReadable(Path.of("/proc/net/tcp")))
                assertThat(listening).isNotEmpty().allMatch(l -> l.equals("0100007F" + hexPort) || l.equals("0000000000000000FFFF00000100007F" + hexPort));
        } finally {
            b.shutdown();
            a.shutdown();
        }
    }

    @Test
    void aBadJoinAddressIsAClearErrorWithinSeconds() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Members.start(Members.Options.worker(List.of("127.0.0.1:5799")).withClusterName("nobody")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing listens at 127.0.0.1:5799");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        assertThatThrownBy(() -> Members.Options.worker(List.of("localhost")))
                .hasMessageContaining("--join 'localhost' is not HOST:PORT");
    }

    @Test
    void aClusterNameMismatchIsAClearErrorWithinSeconds() {
        HazelcastInstance c = Members.start(coordinator("members-right"));
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Members.start(Members.Options.worker(List.of(Members.address(c))).withClusterName("members-wrong")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cluster name differs").hasMessageContaining("'members-wrong'");
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(Members.JOIN_SECONDS + 10);
            assertThat(c.getCluster().getMembers()).hasSize(1);
        } finally {
            c.shutdown();
        }
    }
}
