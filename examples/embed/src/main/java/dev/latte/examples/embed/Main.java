package dev.latte.examples.embed;

import java.nio.file.Path;
import java.util.Locale;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Observation;
import latte.envs.Space;
import latte.envs.Step;
import latte.models.Agent;
import latte.models.Agents;
import latte.models.loop.OneHotActions;

/**
 * Loads a trained agent from a run directory and plays one episode of its task:
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar latte-embed-example-0.1.0-SNAPSHOT.jar RUN_DIR [SEED]
 * </pre>
 * prints the episode's return, the number of decisions and the time per action.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java --add-modules jdk.incubator.vector -jar latte-embed-example.jar RUN_DIR [SEED]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;

        Agent agent = Agents.load(dir);                             // config.json + model.safetensors -> the trained agent
        Agents.Opened run = Agents.open(dir, false);                // the run's task and settings (no weights)
        Env env = Envs.make(run.env(), Envs.Options.defaults()
                .withPixels(true)                                     // 64x64 RGB frames, as the pixel agents were trained on
                .withRescaleActions(true)                             // the agent acts in [-1, 1]^A
                .withActionRepeat(run.learner().settings().actionRepeat()));
        if (env.actionSpec() instanceof Space.Discrete) env = new OneHotActions(env);   // one-hot actions -> the chosen index

        Observation o = env.reset(seed).observation();
        agent.reset();
        double ret = 0;
        int decisions = 0;
        long nanos = 0;
        while (true) {
            long t0 = System.nanoTime();
            float[] action = agent.act(o);
            nanos += System.nanoTime() - t0;
            Step s = env.step(action);
            ret += s.reward();
            decisions++;
            o = s.observation();
            if (s.done()) break;
        }
        System.out.printf(Locale.ROOT, "%s on %s, seed %d: return %.3f over %d decisions, %.2f ms per action%n",
                run.agent(), run.env(), seed, ret, decisions, nanos / 1e6 / decisions);
    }
}
