package latte.models.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code KEY=VALUE} settings (the command line's {@code --set}) applied by name to an agent's
 * configuration map, the {@code "config"} object of config.json. Nested objects are reached with
 * dots ({@code world.batch=32}). A value takes the type of the field it replaces: a whole number,
 * a number, true/false, or a name; the agent's own {@code fromMap} then checks the ranges.
 */
public final class ConfigOverrides {
    private ConfigOverrides() {}

    /** A deep copy of {@code config} with {@code settings} applied in order. */
    public static Map<String, Object> apply(Map<String, Object> config, List<String> settings) {
        Map<String, Object> out = copy(config);
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1)
                throw new IllegalArgumentException("setting '" + s + "': expected KEY=VALUE, e.g. actorLr=3e-4 or world.batch=32");
            set(out, s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return out;
    }

    /** Every settable key of {@code config}, nested ones with dots. */
    public static List<String> keys(Map<String, Object> config) {
        List<String> keys = new ArrayList<>();
        collect(config, "", keys);
        return keys;
    }

    private static void collect(Map<String, Object> m, String prefix, List<String> out) {
        for (var e : m.entrySet()) {
            if (e.getKey().equals("preset")) continue;                                  // a label, not a setting
            if (e.getValue() instanceof Map<?, ?> sub) collect(cast(sub), prefix + e.getKey() + ".", out);
            else out.add(prefix + e.getKey());
        }
    }

    private static void set(Map<String, Object> root, String key, String value) {
        String[] path = key.split("\\.", -1);
        Map<String, Object> m = root;
        for (int i = 0; i < path.length - 1; i++) {
            if (!(m.get(path[i]) instanceof Map<?, ?> sub)) throw unknown(root, key);
            m = cast(sub);
        }
        String field = path[path.length - 1];
        Object old = m.get(field);
        if (old == null || old instanceof Map<?, ?> || field.equals("preset")) throw unknown(root, key);
        m.put(field, parse(key, value, old));
    }

    private static Object parse(String key, String value, Object old) {
        return switch (old) {
            case Integer i -> {
                try {
                    yield Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("setting '" + key + "' takes a whole number, not '" + value + "'");
                }
            }
            case Number n -> {
                try {
                    double d = Double.parseDouble(value);
                    if (!Double.isFinite(d)) throw new NumberFormatException();
                    yield d;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("setting '" + key + "' takes a finite number, not '" + value + "'");
                }
            }
            case Boolean b -> switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("setting '" + key + "' takes true or false, not '" + value + "'");
            };
            default -> value;
        };
    }

    private static IllegalArgumentException unknown(Map<String, Object> root, String key) {
        return new IllegalArgumentException("unknown setting '" + key + "'; settable: " + String.join(", ", keys(root)));
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v instanceof Map<?, ?> sub ? copy(cast(sub)) : v));
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
