package latte.cluster;

import java.util.List;

/**
 * A cell's last checkpoint in the cluster: the files of its run directory at that moment, each by
 * path and content hash. The bytes are blobs in a map of their own under {@code cell/hash}, so
 * an unchanged file (an episode, config.json) travels once, and a reader of an older manifest
 * never sees a mix of two checkpoints.
 *
 * @param seq      counts the checkpoints of the cell's current attempt
 * @param finished the run has written summary.json
 */
public record Manifest(String cell, int attempt, long seq, boolean finished, List<FileRef> files) {
    /** One file of the run directory (path relative to it, with '/'). */
    public record FileRef(String path, String hash, long size) {}

    public Manifest {
        files = List.copyOf(files);
    }

    /** The blob key of a file of {@code cell}. */
    public static String blobKey(String cell, String hash) {
        return cell + "/" + hash;
    }

    public long bytes() {
        return files.stream().mapToLong(FileRef::size).sum();
    }
}
