package latte.autodiff.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.autodiff.ParamStore;

/**
 * Checkpoints in the safetensors format, readable by NumPy, PyTorch and the {@code safetensors}
 * library:
 * <pre>
 *   [8 bytes]  N, the header length, unsigned little-endian
 *   [N bytes]  JSON header, space-padded to a multiple of 8:
 *              {"__metadata__": {"k": "v", ..},
 *               "encoder.conv1.weight": {"dtype": "F32", "shape": [4,4,3,32], "data_offsets": [b, e]}, ..}
 *   [rest]     raw little-endian tensor data; tensor bytes [b, e) relative to the start of this block
 * </pre>
 * Only F32 tensors are read and written. Writes are atomic (temp file in the same directory,
 * then rename). Loading validates the whole file into temporaries before touching the store: a
 * truncated or corrupt file, a wrong dtype, a shape mismatch, or a missing or extra tensor is an
 * {@link IllegalArgumentException} naming the tensor, never a partial load.
 */
public final class Safetensors {
    /** One tensor of a file: row-major F32 data of the given shape. */
    public record Entry(int[] shape, float[] data) {
        public Entry {
            long n = 1;
            for (int d : shape) n *= d;
            if (n != data.length) throw new IllegalArgumentException("Safetensors.Entry: shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    /** A whole file: its string metadata and its tensors in file (header) order. */
    public record Contents(Map<String, String> metadata, Map<String, Entry> tensors) {}

    private static final String META = "__metadata__";

    private Safetensors() {}

    // ---------------------------------------------------------------- store level

    /** Saves every parameter of {@code store} (in registration order) with {@code metadata}. */
    public static void save(ParamStore store, Path path, Map<String, String> metadata) {
        Map<String, Entry> t = new LinkedHashMap<>();
        float[] v = store.values();
        for (ParamStore.Param p : store.params())
            t.put(p.name(), new Entry(p.shape(), Arrays.copyOfRange(v, p.offset(), p.offset() + p.size())));
        write(path, t, metadata);
    }

    /**
     * Loads {@code path} into {@code store}: the file must hold exactly the store's parameters,
     * as F32 with the same shapes and finite values (a NaN or infinity is refused here, naming the
     * tensor, rather than failing later inside whatever reads the weights). All-or-nothing.
     * Returns the file's metadata.
     */
    public static Map<String, String> load(ParamStore store, Path path) {
        Contents c = read(path);
        List<String> missing = new ArrayList<>(), extra = new ArrayList<>();
        for (ParamStore.Param p : store.params()) {
            Entry e = c.tensors().get(p.name());
            if (e == null) missing.add(p.name());
            else if (!Arrays.equals(e.shape(), p.shape()))
                throw new IllegalArgumentException("Safetensors.load " + path + ": tensor '" + p.name() + "' has shape "
                        + Arrays.toString(e.shape()) + " in the file, the model expects " + Arrays.toString(p.shape()));
        }
        for (String name : c.tensors().keySet()) if (!store.contains(name)) extra.add(name);
        if (!missing.isEmpty() || !extra.isEmpty())
            throw new IllegalArgumentException("Safetensors.load " + path + ": "
                    + (missing.isEmpty() ? "" : "missing tensors " + missing + (extra.isEmpty() ? "" : "; "))
                    + (extra.isEmpty() ? "" : "unexpected tensors " + extra) + " (the file does not match this model)");
        for (ParamStore.Param p : store.params()) {
            float[] d = c.tensors().get(p.name()).data();
            for (int i = 0; i < d.length; i++)
                if (!Float.isFinite(d[i]))
                    throw new IllegalArgumentException("Safetensors.load " + path + ": tensor '" + p.name() + "' holds " + d[i]
                            + " at index " + i + " (a checkpoint of a diverged run?); refusing to load it");
        }
        // Commit: everything validated, copy into the live store.
        float[] v = store.values();
        for (ParamStore.Param p : store.params()) System.arraycopy(c.tensors().get(p.name()).data(), 0, v, p.offset(), p.size());
        return c.metadata();
    }

    // ---------------------------------------------------------------- file level

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code path} atomically. */
    public static void write(Path path, Map<String, Entry> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) header.put(META, new LinkedHashMap<>(metadata));
        long pos = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            if (e.getKey().equals(META)) throw new IllegalArgumentException("Safetensors.write: tensor name " + META + " is reserved");
            long bytes = 4L * e.getValue().data().length;
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("dtype", "F32");
            h.put("shape", e.getValue().shape());
            h.put("data_offsets", new long[] {pos, pos + bytes});
            header.put(e.getKey(), h);
            pos += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int n = (json.length + 7) / 8 * 8; // pad with spaces so the data block is 8-byte aligned
        if (8 + n + pos > Integer.MAX_VALUE) throw new IllegalArgumentException("Safetensors.write: " + (8 + n + pos) + " bytes is over the 2 GiB this writer supports");
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + n + pos)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(n).put(json);
        for (int k = json.length; k < n; k++) buf.put((byte) ' ');
        for (Entry e : tensors.values()) for (float f : e.data()) buf.putFloat(f);
        AtomicFile.write(path, buf.array());
    }


    /** Reads and validates a whole file (F32 tensors only). */
    public static Contents read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Safetensors.read " + path + ": " + e.getMessage(), e);
        }
        return parse(path.toString(), bytes);
    }

    /** Parses and validates the bytes of a file; {@code where} names it in errors. */
    public static Contents parse(String where, byte[] bytes) {
        String op = "Safetensors.read " + where + ": ";
        if (bytes.length < 8) throw new IllegalArgumentException(op + "file is " + bytes.length + " bytes, shorter than the 8-byte header length (truncated?)");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n < 2 || n > bytes.length - 8)
            throw new IllegalArgumentException(op + "header length " + Long.toUnsignedString(n) + " does not fit the " + bytes.length + "-byte file (truncated, or not safetensors)");
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + "corrupt header: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new IllegalArgumentException(op + "corrupt header: not a JSON object");
        long dataStart = 8 + n, dataLen = bytes.length - dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(META)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw new IllegalArgumentException(op + "__metadata__ is not an object");
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String sv)) throw new IllegalArgumentException(op + "__metadata__ value for '" + me.getKey() + "' is not a string");
                    meta.put((String) me.getKey(), sv);
                }
                continue;
            }
            String t = op + "tensor '" + name + "': ";
            if (!(e.getValue() instanceof Map<?, ?> info)) throw new IllegalArgumentException(t + "header entry is not an object");
            Object dtype = info.get("dtype");
            if (!"F32".equals(dtype)) throw new IllegalArgumentException(t + "dtype " + dtype + ", expected F32");
            int[] shape = ints(t + "shape", info.get("shape"));
            long[] offs = longs(t + "data_offsets", info.get("data_offsets"));
            long count = 1;
            for (int d : shape) count *= d;
            if (offs[0] < 0 || offs[1] < offs[0] || offs[1] > dataLen)
                throw new IllegalArgumentException(t + "data_offsets " + Arrays.toString(offs) + " outside the " + dataLen + " data bytes (truncated?)");
            if (offs[1] - offs[0] != 4 * count)
                throw new IllegalArgumentException(t + "data_offsets span " + (offs[1] - offs[0]) + " bytes, shape " + Arrays.toString(shape) + " in F32 needs " + 4 * count);
            float[] data = new float[(int) count];
            int base = (int) (dataStart + offs[0]);
            for (int k = 0; k < count; k++) data[k] = buf.getFloat(base + 4 * k);
            tensors.put(name, new Entry(shape, data));
        }
        return new Contents(meta, tensors);
    }

    private static int[] ints(String what, Object v) {
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException(what + " is not an array");
        int[] r = new int[l.size()];
        for (int k = 0; k < r.length; k++) {
            if (!(l.get(k) instanceof Long x) || x < 0 || x > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " " + l + " is not a list of dimensions");
            r[k] = (int) (long) x;
        }
        return r;
    }

    private static long[] longs(String what, Object v) {
        if (!(v instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Long a) || !(l.get(1) instanceof Long b))
            throw new IllegalArgumentException(what + " " + v + " is not [begin, end]");
        return new long[] {a, b};
    }
}
