package latte.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Peer programs that {@code BenchMain} runs after a suite's JMH run, on the same machine, so the
 * table shows both side by side: suite name -> script under {@code bench/peers/}. A peer writes a
 * JSON list of {@code {workload, threads, seconds_per_op}} (see {@link Report}). A missing Python or
 * PyTorch is a note under the table, not an error.
 */
final class Peers {
    private Peers() {}

    /** A peer script: its column label, the interpreter and the script path (relative to the repo root). */
    record Script(String label, String interpreter, String path) {}

    static final Map<String, Script> SCRIPTS = Map.of(
            "conv", new Script("PyTorch", "/usr/bin/python3", "bench/peers/torch_conv_gru.py"),
            "gru", new Script("PyTorch", "/usr/bin/python3", "bench/peers/torch_conv_gru.py"),
            "planet", new Script("PyTorch", "/usr/bin/python3", "bench/peers/torch_planet.py"),
            "dreamer", new Script("PyTorch", "/usr/bin/python3", "bench/peers/torch_dreamer.py"),
            "worldmodels", new Script("PyTorch", "/usr/bin/python3", "bench/peers/torch_worldmodels.py"));

    /**
     * glibc malloc settings for the peer, its counterpart of the JMH forks' fixed, pre-touched heap:
     * without them every tensor over 32 MB (the largest glibc recycles) is a fresh mmap whose pages
     * fault in on first touch, and on a kernel without transparent huge pages by default (this
     * machine: madvise) that tripled PyTorch's time for a [37 500, 400] layer (50 vs 190 GFLOP/s).
     * With mmap off and no trimming, freed blocks are reused as PyTorch's caching allocator
     * would on a GPU.
     */
    static final Map<String, String> MALLOC = Map.of("MALLOC_MMAP_MAX_", "0", "MALLOC_TRIM_THRESHOLD_", "100000000000",
            "MALLOC_TOP_PAD_", "1000000000");

    /**
     * Runs the suite's peer (threads 1 and 2; {@code --quick} passed on) and returns its result,
     * or an empty list after noting why it could not run.
     */
    static List<Report.Peer> run(String suite, boolean quick, Report table) throws IOException {
        Script s = SCRIPTS.get(suite);
        if (s == null) return List.of();
        if (!Files.isRegularFile(Path.of(s.path())) || !Files.isExecutable(Path.of(s.interpreter()))) {
            table.note("peer " + s.label() + " skipped: " + s.interpreter() + " or " + s.path() + " not found");
            return List.of();
        }
        Path out = Path.of("target", "bench", "peer-" + suite + "-" + s.label() + ".json");
        Files.createDirectories(out.getParent());
        List<String> cmd = new ArrayList<>(List.of(s.interpreter(), s.path(), suite, "--threads", "1,2",
                "--out", out.toString()));
        if (quick) cmd.add("--quick");
        System.out.println("bench: running peer " + String.join(" ", cmd) + " with " + MALLOC);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(MALLOC);
        Process p = pb.start();
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("bench: interrupted while the peer ran", e);
        }
        if (rc != 0) {
            table.note("peer " + s.label() + " failed (exit " + rc + "; is PyTorch installed? apt-get install python3-torch)");
            return List.of();
        }
        return List.of(new Report.Peer(s.label(), out));
    }
}
