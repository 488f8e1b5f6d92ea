package latte.autodiff.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import latte.autodiff.ParamStore;
import latte.autodiff.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    byte[] golden() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/golden.safetensors")) {
            return in.readAllBytes();
        }
    }

    /** The store layout the golden file was written for (see scripts/make_safetensors_golden.py). */
    static ParamStore goldenStore() {
        ParamStore s = new ParamStore();
        Params conv = s.scope("encoder").sub("conv1");
        conv.zeros("weight", 2, 2, 1, 3);
        conv.zeros("bias", 3);
        s.root().sub("head").zeros("w", 1, 2);
        return s;
    }

    @Test
    void readsTheGoldenFileExactly() throws IOException {
        Path f = dir.resolve("golden.safetensors");
        Files.write(f, golden());
        ParamStore s = goldenStore();
        Map<String, String> meta = Safetensors.load(s, f);
        assertThat(meta).containsEntry("seed", "7").containsEntry("version", "0.1.0");
        assertThat(Json.parse(meta.get("config"))).isEqualTo(Map.of("hidden", 4L, "act", "elu"));
        float[] w = s.param("encoder.conv1.weight").var().toArray();
        for (int i = 0; i < 12; i++) assertThat(w[i]).isEqualTo(i * 0.25f - 1f);
        assertThat(s.param("encoder.conv1.bias").var().toArray()).containsExactly(1.5f, -2f, 3.25f);
        float[] h = s.param("head.w").var().toArray();
        assertThat(h[0]).isEqualTo(1e-30f);
        assertThat(Float.floatToRawIntBits(h[1])).isEqualTo(Float.floatToRawIntBits(-0f));
    }

    @Test
    void roundTripIsBitExactAndReadableAsRawFormat() throws IOException {
        ParamStore a = new ParamStore();
        float[] w = {1f, -2.5f, Float.MIN_VALUE, 3e38f, -0f, 0.1f};
        a.scope("m").param("w", w, 2, 3);
        a.scope("m").param("b", new float[] {7f}, 1);
        Path f = dir.resolve("sub/ckpt.safetensors");
        Safetensors.save(a, f, Map.of("seed", "42"));
        ParamStore b = new ParamStore();
        b.scope("m").zeros("w", 2, 3);
        b.scope("m").zeros("b", 1);
        assertThat(Safetensors.load(b, f)).containsEntry("seed", "42");
        assertThat(Arrays.copyOf(b.values(), b.size())).isEqualTo(Arrays.copyOf(a.values(), a.size()));
        // the layout is the documented one: header length, JSON, aligned little-endian data
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(n % 8).isZero();
        assertThat(bytes.length).isEqualTo(8 + n + 4 * 7);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).contains("\"m.w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}");
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat((int) (8 + n + 4))).isEqualTo(-2.5f);
        try (var files = Files.list(f.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("ckpt.safetensors"); // no temp left
        }
    }

    void assertLoadFailsUntouched(byte[] bytes, String... messageParts) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        ParamStore s = goldenStore();
        Arrays.fill(s.values(), 0, s.size(), 9f);
        var t = assertThatThrownBy(() -> Safetensors.load(s, f)).isInstanceOf(IllegalArgumentException.class);
        for (String m : messageParts) t.hasMessageContaining(m);
        for (int i = 0; i < s.size(); i++) assertThat(s.values()[i]).as("no partial load").isEqualTo(9f);
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] g = golden();
        assertLoadFailsUntouched(Arrays.copyOf(g, g.length - 4), "encoder.conv1.weight", "truncated");
        assertLoadFailsUntouched(Arrays.copyOf(g, 5), "shorter than the 8-byte");
        assertLoadFailsUntouched(Arrays.copyOf(g, 100), "header length");
    }

    @Test
    void corruptHeader() throws IOException {
        byte[] g = golden();
        g[8] = 'x';
        assertLoadFailsUntouched(g, "corrupt header");
    }

    @Test
    void wrongDtype() throws IOException {
        assertLoadFailsUntouched(replace(golden(), "\"dtype\":\"F32\",\"shape\":[3]", "\"dtype\":\"F16\",\"shape\":[3]"), "encoder.conv1.bias", "F16", "expected F32");
    }

    @Test
    void shapeMismatch() throws IOException {
        Path f = dir.resolve("g.safetensors");
        Files.write(f, golden());
        ParamStore s = new ParamStore();
        s.scope("encoder").sub("conv1").zeros("weight", 2, 2, 3, 1);
        s.scope("encoder").sub("conv1").zeros("bias", 3);
        s.scope("head").zeros("w", 1, 2);
        assertThatThrownBy(() -> Safetensors.load(s, f)).hasMessageContaining("encoder.conv1.weight").hasMessageContaining("[2, 2, 1, 3]").hasMessageContaining("[2, 2, 3, 1]");
        assertThat(s.values()[0]).isZero();
    }

    @Test
    void missingAndExtraTensors() throws IOException {
        Path f = dir.resolve("g.safetensors");
        Files.write(f, golden());
        ParamStore more = goldenStore();
        more.scope("decoder").zeros("w", 2);
        assertThatThrownBy(() -> Safetensors.load(more, f)).hasMessageContaining("missing tensors [decoder.w]");
        ParamStore fewer = new ParamStore();
        fewer.scope("encoder").sub("conv1").zeros("weight", 2, 2, 1, 3);
        fewer.scope("encoder").sub("conv1").zeros("bias", 3);
        assertThatThrownBy(() -> Safetensors.load(fewer, f)).hasMessageContaining("unexpected tensors [head.w]");
        assertThat(fewer.values()[0]).isZero();
    }

    @Test
    void offsetsThatDisagreeWithTheShape() throws IOException {
        assertLoadFailsUntouched(replace(golden(), "\"shape\":[1,2]", "\"shape\":[1,3]"), "head.w", "needs 12");
    }

    static byte[] replace(byte[] file, String from, String to) {
        assertThat(from.length()).isEqualTo(to.length()); // keep the header length valid
        String s = new String(file, StandardCharsets.ISO_8859_1);
        assertThat(s).contains(from);
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void metadataMustBeStrings() {
        Map<String, Entry> none = new LinkedHashMap<>();
        byte[] bad = file("{\"__metadata__\":{\"seed\":7}}");
        assertThatThrownBy(() -> Safetensors.parse("x", bad)).hasMessageContaining("seed");
        assertThat(none).isEmpty();
    }

    private record Entry() {}

    static byte[] file(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }
}
