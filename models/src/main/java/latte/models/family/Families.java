package latte.models.family;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.models.dreamer.DreamerFamily;
import latte.models.planet.PlanetFamily;
import latte.models.ppo.PpoFamily;
import latte.models.worldmodels.WorldModelsFamily;

/**
 * The registry of agent families: the one list the command line, {@link latte.models.Agents},
 * help texts and error messages read. A family is added with one line here, or, from outside
 * (a test, an application), with one call to {@link #register}.
 */
public final class Families {
    private static final Map<String, AgentFamily<?>> REGISTRY = new LinkedHashMap<>();

    static {
        register(PlanetFamily.INSTANCE);
        register(DreamerFamily.INSTANCE);
        register(WorldModelsFamily.INSTANCE);
        register(PpoFamily.INSTANCE);
    }

    private Families() {}

    /** Adds {@code family} (replacing one of the same name). */
    public static synchronized void register(AgentFamily<?> family) {
        REGISTRY.put(family.name(), family);
    }

    /** The family called {@code name}; an unknown name is an error listing the known ones. */
    public static synchronized AgentFamily<?> get(String name) {
        AgentFamily<?> f = REGISTRY.get(name);
        if (f == null)
            throw new IllegalArgumentException("unknown agent '" + name + "'; valid agents: " + String.join(", ", names()));
        return f;
    }

    /** The registered names, built-in families first. */
    public static synchronized List<String> names() {
        return new ArrayList<>(REGISTRY.keySet());
    }

    /** Every registered family. */
    public static synchronized List<AgentFamily<?>> all() {
        return new ArrayList<>(REGISTRY.values());
    }
}
