package latte.cluster;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hazelcast's own serialisation for everything a Latte cluster sends, never
 * {@code java.io.Serializable}: compact serialisers, written by hand (no reflection), for the
 * records of the job board, and {@link Rollouts}' identified tasks for distributed CMA-ES.
 * Checkpoints travel as the bytes of their files (safetensors, JSON), plain {@code byte[]}.
 */
public final class Serializers {
    private Serializers() {}

    /** Registers every serialiser of the cluster's payloads. */
    public static void register(SerializationConfig c) {
        c.getCompactSerializationConfig().addSerializer(new CellSerializer()).addSerializer(new StateSerializer())
                .addSerializer(new ProgressSerializer()).addSerializer(new ManifestSerializer());
        c.addDataSerializableFactory(Rollouts.FACTORY_ID, Rollouts::create);
    }

    static final class CellSerializer implements CompactSerializer<Cell> {
        @Override
        public Cell read(CompactReader in) {
            String[] keys = in.readArrayOfString("optionKeys"), values = in.readArrayOfString("optionValues");
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < keys.length; i++) options.put(keys[i], values[i]);
            return new Cell(in.readString("name"), in.readInt32("index"), in.readString("agent"), in.readString("env"), in.readString("preset"),
                    in.readInt64("seed"), options, Arrays.asList(in.readArrayOfString("settings")), in.readFloat64("minutes"),
                    in.readInt32("episodes"));
        }

        @Override
        public void write(CompactWriter out, Cell c) {
            out.writeString("name", c.name());
            out.writeInt32("index", c.index());
            out.writeString("agent", c.agent());
            out.writeString("env", c.env());
            out.writeString("preset", c.preset());
            out.writeInt64("seed", c.seed());
            out.writeArrayOfString("optionKeys", c.options().keySet().toArray(String[]::new));
            out.writeArrayOfString("optionValues", c.options().values().toArray(String[]::new));
            out.writeArrayOfString("settings", c.settings().toArray(String[]::new));
            out.writeFloat64("minutes", c.minutes());
            out.writeInt32("episodes", c.episodes());
        }

        @Override public String getTypeName() { return "latte.Cell"; }
        @Override public Class<Cell> getCompactClass() { return Cell.class; }
    }

    static final class StateSerializer implements CompactSerializer<CellState> {
        @Override
        public CellState read(CompactReader in) {
            return new CellState(in.readCompact("cell"), CellState.Status.valueOf(in.readString("status")), in.readString("owner"),
                    in.readString("where"), in.readInt32("attempt"), in.readString("message"));
        }

        @Override
        public void write(CompactWriter out, CellState s) {
            out.writeCompact("cell", s.cell());
            out.writeString("status", s.status().name());
            out.writeString("owner", s.owner());
            out.writeString("where", s.where());
            out.writeInt32("attempt", s.attempt());
            out.writeString("message", s.message());
        }

        @Override public String getTypeName() { return "latte.CellState"; }
        @Override public Class<CellState> getCompactClass() { return CellState.class; }
    }

    static final class ProgressSerializer implements CompactSerializer<CellProgress> {
        @Override
        public CellProgress read(CompactReader in) {
            return new CellProgress(in.readString("cell"), in.readInt32("attempt"), in.readString("phase"), in.readFloat64("fraction"),
                    in.readFloat64("elapsedSeconds"), in.readInt32("episodes"), in.readInt64("envSteps"), in.readInt64("trainSteps"),
                    in.readFloat64("syncSeconds"), in.readInt64("syncBytes"));
        }

        @Override
        public void write(CompactWriter out, CellProgress p) {
            out.writeString("cell", p.cell());
            out.writeInt32("attempt", p.attempt());
            out.writeString("phase", p.phase());
            out.writeFloat64("fraction", p.fraction());
            out.writeFloat64("elapsedSeconds", p.elapsedSeconds());
            out.writeInt32("episodes", p.episodes());
            out.writeInt64("envSteps", p.envSteps());
            out.writeInt64("trainSteps", p.trainSteps());
            out.writeFloat64("syncSeconds", p.syncSeconds());
            out.writeInt64("syncBytes", p.syncBytes());
        }

        @Override public String getTypeName() { return "latte.CellProgress"; }
        @Override public Class<CellProgress> getCompactClass() { return CellProgress.class; }
    }

    static final class ManifestSerializer implements CompactSerializer<Manifest> {
        @Override
        public Manifest read(CompactReader in) {
            String[] paths = in.readArrayOfString("paths"), hashes = in.readArrayOfString("hashes");
            long[] sizes = in.readArrayOfInt64("sizes");
            List<Manifest.FileRef> files = new ArrayList<>();
            for (int i = 0; i < paths.length; i++) files.add(new Manifest.FileRef(paths[i], hashes[i], sizes[i]));
            return new Manifest(in.readString("cell"), in.readInt32("attempt"), in.readInt64("seq"), in.readBoolean("finished"), files);
        }

        @Override
        public void write(CompactWriter out, Manifest m) {
            out.writeString("cell", m.cell());
            out.writeInt32("attempt", m.attempt());
            out.writeInt64("seq", m.seq());
            out.writeBoolean("finished", m.finished());
            out.writeArrayOfString("paths", m.files().stream().map(Manifest.FileRef::path).toArray(String[]::new));
            out.writeArrayOfString("hashes", m.files().stream().map(Manifest.FileRef::hash).toArray(String[]::new));
            out.writeArrayOfInt64("sizes", m.files().stream().mapToLong(Manifest.FileRef::size).toArray());
        }

        @Override public String getTypeName() { return "latte.Manifest"; }
        @Override public Class<Manifest> getCompactClass() { return Manifest.class; }
    }
}
