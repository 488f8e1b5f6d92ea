package latte.cli.dash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.io.Json;

/**
 * One live stream's view of the runs: what it has already sent of each (the metrics up to a byte
 * offset, the picture's time stamp), and the Server-Sent Events for what changed since.
 * <pre>
 *   event: runs      data: {"runs": [names]}                       a run directory appeared or went
 *   event: metric    data: {"run": NAME, "index": i, "record": {...}}  line i of metrics.jsonl
 *   event: reset     data: {"run": NAME}                           metrics.jsonl was cut (a --resume): read it again
 *   event: frame     data: {"run": NAME, "version": v, "kl": b}    live.png and live-kl.json were redrawn
 *   event: finished  data: {"run": NAME}                           summary.json was written
 * </pre>
 * Runs present when the stream opens start at their current end (the page read them through the
 * API); runs that appear later are sent from their first line.
 */
final class Watch {
    private static final class Seen {
        long offset, lines, frame;
        Object file;                                                     // metrics.jsonl's identity: a rewrite makes a new file
        boolean finished;
    }

    private final RunFiles files;
    private final Map<String, Seen> seen = new HashMap<>();
    private List<String> names;

    Watch(RunFiles files) {
        this.files = files;
        this.names = files.names();
        for (String n : names) {
            Path dir = files.root().resolve(n);
            Seen s = new Seen();
            RunFiles.Lines l = RunFiles.metrics(dir, 0, 0, Long.MAX_VALUE);
            s.offset = l.endOffset();
            s.lines = l.next();
            s.file = fileKey(dir.resolve("metrics.jsonl"));
            s.frame = stamp(dir.resolve(LiveView.PICTURE));
            s.finished = Files.exists(dir.resolve("summary.json"));
            seen.put(n, s);
        }
    }

    /** The events since the last call, as the text of an event stream ("" when nothing changed). */
    String poll() {
        StringBuilder out = new StringBuilder();
        List<String> now = files.names();
        if (!now.equals(names)) {
            names = now;
            event(out, "runs", Json.write(Map.of("runs", now)));
        }
        for (String n : now) {
            Path dir = files.root().resolve(n);
            Seen s = seen.computeIfAbsent(n, k -> new Seen());
            String name = Json.write(n);
            long size = size(dir.resolve("metrics.jsonl"));
            Object file = fileKey(dir.resolve("metrics.jsonl"));
            if (size < s.offset || s.offset > 0 && file != null && !file.equals(s.file)) {   // rewritten: a resume cut it
                s.offset = 0;
                s.lines = 0;
                event(out, "reset", "{\"run\":" + name + "}");
            }
            s.file = file;
            if (size > s.offset) {
                RunFiles.Lines l = RunFiles.metrics(dir, s.offset, s.lines, s.lines);
                long i = s.lines;
                for (String line : l.lines()) {
                    if (line != null) event(out, "metric", "{\"run\":" + name + ",\"index\":" + i + ",\"record\":" + line + "}");
                    i++;
                }
                s.offset = l.endOffset();
                s.lines = l.next();
            }
            long frame = stamp(dir.resolve(LiveView.PICTURE));
            if (frame != s.frame) {
                s.frame = frame;
                if (frame != 0) event(out, "frame", "{\"run\":" + name + ",\"version\":" + frame + ",\"kl\":"
                        + Files.exists(dir.resolve(LiveView.SURPRISE)) + "}");
            }
            if (!s.finished && Files.exists(dir.resolve("summary.json"))) {
                s.finished = true;
                event(out, "finished", "{\"run\":" + name + "}");
            }
        }
        return out.toString();
    }

    private static void event(StringBuilder out, String type, String data) {
        out.append("event: ").append(type).append('\n').append("data: ").append(data).append("\n\n");
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The file's identity (inode) where the file system has one, else null. */
    private static Object fileKey(Path f) {
        try {
            return Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The file's modification time in milliseconds, 0 when absent. */
    private static long stamp(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
