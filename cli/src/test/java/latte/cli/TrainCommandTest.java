package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train / eval / dream as a user runs them, in process. */
class TrainCommandTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void trainEvalDreamAndResumeOnTheDebugPreset(@TempDir Path dir) {
        Path runDir = dir.resolve("run");
        Result r = run("train", "--preset", "debug", "--episodes", "2", "--seed", "4", "--out", runDir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("evaluation return over 1 episodes").contains("random policy");
        for (String f : new String[] {"config.json", "metrics.jsonl", "summary.json", "curve.png", "dream.gif", "model.safetensors"})
            assertThat(runDir.resolve(f)).exists();

        Result e = run("eval", "--run", runDir.toString(), "--episodes", "1");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("agent").contains("random");

        Result plot = run("plot", "--run", runDir.toString(), "--out", dir.resolve("again.png").toString());
        assertThat(plot.code()).as(plot.err()).isZero();
        assertThat(dir.resolve("again.png")).isNotEmptyFile();
        assertThat(run("plot", "--run", dir.toString()).err()).contains("not a Latte run directory");

        Result resumed = run("train", "--resume", "--out", runDir.toString(), "--episodes", "3");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming").contains("at episode 2");
        assertThat(resumed.out()).contains("3 episodes");
    }

    @Test
    void dreamerTrainsOnADiscreteTaskWithDreamAndEval(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        Result r = run("train", "--agent", "dreamer", "--env", "CartPole-v1", "--preset", "debug", "--episodes", "3",
                "--seed", "2", "--out", runDir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String f : new String[] {"dream.gif", "model.safetensors", "behaviour.safetensors", "summary.json"})
            assertThat(runDir.resolve(f)).exists();
        String config = Files.readString(runDir.resolve("config.json"));
        assertThat(config).contains("\"agent\":\"dreamer\"").contains("\"continuation\":true");
        Result e = run("eval", "--run", runDir.toString(), "--episodes", "1");
        assertThat(e.code()).as(e.err()).isZero();
    }

    @Test
    void dreamerTakesDreamerV2CategoricalLatents(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        Result r = run("train", "--agent", "dreamer", "--env", "Pendulum-v1", "--preset", "debug", "--latent", "categorical",
                "--episodes", "2", "--seed", "1", "--out", runDir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String config = Files.readString(runDir.resolve("config.json"));
        assertThat(config).contains("\"latent\":\"CATEGORICAL\"").contains("\"classes\":4").contains("\"klBalance\":0.8");
        Result bad = run("train", "--agent", "dreamer", "--preset", "debug", "--latent", "gumbel", "--out", dir.resolve("b").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown latent 'gumbel'").contains("gaussian, categorical");
        Result planet = run("train", "--agent", "planet", "--preset", "debug", "--latent", "categorical", "--out", dir.resolve("c").toString());
        assertThat(planet.code()).isEqualTo(2);
        assertThat(planet.err()).contains("latent is not an option of agent 'planet'");
    }

    @Test
    void setOverridesHyperparametersByName(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        Result r = run("train", "--agent", "dreamer", "--preset", "debug", "--episodes", "2", "--set", "value.symlog=true",
                "--set", "loop.batch=3", "--set", "actor.optim.lr=2e-4", "--out", runDir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String config = Files.readString(runDir.resolve("config.json"));
        assertThat(config).contains("\"symlog\":true").contains("\"batch\":3").contains("\"lr\":2.0E-4");
        // the example of --help works for the default agent
        Result planet = run("train", "--preset", "debug", "--episodes", "2", "--set", "planner.candidates=7", "--set", "loop.batch=3",
                "--out", dir.resolve("p").toString());
        assertThat(planet.code()).as(planet.err()).isZero();
        assertThat(Files.readString(dir.resolve("p/config.json"))).contains("\"candidates\":7").contains("\"batch\":3");
        assertThat(run("train", "--help").out().replaceAll("\\s+", "")).contains("--setloop.batch=32");
        Result unknown = run("train", "--agent", "dreamer", "--preset", "debug", "--set", "actor.optim.LR=1", "--out", dir.resolve("a").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown setting 'actor.optim.LR'").contains("actor.optim.lr");
        Result typed = run("train", "--agent", "dreamer", "--preset", "debug", "--set", "loop.batch=many", "--out", dir.resolve("a").toString());
        assertThat(typed.err()).contains("setting 'loop.batch' takes a whole number, not 'many'");
        assertThat(dir.resolve("a")).doesNotExist();
        Result resume = run("train", "--resume", "--out", runDir.toString(), "--set", "imagination.horizon=4");
        assertThat(resume.code()).isEqualTo(2);
        assertThat(resume.err()).contains("apply to new runs");
    }

    @Test
    void unknownNamesListTheValidOnes(@TempDir Path dir) {
        Result env = run("train", "--env", "Pendulum-v9", "--out", dir.resolve("a").toString());
        assertThat(env.code()).isEqualTo(2);
        assertThat(env.err()).contains("unknown environment 'Pendulum-v9'").contains("Pendulum-v1").contains("cartpole-swingup");
        Result preset = run("train", "--preset", "gpu", "--out", dir.resolve("b").toString());
        assertThat(preset.err()).contains("unknown preset 'gpu'").contains("paper, cpu, debug");
        Result agent = run("train", "--agent", "muzero", "--out", dir.resolve("c").toString());
        assertThat(agent.err()).contains("unknown agent 'muzero'").contains("planet");
        Result discrete = run("train", "--env", "CartPole-v1", "--preset", "debug", "--out", dir.resolve("d").toString());
        assertThat(discrete.code()).isEqualTo(2);
        assertThat(discrete.err()).contains("discrete actions");
    }

    @Test
    void evalOfSomethingThatIsNotARunIsAClearError(@TempDir Path dir) throws Exception {
        Result r = run("eval", "--run", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not a Latte run directory");
        Result resume = run("train", "--resume");
        assertThat(resume.err()).contains("--resume needs --out");
        assertThat(Files.list(dir)).isEmpty();
    }

    @Test
    void deviceOptionValidatesItsValue(@TempDir Path dir) {
        Result bad = run("train", "--device", "tpu", "--out", dir.resolve("a").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--device: 'tpu' is not one of auto, cpu, cuda");
        // CI machines have no GPU: asking for one must say why and train nothing
        org.junit.jupiter.api.Assumptions.assumeFalse(latte.core.Backends.current().name().equals("cuda"), "a GPU is present");
        Result cuda = run("train", "--device", "cuda", "--preset", "debug", "--out", dir.resolve("b").toString());
        assertThat(cuda.code()).isEqualTo(2);
        assertThat(cuda.err()).contains("--device cuda").contains("not available");
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void deviceCudaWithoutAGpuIsOneLineAndOnlyTheAutomaticChoiceSaysItUsesTheCpu(@TempDir Path dir) {
        org.junit.jupiter.api.Assumptions.assumeFalse(latte.cuda.Cuda.probe().ok(), "a GPU is present");
        // a JVM of its own: the GPU probe runs once per process, and this must see what a user sees
        Subprocess forced = Subprocess.latte(dir, "train", "--device", "cuda", "--preset", "debug", "--out", "b");
        assertThat(forced.code()).isEqualTo(2);
        assertThat(forced.errLines()).singleElement().asString()
                .startsWith("latte: --device cuda: ").contains("not available here: no CUDA driver").doesNotContain("using the");
        assertThat(forced.out()).isEmpty();
        assertThat(dir.resolve("b")).doesNotExist();
        Subprocess auto = Subprocess.latte(dir, "train", "--preset", "debug", "--episodes", "2", "--out", "a");
        assertThat(auto.code()).as(auto.err()).isZero();
        assertThat(auto.errLines()).containsExactly(
                "latte: cuda is not available here (" + latte.cuda.Cuda.probe().reason() + "); using the cpu");
        Subprocess cpu = Subprocess.latte(dir, "--device", "cpu", "eval", "--run", "a", "--episodes", "1");
        assertThat(cpu.code()).as(cpu.err()).isZero();
        assertThat(cpu.errLines()).isEmpty();
    }

    @Test
    void aShortWallClockBudgetCoversTheWholeCommandPicturesIncluded(@TempDir Path dir) {
        Path runDir = dir.resolve("run");
        double budget = 0.2 * 60;
        long t0 = System.nanoTime();
        Result r = run("train", "--preset", "debug", "--minutes", "0.2", "--out", runDir.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as(r.err()).isZero();
        for (String f : new String[] {"summary.json", "curve.png", "dream.gif"}) assertThat(runDir.resolve(f)).exists();
        double wall = ((Number) latte.models.run.RunDir.readJson(runDir.resolve("summary.json")).get("wallSeconds")).doubleValue();
        // the trainer's own clock (training and final evaluation) ends inside the budget, having used most of it
        assertThat(wall).isLessThanOrEqualTo(budget).isGreaterThan(0.5 * budget);
        // and so does the command: set-up, training, evaluation, curve.png and dream.gif, with a 10% tolerance
        assertThat(seconds).as("the command's own wall time").isLessThanOrEqualTo(1.1 * budget);
    }

    @Test
    void resumeRefusesOptionsThatDifferFromTheRunAndSaysWhenItsBudgetIsSpent(@TempDir Path dir) {
        Path runDir = dir.resolve("run");
        assertThat(run("train", "--preset", "debug", "--episodes", "2", "--seed", "4", "--out", runDir.toString()).code()).isZero();
        Result differ = run("train", "--resume", "--out", runDir.toString(), "--agent", "dreamer", "--seed", "5", "--preset", "debug",
                "--episodes", "3");
        assertThat(differ.code()).isEqualTo(2);
        assertThat(differ.err()).contains("--agent dreamer (the run's agent is planet)").contains("--seed 5 (the run's seed is 4)")
                .doesNotContain("--preset");
        Result same = run("train", "--resume", "--out", runDir.toString(), "--agent", "planet", "--env", "Pendulum-v1", "--seed", "4",
                "--episodes", "2");
        assertThat(same.code()).isEqualTo(2);
        assertThat(same.err()).contains("has already collected 2 episodes, the budget of --episodes 2");
    }

    @Test
    void aBudgetThatEndsWithinTheSeedEpisodesIsRefusedAndTheDefaultBudgetIsDocumented(@TempDir Path dir) {
        Result r = run("train", "--preset", "debug", "--episodes", "1", "--out", dir.resolve("a").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--episodes 1 is not more than the 1 seed episodes").contains("give at least 2");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(run("train", "--help").out().replaceAll("\\s+", " ")).contains("trains for 20 minutes");
    }
}
