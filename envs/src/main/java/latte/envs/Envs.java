package latte.envs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import latte.envs.minatar.MinAtar;

/**
 * The task registry. {@code Envs.make("cartpole-swingup", Envs.Options.defaults().withActionRepeat(8))}
 * builds the task and stacks the wrappers the options ask for, innermost first:
 * <pre>
 *   task -> TimeLimit (task steps) -> ActionRepeat -> RescaleAction -> PixelObservation -> FrameStack
 * </pre>
 * so the time limit counts task steps (1000 for dm_control: 125 decisions at repeat 8) and
 * frames are rendered only at decision steps. The MinAtar games ({@code MinAtar/Breakout}, ...)
 * are registered with their default options ({@link MinAtar#make} takes others).
 */
public final class Envs {
    /** Builds a bare environment with a render size. */
    @FunctionalInterface
    private interface Factory {
        BaseEnv create(int width, int height);
    }

    private static final Map<String, Factory> TASKS = new LinkedHashMap<>();

    static {
        TASKS.put("cartpole-swingup", (w, h) -> new Cartpole("cartpole-swingup", true, false, w, h));
        TASKS.put("cartpole-balance", (w, h) -> new Cartpole("cartpole-balance", false, false, w, h));
        TASKS.put("cartpole-swingup-sparse", (w, h) -> new Cartpole("cartpole-swingup-sparse", true, true, w, h));
        TASKS.put("pendulum-swingup", PendulumSwingup::new);
        TASKS.put("reacher-easy", (w, h) -> new Reacher("reacher-easy", 0.05, w, h));
        TASKS.put("reacher-hard", (w, h) -> new Reacher("reacher-hard", 0.015, w, h));
        TASKS.put("point-mass-easy", PointMass::new);
        TASKS.put("point-mass-windy", WindyPointMass::new);
        TASKS.put("Pendulum-v1", PendulumV1::new);
        TASKS.put("MountainCarContinuous-v0", MountainCarContinuous::new);
        TASKS.put("CartPole-v1", CartPoleV1::new);
        TASKS.put("Acrobot-v1", AcrobotV1::new);
        for (String game : MinAtar.names()) TASKS.put(game, (w, h) -> MinAtar.game(game, MinAtar.Options.defaults(), w, h));
    }

    private Envs() {}

    /**
     * How {@link #make} builds an environment.
     *
     * @param width          render width in pixels (default 64)
     * @param height         render height in pixels (default 64)
     * @param actionRepeat   task steps per {@code step} call, rewards summed (default 1)
     * @param timeLimit      episode length in task steps; 0 = the task's own (default), -1 = none
     * @param pixels         observations are rendered frames {@code [H, W, 3]} instead of state
     * @param frameStack     number of frames stacked along channels (needs pixels; default 1)
     * @param rescaleActions actions in {@code [-1, 1]} mapped onto the task's box, clipped first
     */
    public record Options(int width, int height, int actionRepeat, int timeLimit, boolean pixels, int frameStack, boolean rescaleActions) {
        public Options {
            if (width < 8 || height < 8 || width > 4096 || height > 4096) {
                throw new IllegalArgumentException("Envs.Options: render size " + width + "x" + height + ", expected 8..4096 per side");
            }
            if (actionRepeat < 1) throw new IllegalArgumentException("Envs.Options: actionRepeat = " + actionRepeat + ", expected >= 1");
            if (timeLimit < -1) throw new IllegalArgumentException("Envs.Options: timeLimit = " + timeLimit + ", expected >= 1, 0 (task default) or -1 (none)");
            if (frameStack < 1) throw new IllegalArgumentException("Envs.Options: frameStack = " + frameStack + ", expected >= 1");
            if (frameStack > 1 && !pixels) throw new IllegalArgumentException("Envs.Options: frameStack = " + frameStack + " needs pixels = true");
        }

        public static Options defaults() {
            return new Options(64, 64, 1, 0, false, 1, false);
        }

        public Options withSize(int w, int h) {
            return new Options(w, h, actionRepeat, timeLimit, pixels, frameStack, rescaleActions);
        }

        public Options withActionRepeat(int n) {
            return new Options(width, height, n, timeLimit, pixels, frameStack, rescaleActions);
        }

        public Options withTimeLimit(int steps) {
            return new Options(width, height, actionRepeat, steps, pixels, frameStack, rescaleActions);
        }

        public Options withPixels(boolean p) {
            return new Options(width, height, actionRepeat, timeLimit, p, frameStack, rescaleActions);
        }

        public Options withFrameStack(int k) {
            return new Options(width, height, actionRepeat, timeLimit, pixels, k, rescaleActions);
        }

        public Options withRescaleActions(boolean r) {
            return new Options(width, height, actionRepeat, timeLimit, pixels, frameStack, r);
        }
    }

    /** The registered names, in a fixed order (dm_control ports, Gymnasium ports, MinAtar games). */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(TASKS.keySet()));
    }

    /** {@link #make(String, Options)} with {@link Options#defaults()}. */
    public static Env make(String name) {
        return make(name, Options.defaults());
    }

    /** Builds the named environment and wraps it as the options ask. */
    public static Env make(String name, Options options) {
        return wrap(bare(name, options.width(), options.height()), options);
    }

    /** Wraps a bare environment as the options ask (the render size is the environment's own). */
    public static Env wrap(BaseEnv base, Options options) {
        Env env = base;
        int limit = options.timeLimit() == 0 ? base.defaultEpisodeSteps() : options.timeLimit();
        if (limit > 0) env = new TimeLimit(env, limit);
        if (options.actionRepeat() > 1) env = new ActionRepeat(env, options.actionRepeat());
        if (options.rescaleActions() && base.actionSpec() instanceof Space.Box) env = new RescaleAction(env, true);
        if (options.pixels()) env = new PixelObservation(env);
        if (options.frameStack() > 1) env = new FrameStack(env, options.frameStack());
        return env;
    }

    /** The bare environment (no time limit, no wrappers) with the given render size. */
    public static BaseEnv bare(String name, int width, int height) {
        Factory f = name == null ? null : TASKS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("Envs: unknown environment '" + name + "'; known: " + String.join(", ", TASKS.keySet()));
        }
        return f.create(width, height);
    }

    /** The bare physics task (no time limit, no wrappers) with the given render size. */
    public static Task task(String name, int width, int height) {
        if (bare(name, width, height) instanceof Task t) return t;
        throw new IllegalArgumentException("Envs: '" + name + "' is not a physics task (it has no physical state); use Envs.bare or Envs.make");
    }
}
