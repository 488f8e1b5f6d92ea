package latte.models.run;

import latte.autodiff.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.io.Json;

/**
 * A training run on disk.
 * <pre>
 *   config.json           agent, environment, seed, hyperparameters (written once)
 *   state.json            counters of the last checkpoint: episodes, env steps, train steps, wall time
 *   model.safetensors     parameters (readable by NumPy / PyTorch's safetensors)
 *   optimizer.safetensors Adam's moments, for --resume
 *   metrics.jsonl         one JSON object per line: train / episode / eval records
 *   episodes/NNNNNN.ep    every collected episode (uint8 frames), so --resume restores the replay
 *   summary.json          final evaluation against the random policy
 *   curve.png, dream.gif  pictures
 *   live.png, live-kl.json the dashboard's picture and per-step KL of a recent episode (train --dashboard)
 * </pre>
 * Every file except metrics.jsonl is replaced atomically; metrics.jsonl is appended line by line
 * and a torn last line (a crash mid-write) is skipped when read.
 */
public record RunDir(Path path) {
    public static final String VERSION = "2";

    public Path config() { return path.resolve("config.json"); }
    public Path state() { return path.resolve("state.json"); }
    public Path model() { return path.resolve("model.safetensors"); }
    public Path optimizer() { return path.resolve("optimizer.safetensors"); }
    public Path metrics() { return path.resolve("metrics.jsonl"); }
    public Path summary() { return path.resolve("summary.json"); }
    public Path curve() { return path.resolve("curve.png"); }
    public Path dream() { return path.resolve("dream.gif"); }
    public Path episodes() { return path.resolve("episodes"); }

    public Path episode(int index) {
        return episodes().resolve(String.format("%06d.ep", index));
    }

    /** Whether this directory holds a run (has a config.json). */
    public boolean exists() {
        return Files.isRegularFile(config());
    }

    /** Reads a JSON object file, with an error naming the file if it is missing or malformed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readJson(Path file) {
        try {
            Object o = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!(o instanceof Map)) throw new IllegalArgumentException("not a JSON object");
            return (Map<String, Object>) o;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is corrupt: " + e.getMessage(), e);
        }
    }

    public void writeJson(Path file, Map<String, Object> value) {
        AtomicFile.write(file, Json.write(value) + "\n");
    }

    /** Appends one record to metrics.jsonl (flushed before returning). */
    public void appendMetric(Map<String, Object> record) {
        try {
            Files.createDirectories(path);
            Files.writeString(metrics(), Json.write(record) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + metrics() + ": " + e.getMessage(), e);
        }
    }

    /** All complete records of metrics.jsonl (a torn last line is ignored). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> readMetrics() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(metrics())) return out;
        try {
            for (String line : Files.readAllLines(metrics(), StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    if (Json.parse(line) instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
                } catch (IllegalArgumentException torn) {
                    // a crash mid-append leaves at most one partial line; skip it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metrics() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Keeps the first {@code records} complete records, those the last checkpoint had seen (used by --resume). */
    public void truncateMetrics(long records) {
        List<Map<String, Object>> all = readMetrics();
        write(all.subList(0, (int) Math.min(records, all.size())));
    }

    /** Keeps only the metrics at or before the checkpointed counters (--resume of runs whose state has no record count). */
    public void truncateMetrics(long trainSteps, int episodes) {
        List<Map<String, Object>> keep = new ArrayList<>();
        for (Map<String, Object> m : readMetrics()) {
            long ts = m.get("trainStep") instanceof Number n ? n.longValue() : 0;
            long ep = m.get("episode") instanceof Number n ? n.longValue() : 0;
            if (ts <= trainSteps && ep <= episodes) keep.add(m);
        }
        write(keep);
    }

    private void write(List<Map<String, Object>> records) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> m : records) sb.append(Json.write(m)).append('\n');
        AtomicFile.write(metrics(), sb.toString());
    }

    /** An ordered map literal helper for records. */
    public static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
