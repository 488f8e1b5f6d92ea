package latte.models.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one mapping between configuration records and {@code config.json}. A configuration is a
 * tree of records; each record becomes a JSON object whose keys are its component names, in
 * declaration order; leaves are numbers, booleans, strings and enum names.
 * <pre>
 *   PlanetConfig(preset, model(depth, rssm(deter, ...), ...), optim(lr, ...), loop(batch, ...), planner(...))
 *   {"preset": "cpu", "model": {"depth": 8, "rssm": {"deter": 64, ...}, ...}, "optim": {...}, ...}
 * </pre>
 * Decoding rejects a missing key, an unknown key (naming the valid keys of that object), a value
 * of the wrong type and whatever the record's own constructor rejects, each with the dotted path
 * of the offending key ({@code loop.batch}). {@link #with} and {@link #apply} change leaves by
 * path: the same mechanism serves the named presets and the command line's {@code --set}.
 *
 * <p>The record components are read reflectively ({@link Class#getRecordComponents()}): that is
 * the only place the project uses reflection, and it is what lets one codec serve every agent
 * family's configuration without a hand-written reader per field.
 */
public final class ConfigCodec {
    private ConfigCodec() {}

    /** The JSON-ready tree of {@code config}: nested {@code LinkedHashMap}s in component order. */
    public static Map<String, Object> encode(Record config) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object v = read(c, config);
            m.put(c.getName(), v instanceof Record r ? encode(r) : v instanceof Enum<?> e ? e.name() : v);
        }
        return m;
    }

    /** The record of {@code type} that {@code tree} describes; every key present, no other. */
    public static <R extends Record> R decode(Class<R> type, Map<String, Object> tree) {
        return decode(type, tree, "");
    }

    /**
     * {@code config} with the leaves at dotted paths set: {@code with(c, "loop.batch", 16, "model.depth", 8)}.
     * All are applied before the result is checked like a decoded file, so values that must
     * change together (a latent kind and its class count) can.
     */
    public static <R extends Record> R with(R config, Object... pathValues) {
        if (pathValues.length % 2 != 0) throw new IllegalArgumentException("ConfigCodec.with: paths and values must pair up");
        Map<String, Object> tree = encode(config);
        for (int i = 0; i < pathValues.length; i += 2) put(config.getClass(), tree, (String) pathValues[i], pathValues[i + 1]);
        return decode(type(config), tree);
    }

    /** {@code config} with {@code KEY=VALUE} settings applied in order (the command line's {@code --set}). */
    public static <R extends Record> R apply(R config, List<String> settings) {
        Map<String, Object> tree = encode(config);
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1)
                throw new IllegalArgumentException("setting '" + s + "': expected KEY=VALUE, e.g. loop.batch=32");
            String key = s.substring(0, eq).trim();
            put(config.getClass(), tree, key, parse(leafType(config.getClass(), key), key, s.substring(eq + 1).trim()));
        }
        return decode(type(config), tree);
    }

    /** Every settable leaf of {@code type} as a dotted path, in declaration order ({@code preset} is a label, not a setting). */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> out = new ArrayList<>();
        collect(type, "", out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> Class<R> type(R config) {
        return (Class<R>) config.getClass();
    }

    private static void collect(Class<?> type, String prefix, List<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getType().isRecord()) collect(c.getType(), prefix + c.getName() + ".", out);
            else if (!(prefix.isEmpty() && c.getName().equals("preset"))) out.add(prefix + c.getName());
        }
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            java.lang.reflect.Method m = c.getAccessor();
            if (!m.canAccess(r)) m.setAccessible(true);                             // a record not public (e.g. in a test)
            return m.invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("ConfigCodec: cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    private static <R> R decode(Class<R> type, Map<String, Object> tree, String prefix) {
        RecordComponent[] comps = type.getRecordComponents();
        List<String> names = Arrays.stream(comps).map(RecordComponent::getName).toList();
        for (String k : tree.keySet())
            if (!names.contains(k))
                throw new IllegalArgumentException("config: unknown key '" + prefix + k + "'; valid keys"
                        + (prefix.isEmpty() ? "" : " of '" + prefix.substring(0, prefix.length() - 1) + "'") + ": "
                        + String.join(", ", names));
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            String path = prefix + comps[i].getName();
            types[i] = comps[i].getType();
            if (!tree.containsKey(comps[i].getName()))
                throw new IllegalArgumentException("config: missing key '" + path + "'");
            args[i] = value(types[i], tree.get(comps[i].getName()), path);
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            if (!ctor.canAccess(null)) ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae)
                throw new IllegalArgumentException(prefix.isEmpty() ? iae.getMessage()
                        : "config '" + prefix.substring(0, prefix.length() - 1) + "': " + iae.getMessage(), iae);
            throw new IllegalStateException("ConfigCodec: " + type.getSimpleName() + " failed to build", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ConfigCodec: cannot build " + type.getSimpleName() + ": " + e, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object value(Class<?> type, Object v, String path) {
        if (type.isRecord()) {
            if (!(v instanceof Map<?, ?> m))
                throw new IllegalArgumentException("config: '" + path + "' must be an object with keys " + keys(asRecord(type)) + ", got " + v);
            return decode(type, (Map<String, Object>) m, path + ".");
        }
        if (type == int.class || type == long.class) {
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || !Double.isFinite(n.doubleValue()))
                throw new IllegalArgumentException("config: '" + path + "' must be a whole number, got " + v);
            if (type == int.class) {
                if (Math.abs(n.doubleValue()) > Integer.MAX_VALUE)
                    throw new IllegalArgumentException("config: '" + path + "' = " + v + " is too large");
                return n.intValue();
            }
            return n.longValue();
        }
        if (type == float.class || type == double.class) {
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()))
                throw new IllegalArgumentException("config: '" + path + "' must be a finite number, got " + v);
            return type == float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
        }
        if (type == boolean.class) {
            if (!(v instanceof Boolean b)) throw new IllegalArgumentException("config: '" + path + "' must be true or false, got " + v);
            return b;
        }
        if (type == String.class) {
            if (!(v instanceof String s)) throw new IllegalArgumentException("config: '" + path + "' must be a string, got " + v);
            return s;
        }
        if (type.isEnum()) {
            for (Object c : type.getEnumConstants())
                if (((Enum) c).name().equalsIgnoreCase(String.valueOf(v))) return c;
            throw new IllegalArgumentException("config: '" + path + "' is '" + v + "', expected one of " + enumNames(type));
        }
        throw new IllegalStateException("ConfigCodec: unsupported component type " + type.getName() + " at " + path);
    }

    private static String enumNames(Class<?> type) {
        return String.join(", ", Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList());
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> asRecord(Class<?> type) {
        return (Class<? extends Record>) type;
    }

    /** The type of the leaf at {@code path}, or an error listing every settable key. */
    private static Class<?> leafType(Class<?> root, String path) {
        Class<?> t = root;
        String[] parts = path.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            RecordComponent hit = null;
            if (t.isRecord()) for (RecordComponent c : t.getRecordComponents()) if (c.getName().equals(parts[i])) hit = c;
            if (hit == null || (i == parts.length - 1) == hit.getType().isRecord() || path.equals("preset"))
                throw new IllegalArgumentException("unknown setting '" + path + "'; settable: " + String.join(", ", keys(asRecord(root))));
            t = hit.getType();
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    private static void put(Class<?> root, Map<String, Object> tree, String path, Object value) {
        if (!path.equals("preset")) leafType(root, path);
        String[] parts = path.split("\\.");
        Map<String, Object> m = tree;
        for (int i = 0; i < parts.length - 1; i++) m = (Map<String, Object>) m.get(parts[i]);
        m.put(parts[parts.length - 1], value instanceof Enum<?> e ? e.name() : value);
    }

    /** A command-line value as the leaf's type wants it (range checks are the record's). */
    private static Object parse(Class<?> type, String key, String value) {
        if (type == int.class || type == long.class) {
            try {
                return type == int.class ? (Object) Integer.parseInt(value) : (Object) Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting '" + key + "' takes a whole number, not '" + value + "'");
            }
        }
        if (type == float.class || type == double.class) {
            try {
                double d = Double.parseDouble(value);
                if (!Double.isFinite(d)) throw new NumberFormatException();
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting '" + key + "' takes a finite number, not '" + value + "'");
            }
        }
        if (type == boolean.class) {
            return switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("setting '" + key + "' takes true or false, not '" + value + "'");
            };
        }
        if (type.isEnum()) {
            for (Object c : type.getEnumConstants()) if (((Enum<?>) c).name().equalsIgnoreCase(value)) return c;
            throw new IllegalArgumentException("setting '" + key + "' takes one of " + enumNames(type) + ", not '" + value + "'");
        }
        return value;
    }
}
