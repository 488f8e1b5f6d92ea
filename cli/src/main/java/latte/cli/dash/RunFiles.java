package latte.cli.dash;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import latte.autodiff.io.Json;

/**
 * The run directories under one root, as the dashboard may read them: nothing outside the root,
 * and only the files a run directory holds by name. Every path a request names is resolved
 * segment by segment, canonicalised (symbolic links followed) and must still lie under the root.
 */
final class RunFiles {
    /** The files of a run directory the dashboard serves, by the name a request uses. */
    static final Map<String, String> FILES = Map.of("config", "config.json", "summary", "summary.json", "state", "state.json",
            "frame", LiveView.PICTURE, "kl", LiveView.SURPRISE, "curve", "curve.png");
    /** How deep under the root run directories are looked for (runs/sweep/seed0 is depth 2). */
    private static final int DEPTH = 3;

    /** A path a request was refused: outside the root, or not a name a run may have. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final Path root;

    RunFiles(Path root) {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("--runs " + root + " is not a directory");
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--runs " + root + ": " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    /** The run directories under the root, by their names (paths relative to the root, '/'-separated), sorted. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        try {
            // symbolic links are not followed (a link under --runs must not list what lies elsewhere), and a run
            // directory's own folders (episodes/) are not entered
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) return FileVisitResult.SKIP_SUBTREE;
                    if (dir.equals(root) || !Files.isRegularFile(dir.resolve("config.json"), LinkOption.NOFOLLOW_LINKS))
                        return FileVisitResult.CONTINUE;
                    out.add(root.relativize(dir).toString().replace('\\', '/'));
                    return FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;                          // removed while listed: seen next time
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /**
     * The run directory a request names by its raw (still percent-encoded) segments. Refused when a
     * segment is empty, "." or "..", holds a separator or a NUL once decoded, or when the canonical
     * path leaves the root; empty when no run directory is there.
     */
    Optional<Path> run(List<String> rawSegments) {
        if (rawSegments.isEmpty()) throw new Refused("no run named");
        Path p = root;
        for (String raw : rawSegments) {
            String s;
            try {
                s = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Refused("malformed path segment");
            }
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0
                    || s.indexOf(':') >= 0)
                throw new Refused("path segment '" + raw + "' is not a run name");
            p = p.resolve(s);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!real.startsWith(root)) throw new Refused("outside --runs");
        return Files.isRegularFile(real.resolve("config.json")) ? Optional.of(real) : Optional.empty();
    }

    /** A file of a run directory by its request name (see {@link #FILES}); empty when unknown or absent. */
    static Optional<Path> file(Path run, String name) {
        String f = FILES.get(name);
        if (f == null) return Optional.empty();
        Path p = run.resolve(f);
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
    }

    /** The complete lines of metrics.jsonl from line {@code since}: each line's JSON text, or null for a line that does not parse. */
    record Lines(long since, long next, List<String> lines, long endOffset) {}

    /**
     * Reads metrics.jsonl from byte {@code offset}, numbering its lines from {@code firstIndex}, and
     * returns those from line {@code since} on. Only lines ended by a newline count: a record the
     * trainer is still appending is read next time, whole.
     */
    static Lines metrics(Path run, long offset, long firstIndex, long since) {
        Path f = run.resolve("metrics.jsonl");
        List<String> lines = new ArrayList<>();
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return new Lines(since, firstIndex, lines, 0);
        byte[] bytes;
        try (RandomAccessFile in = new RandomAccessFile(f.toFile(), "r")) {
            long size = in.length();
            if (size <= offset) return new Lines(since, firstIndex, lines, offset);
            bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 16, size - offset)];
            in.seek(offset);
            in.readFully(bytes);
        } catch (IOException e) {
            return new Lines(since, firstIndex, lines, offset);                 // replaced while read (a resume): next time
        }
        long index = firstIndex;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            if (index >= since) {
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
                lines.add(valid(line) ? line : null);
            }
            index++;
            start = i + 1;
        }
        return new Lines(since, index, lines, offset + start);
    }

    private static boolean valid(String line) {
        try {
            return Json.parse(line) instanceof Map;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
