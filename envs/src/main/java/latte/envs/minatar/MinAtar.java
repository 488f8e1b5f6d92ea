package latte.envs.minatar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.envs.Env;
import latte.envs.Envs;

/**
 * The five MinAtar games (Young and Tian 2019), written from the rules of
 * {@code shared/design/MINATAR.md}: {@code MinAtar/Breakout}, {@code MinAtar/Asterix},
 * {@code MinAtar/Freeway}, {@code MinAtar/Seaquest}, {@code MinAtar/SpaceInvaders}.
 * <pre>
 *   Env env = MinAtar.make("MinAtar/Breakout", MinAtar.Options.defaults().withMinimalActions(true),
 *           Envs.Options.defaults().withPixels(true));        // 64x64 RGB frames, 3 actions
 * </pre>
 * {@code Envs.make("MinAtar/Breakout", options)} builds a game with {@link Options#defaults()}.
 */
public final class MinAtar {
    /** A game factory: options and render size. */
    @FunctionalInterface
    private interface Factory {
        MinAtarGame create(Options options, int width, int height);
    }

    private static final Map<String, Factory> GAMES = new LinkedHashMap<>();

    static {
        GAMES.put("MinAtar/Breakout", Breakout::new);
        GAMES.put("MinAtar/Asterix", Asterix::new);
        GAMES.put("MinAtar/Freeway", Freeway::new);
        GAMES.put("MinAtar/Seaquest", Seaquest::new);
        GAMES.put("MinAtar/SpaceInvaders", SpaceInvaders::new);
    }

    private MinAtar() {}

    /**
     * The wrapper options of MINATAR.md with the reference defaults: sticky actions 0.1,
     * difficulty ramping on, the full set of six actions. (A time limit is
     * {@link Envs.Options#withTimeLimit}.)
     *
     * @param stickyActions  probability that the previous action is repeated instead of the chosen one
     * @param ramping        whether Asterix, Seaquest and Space Invaders speed up over time
     * @param minimalActions the game's minimal action set instead of the six actions
     */
    public record Options(double stickyActions, boolean ramping, boolean minimalActions) {
        public Options {
            if (!(stickyActions >= 0 && stickyActions <= 1)) {
                throw new IllegalArgumentException("MinAtar.Options: stickyActions = " + stickyActions + ", expected a probability in [0, 1]");
            }
        }

        public static Options defaults() {
            return new Options(0.1, true, false);
        }

        public Options withStickyActions(double p) {
            return new Options(p, ramping, minimalActions);
        }

        public Options withRamping(boolean r) {
            return new Options(stickyActions, r, minimalActions);
        }

        public Options withMinimalActions(boolean m) {
            return new Options(stickyActions, ramping, m);
        }
    }

    /** The registered names, in the page's order. */
    public static List<String> names() {
        return List.copyOf(GAMES.keySet());
    }

    /** A bare game (no wrappers) with a render size. */
    public static MinAtarGame game(String name, Options options, int width, int height) {
        Factory f = name == null ? null : GAMES.get(name);
        if (f == null) throw new IllegalArgumentException("MinAtar: unknown game '" + name + "'; known: " + String.join(", ", GAMES.keySet()));
        if (options == null) throw new IllegalArgumentException("MinAtar: options is null; use MinAtar.Options.defaults()");
        return f.create(options, width, height);
    }

    /** A game wrapped as {@code envOptions} ask (time limit, pixels, frame stack, ...), like {@link Envs#make}. */
    public static Env make(String name, Options options, Envs.Options envOptions) {
        return Envs.wrap(game(name, options, envOptions.width(), envOptions.height()), envOptions);
    }
}
