package latte.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import latte.models.Agents;
import latte.models.loop.Trainer;
import latte.models.run.RunDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latte demo}: the main job — PlaNet learns Pendulum-v1 from pixels on two cores. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: PlaNet learns Pendulum-v1 from 64x64 pixels (cpu preset, 20 minutes).",
                "Trains for a bounded time, evaluates the agent against a random policy and writes the run directory",
                "(curve.png, dream.gif, summary.json)."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--minutes", defaultValue = "20", description = "Wall-clock budget, final evaluation included. Default: ${DEFAULT-VALUE}.")
    double minutes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Run directory. Default: runs/demo-seed<seed> (numbered if it exists).")
    Path out;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        String env = "Pendulum-v1";
        Path dir = out;
        if (dir == null) {
            dir = Path.of("runs", "demo-seed" + seed);
            for (int i = 2; new RunDir(dir).exists(); i++) dir = Path.of("runs", "demo-seed" + seed + "-" + i);
        }
        System.out.printf("Latte demo: PlaNet learns %s from 64x64 pixels for %.0f minutes (cpu preset, seed %d) -> %s%n",
                env, minutes, seed, dir);
        System.out.println("A random policy scores about -1200 on this task; a good controller about -150.");
        var learner = Agents.create(new Agents.Spec("planet", env, "cpu", seed));
        Training.run(new RunDir(dir), learner, env, seed, false, new Trainer.Budget(minutes, 0), System.out, start);
        return 0;
    }
}
