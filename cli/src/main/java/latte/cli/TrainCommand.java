package latte.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import latte.models.Agents;
import latte.models.planet.Objective;
import latte.models.run.RunDir;
import latte.models.train.Learner;
import latte.models.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latte train}: trains an agent from pixels into a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model-based agent from 64x64 pixels; writes a run directory (config, metrics, checkpoint, curve.png, dream.gif, summary.json).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--agent", defaultValue = "planet", description = "Agent: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = AgentNames.class)
    String agent;

    @Option(names = "--env", defaultValue = "Pendulum-v1", description = "Environment (see 'latte envs'). Default: ${DEFAULT-VALUE}.")
    String env;

    @Option(names = "--preset", defaultValue = "cpu", description = "Hyperparameters: paper, cpu or debug. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--minutes", description = "Wall-clock budget, final evaluation included.")
    Double minutes;

    @Option(names = "--episodes", description = "Stop after this many collected episodes (seed episodes included).")
    Integer episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Run directory. Default: runs/<agent>-<env>-seed<seed>.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--objective", description = "PlaNet latent objective: VARIATIONAL or DETERMINISTIC. Default: the preset's (variational).")
    Objective objective;

    @Option(names = "--overshooting", defaultValue = "1", description = "Latent overshooting distance (1 = off). Default: ${DEFAULT-VALUE}.")
    int overshooting;

    @Option(names = "--action-repeat", description = "Environment steps per decision. Default: PlaNet's for the task, else the preset's.")
    Integer actionRepeat;

    @Option(names = "--latent", description = "Dreamer's stochastic state: gaussian (Dreamer v1) or categorical"
            + " (DreamerV2: 32 x 32 one-hots for paper, 16 x 16 cpu, 4 x 4 debug; KL balancing 0.8). Default: gaussian.")
    String latent;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one hyperparameter of the preset by its name in"
            + " config.json (repeatable), e.g. --set actorLr=3e-4 --set world.batch=32; unknown names list the valid ones.")
    List<String> settings = new ArrayList<>();

    static final class AgentNames extends java.util.ArrayList<String> {
        AgentNames() {
            super(Training.AGENTS);
        }
    }

    @Override
    public Integer call() {
        Trainer.Budget budget = new Trainer.Budget(minutes == null ? (episodes == null ? 20 : 0) : minutes, episodes == null ? 0 : episodes);
        if (resume) {
            if (out == null) throw new IllegalArgumentException("--resume needs --out DIR (the run to continue)");
            if (!settings.isEmpty())
                throw new IllegalArgumentException("--set applies to new runs; a resumed run keeps the settings in its config.json");
            Agents.Opened o = Agents.open(out, false);
            Training.run(o.run(), o.learner(), o.env(), o.seed(), true, budget, System.out);
            return 0;
        }
        Learner learner = Training.newLearner(new Training.Spec(agent, env, preset, seed, objective, overshooting, actionRepeat, latent,
                settings));
        Path dir = out != null ? out : Training.defaultOut(agent, env, seed);
        Training.run(new RunDir(dir), learner, env, seed, false, budget, System.out);
        return 0;
    }
}
