package latte.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import latte.models.Agents;
import latte.models.loop.Trainer;

/**
 * One job of a sweep: a training run of one agent on one task with one seed, preset, family
 * options and settings, under one budget. Its {@link #name()} is its run directory's name in
 * the sweep directory and its key in the cluster's maps.
 *
 * @param index    its place in the grid (cells are handed out in this order)
 * @param options  family options by name ({@code objective}, {@code latent}, ...)
 * @param settings {@code KEY=VALUE} overrides by dotted path, in order
 * @param minutes  wall-clock budget (0: none)
 * @param episodes episode budget (0: none)
 */
public record Cell(String name, int index, String agent, String env, String preset, long seed, Map<String, String> options,
                   List<String> settings, double minutes, int episodes) {
    public Cell {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        settings = List.copyOf(settings);
        new Trainer.Budget(minutes, episodes);                      // validates
    }

    /** A cell named after what it varies: agent, task, preset, the settings of its own and the seed. */
    public static Cell of(int index, String agent, String env, String preset, long seed, Map<String, String> options,
                          List<String> settings, double minutes, int episodes) {
        List<String> parts = new ArrayList<>(List.of(agent, env, preset));
        options.forEach((k, v) -> parts.add(k + "=" + v));
        parts.addAll(settings);
        parts.add("seed" + seed);
        String name = String.join("-", parts).replaceAll("[^A-Za-z0-9._=-]", "_");
        return new Cell(name, index, agent, env, preset, seed, options, settings, minutes, episodes);
    }

    /** What {@link Agents#create} builds for this cell. */
    public Agents.Spec spec() {
        return new Agents.Spec(agent, env, preset, seed, options, settings);
    }

    public Trainer.Budget budget() {
        return new Trainer.Budget(minutes, episodes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s)", name, minutes > 0 ? minutes + " min" : episodes + " episodes");
    }
}
