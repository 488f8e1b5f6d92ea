package dev.latte.examples.basics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Frame;
import latte.envs.Observation;
import latte.envs.Step;
import latte.envs.Video;

/**
 * Steps an environment from pixels with random actions and saves the episode as a GIF:
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp 'target/classes:target/lib/*' dev.latte.examples.basics.EnvGif OUT.gif [ENV] [SEED]
 * </pre>
 * prints the number of frames and the return.
 */
public final class EnvGif {
    private EnvGif() {}

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "episode.gif");
        String name = args.length > 1 ? args[1] : "Pendulum-v1";
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Env env = Envs.make(name, Envs.Options.defaults().withPixels(true).withRescaleActions(true));   // 64x64 RGB, actions in [-1, 1]
        Rng rng = new Rng(seed);
        Observation o = env.reset(seed).observation();
        List<Frame> frames = new ArrayList<>(List.of((Frame) o));
        double ret = 0;
        for (int t = 0; t < 60; t++) {
            float[] a = new float[env.actionSpec().size()];
            for (int d = 0; d < a.length; d++) a[d] = rng.uniform(-1f, 1f);
            Step s = env.step(a);
            ret += s.reward();
            frames.add((Frame) s.observation());
            if (s.done()) break;
        }
        Video.writeGif(frames, out, 50);
        System.out.printf(Locale.ROOT, "%s: %d frames of %dx%d, return %.3f, written to %s%n", name, frames.size(),
                frames.getFirst().width(), frames.getFirst().height(), ret, out);
    }
}
