package latte.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of a sweep: agents x environments x settings x seeds, every cell under the same
 * preset, family options and budget. A {@code --set KEY=V1,V2} spans an axis of its own; a
 * {@code --set} with one value applies to every cell.
 */
public final class Grid {
    private Grid() {}

    /** "0-2" -> 0, 1, 2; "0,3,5-6" -> 0, 3, 5, 6. */
    public static List<Long> seeds(String spec) {
        List<Long> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                if (dash < 0) out.add(Long.parseLong(p));
                else {
                    long lo = Long.parseLong(p.substring(0, dash)), hi = Long.parseLong(p.substring(dash + 1));
                    if (hi < lo || hi - lo > 10_000) throw new NumberFormatException();
                    for (long s = lo; s <= hi; s++) out.add(s);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds '" + spec + "': '" + p + "' is not a seed or a range LO-HI (e.g. 0-2 or 0,3,5-6)");
            }
        }
        if (out.stream().distinct().count() != out.size()) throw new IllegalArgumentException("--seeds '" + spec + "' names a seed twice");
        return out;
    }

    /** "a,b" -> [a, b], trimmed, no empties. */
    public static List<String> list(String option, String spec) {
        List<String> out = new ArrayList<>();
        for (String s : spec.split(",")) if (!s.isBlank()) out.add(s.trim());
        if (out.isEmpty()) throw new IllegalArgumentException(option + ": give at least one value (comma-separated)");
        return out;
    }

    /**
     * Every cell, in the order agents, environments, settings (the first {@code --set} varies slowest), seeds.
     *
     * @param settings {@code KEY=VALUE} or {@code KEY=V1,V2,...}
     */
    public static List<Cell> cells(List<String> agents, List<String> envs, List<Long> seeds, String preset, Map<String, String> options,
                                   List<String> settings, double minutes, int episodes) {
        List<List<String>> combos = new ArrayList<>(List.of(List.of()));
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--set '" + s + "' is not KEY=VALUE or KEY=V1,V2");
            String key = s.substring(0, eq);
            List<List<String>> next = new ArrayList<>();
            for (List<String> c : combos)
                for (String v : list("--set " + key, s.substring(eq + 1))) {
                    List<String> n = new ArrayList<>(c);
                    n.add(key + "=" + v);
                    next.add(n);
                }
            combos = next;
        }
        List<Cell> out = new ArrayList<>();
        for (String a : agents)
            for (String e : envs)
                for (List<String> c : combos)
                    for (long seed : seeds)
                        out.add(Cell.of(out.size(), a, e, preset, seed, new LinkedHashMap<>(options), c, minutes, episodes));
        return out;
    }
}
