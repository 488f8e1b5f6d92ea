package latte.models.config;

/**
 * Named presets as differences from a base configuration, the way dreamerv3's configs.yaml
 * reads: {@code derive(paper(), "cpu", "loop.batch", 16, "model.depth", 8, ...)}. Each path is
 * checked by {@link ConfigCodec} like a key of config.json, so a misspelt preset fails its test.
 */
public final class Presets {
    private Presets() {}

    /** {@code base} renamed {@code name} with each {@code path, value} pair applied in order. */
    public static <R extends Record> R derive(R base, String name, Object... pathValues) {
        return ConfigCodec.with(ConfigCodec.with(base, "preset", name), pathValues);
    }

    /** An ordered JSON-like object from alternating keys and values: {@code tree("depth", 32, "rssm", tree(...))}. */
    public static java.util.Map<String, Object> tree(Object... kv) {
        if (kv.length % 2 != 0) throw new IllegalArgumentException("Presets.tree: keys and values must pair up");
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** The error for a preset name that is not one of {@code valid}. */
    public static IllegalArgumentException unknown(String name, java.util.List<String> valid) {
        return new IllegalArgumentException("unknown preset '" + name + "'; valid presets: " + String.join(", ", valid));
    }
}
