package latte.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import latte.autodiff.io.AtomicFile;
import latte.autodiff.io.Json;

/**
 * A cell's run directory in the cluster: its member uploads it at checkpoints as a
 * {@link Manifest} and content-addressed blobs; a member that takes the cell over downloads it and
 * resumes; the coordinator mirrors it into the sweep directory, where {@code .sync.json} records
 * which checkpoint the files are, so a restarted coordinator can tell a whole checkpoint from one
 * it was copying when it stopped.
 */
public final class Checkpoints {
    static final String MANIFESTS = "latte.manifests", BLOBS = "latte.blobs";
    /** Written last into a mirrored run directory: the checkpoint its files are. */
    static final String SYNC = ".sync.json";
    /** Drawn from the metrics by whoever reads the run; never shipped. */
    private static final Set<String> PICTURES = Set.of("curve.png", "dream.gif");

    private Checkpoints() {}

    /** The files of a run directory worth shipping, by path relative to it ('/'-separated), sorted. */
    static Map<String, Path> files(Path dir) {
        Map<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || PICTURES.contains(name)) continue;           // temp files of AtomicFile, .sync.json
                out.put(dir.relativize(p).toString().replace('\\', '/'), p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** Uploads one attempt of a cell, checkpoint after checkpoint, sending each distinct file once. */
    static final class Uploader {
        private final IMap<String, Manifest> manifests;
        private final IMap<String, byte[]> blobs;
        private final String cell;
        private final int attempt;
        private final Path dir;
        /** Episode files by path: their size and time stamp when hashed (they are written once). */
        private final Map<String, String> stamps = new HashMap<>(), stampHashes = new HashMap<>();
        // hashes of the last two manifests, whose blobs are in the cluster: a reader that took the
        // previous manifest (the coordinator mirroring it) finds its blobs until the next upload
        private Set<String> held, previous = Set.of();
        private long seq;

        /** {@code from}: the manifest the attempt resumed from (its blobs are in the cluster), or null. */
        Uploader(HazelcastInstance h, String cell, int attempt, Path dir, Manifest from) {
            this.manifests = h.getMap(MANIFESTS);
            this.blobs = h.getMap(BLOBS);
            this.cell = cell;
            this.attempt = attempt;
            this.dir = dir;
            this.held = from == null ? Set.of() : from.files().stream().map(Manifest.FileRef::hash).collect(Collectors.toSet());
        }

        /** Sends the files the cluster lacks, then the manifest (the commit), then drops blobs the last two manifests do not name. Returns the bytes sent. */
        long upload(boolean finished) {
            List<Manifest.FileRef> refs = new ArrayList<>();
            long sent = 0;
            for (Map.Entry<String, Path> f : files(dir).entrySet()) {
                String path = f.getKey(), hash = null, stamp = null;
                byte[] bytes = null;
                if (path.startsWith("episodes/")) {
                    stamp = stamp(f.getValue());
                    if (stamp.equals(stamps.get(path))) hash = stampHashes.get(path);
                }
                if (hash == null) {
                    bytes = read(f.getValue());
                    hash = hash(bytes);
                    if (stamp != null) {
                        stamps.put(path, stamp);
                        stampHashes.put(path, hash);
                    }
                }
                if (!held.contains(hash) && !previous.contains(hash)) {
                    if (bytes == null) bytes = read(f.getValue());
                    blobs.set(Manifest.blobKey(cell, hash), bytes);
                    sent += bytes.length;
                }
                refs.add(new Manifest.FileRef(path, hash, f.getValue().toFile().length()));
            }
            manifests.set(cell, new Manifest(cell, attempt, ++seq, finished, refs));
            Set<String> now = refs.stream().map(Manifest.FileRef::hash).collect(Collectors.toSet());
            for (String old : previous) if (!now.contains(old) && !held.contains(old)) blobs.delete(Manifest.blobKey(cell, old));
            previous = held;
            held = now;
            stamps.keySet().retainAll(refs.stream().map(Manifest.FileRef::path).toList());
            return sent;
        }

        private static String stamp(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return a.size() + ":" + a.lastModifiedTime().toMillis();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes the files of the cell's latest manifest into {@code dir} (a fresh folder); returns the
     * manifest, or null when the cluster holds no checkpoint of the cell or a blob of it is gone.
     */
    static Manifest download(HazelcastInstance h, String cell, Path dir) {
        IMap<String, Manifest> manifests = h.getMap(MANIFESTS);
        Manifest m = manifests.get(cell);
        if (m == null) return null;
        Map<String, byte[]> bytes = fetch(h, m, Map.of());
        if (bytes == null) return null;
        for (Manifest.FileRef f : ordered(m)) AtomicFile.write(dir.resolve(f.path()), bytes.get(f.path()));
        return m;
    }

    /** The blobs of the files of {@code m} whose hash differs from {@code have}'s, by path; null if one is gone. */
    private static Map<String, byte[]> fetch(HazelcastInstance h, Manifest m, Map<String, String> have) {
        IMap<String, byte[]> blobs = h.getMap(BLOBS);
        Map<String, byte[]> out = new HashMap<>();
        for (Manifest.FileRef f : m.files()) {
            if (f.hash().equals(have.get(f.path()))) continue;
            byte[] b = blobs.get(Manifest.blobKey(m.cell(), f.hash()));
            if (b == null) return null;
            out.put(f.path(), b);
        }
        return out;
    }

    /** The files in the order the trainer writes them: episodes and weights first, state.json, then summary.json last. */
    private static List<Manifest.FileRef> ordered(Manifest m) {
        return m.files().stream().sorted(Comparator.comparingInt((Manifest.FileRef f) -> switch (f.path()) {
            case "state.json" -> 1;
            case "summary.json" -> 2;
            default -> 0;
        }).thenComparing(Manifest.FileRef::path)).toList();
    }

    /**
     * The coordinator's copy: brings {@code dir} from the checkpoint {@code have} (null: whatever
     * {@code .sync.json} says) to the cell's latest manifest. Returns the manifest the folder now
     * holds: {@code have} when nothing is newer or a blob went away meanwhile (a newer checkpoint
     * replaced it; the next call takes that one).
     */
    static Manifest mirror(HazelcastInstance h, String cell, Path dir, Manifest have) {
        IMap<String, Manifest> manifests = h.getMap(MANIFESTS);
        Manifest m = manifests.get(cell);
        if (m == null || (have != null && have.attempt() == m.attempt() && have.seq() == m.seq())) return have;
        Map<String, String> old = new HashMap<>();
        if (have != null) for (Manifest.FileRef f : have.files()) old.put(f.path(), f.hash());
        Map<String, byte[]> bytes = fetch(h, m, old);
        if (bytes == null) return have;
        for (Manifest.FileRef f : ordered(m)) if (bytes.containsKey(f.path())) AtomicFile.write(dir.resolve(f.path()), bytes.get(f.path()));
        Set<String> keep = m.files().stream().map(Manifest.FileRef::path).collect(Collectors.toSet());
        for (String stale : files(dir).keySet())
            if (!keep.contains(stale)) {
                try {
                    Files.deleteIfExists(dir.resolve(stale));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + dir.resolve(stale) + ": " + e.getMessage(), e);
                }
            }
        Map<String, Object> sync = new LinkedHashMap<>();
        sync.put("attempt", m.attempt());
        sync.put("seq", m.seq());
        sync.put("finished", m.finished());
        Map<String, Object> hashes = new LinkedHashMap<>();
        for (Manifest.FileRef f : m.files()) hashes.put(f.path(), f.hash() + ":" + f.size());
        sync.put("files", hashes);
        AtomicFile.write(dir.resolve(SYNC), Json.write(sync) + "\n");
        return m;
    }

    /**
     * The checkpoint a mirrored run directory holds, checked file by file against its
     * {@code .sync.json}; null when there is none or a file differs (the coordinator stopped while
     * copying: the cell then starts over).
     */
    @SuppressWarnings("unchecked")
    static Manifest onDisk(String cell, Path dir) {
        Path sync = dir.resolve(SYNC);
        if (!Files.isRegularFile(sync)) return null;
        Map<String, Object> s;
        try {
            s = (Map<String, Object>) Json.parse(Files.readString(sync));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<Manifest.FileRef> refs = new ArrayList<>();
        for (Map.Entry<String, Object> f : ((Map<String, Object>) s.get("files")).entrySet()) {
            String[] hs = String.valueOf(f.getValue()).split(":");
            Path p = dir.resolve(f.getKey());
            if (!Files.isRegularFile(p) || !hash(read(p)).equals(hs[0])) return null;
            refs.add(new Manifest.FileRef(f.getKey(), hs[0], Long.parseLong(hs[1])));
        }
        return new Manifest(cell, ((Number) s.get("attempt")).intValue(), ((Number) s.get("seq")).longValue(),
                Boolean.TRUE.equals(s.get("finished")), refs);
    }

    /** Puts a checkpoint read from disk ({@link #onDisk}) into the cluster, so the member that takes the cell resumes from it. */
    static void publish(HazelcastInstance h, Manifest m, Path dir) {
        IMap<String, byte[]> blobs = h.getMap(BLOBS);
        for (Manifest.FileRef f : m.files()) blobs.set(Manifest.blobKey(m.cell(), f.hash()), read(dir.resolve(f.path())));
        h.<String, Manifest>getMap(MANIFESTS).set(m.cell(), m);
    }

    /** Forgets a gathered cell: its manifest and every blob under its name (an attempt killed mid-upload leaves some). */
    static void forget(HazelcastInstance h, String cell) {
        h.getMap(MANIFESTS).delete(cell);
        IMap<String, byte[]> blobs = h.getMap(BLOBS);
        for (String k : blobs.keySet()) if (k.startsWith(cell + "/")) blobs.delete(k);
    }
}
