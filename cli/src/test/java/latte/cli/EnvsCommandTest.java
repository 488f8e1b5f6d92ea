package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import latte.envs.Envs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EnvsCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void listsEveryTaskWithItsSpecs() {
        Result r = run("envs");
        assertThat(r.code()).isZero();
        for (String name : Envs.names()) assertThat(r.out()).contains(name);
        assertThat(r.out()).contains("Discrete(2)").contains("Box[1] [-2, 2]");
        assertThat(r.out()).contains("Grid[10, 10, 10] boolean").contains("minimal: no-op, left, right, fire")
                .contains("channels: paddle, ball, trail, brick");
    }

    @Test
    void traceReplaysAMinAtarDrawsFileAndPrintsTheGrids() throws Exception {
        Path draws = dir.resolve("b.draws");
        // reset: ball at (3, 9) moving (-1, +1); step 1 keeps right; step 2's draw 0.05 < 0.1 repeats right
        Files.writeString(draws, "# Breakout by hand\nrandint 0 2 1\nrand 0.5\nrand 0.05\n");
        Result r = run("envs", "trace", "--env", "MinAtar/Breakout", "--draws", draws.toString(), "--actions", "right;left");
        assertThat(r.code()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("step 0 reset draws randint 0 2 1\n")
                .contains("step 1 action right reward 0 draws rand 0.5\n")
                .contains("step 2 action left (sticky: right) reward 0 draws rand 0.05\n");
        String last = out.substring(out.indexOf("step 2"));
        assertThat(last).contains("\n3 3333333333\n4 ........2.\n5 .......1..\n").contains("\n9 ......0...\n").doesNotContain("overlaps");
        assertThat(out).contains("overlaps: (3,9)=1+2+3\n") // reset: ball, trail and brick
                .contains("overlaps: (3,9)=2+3\n"); // step 1: the trail over the brick
        assertThat(out).contains("end: 2 steps, return 0, 3 draws used, 0 left in the file");
    }

    @Test
    void traceSavesTheDrawsOfASeedForReplay() throws Exception {
        Path saved = dir.resolve("s.draws");
        Result seeded = run("envs", "trace", "--env", "MinAtar/Asterix", "--seed", "4", "--actions", "up;up;right;0;0;0;0;0;0;0;0;0;0",
                "--save-draws", saved.toString());
        assertThat(seeded.code()).as(seeded.err()).isZero();
        assertThat(seeded.out()).contains("step 11 action no-op"); // the first spawn (step 11) draws rand, rand, randint
        Result replayed = run("envs", "trace", "--env", "MinAtar/Asterix", "--draws", saved.toString(), "--actions", "up;up;right;0;0;0;0;0;0;0;0;0;0");
        String a = seeded.out(), b = replayed.out();
        assertThat(b.substring(b.indexOf("step 0"), b.indexOf("end:"))).isEqualTo(a.substring(a.indexOf("step 0"), a.indexOf("end:")));
        Result short_ = run("envs", "trace", "--env", "MinAtar/Asterix", "--draws", saved.toString(), "--actions", "0;0;0;0;0;0;0;0;0;0;0;0;0;0");
        assertThat(short_.code()).isEqualTo(2);
        assertThat(short_.err()).contains("step 14: draws: the game asked for draw").contains("stream ends after");
    }

    @Test
    void traceRejectsMixedUpOptions() {
        Result noSource = run("envs", "trace", "--env", "MinAtar/Freeway", "--actions", "up");
        assertThat(noSource.code()).isEqualTo(2);
        assertThat(noSource.err()).contains("needs exactly one of --draws FILE and --seed N");
        Result physics = run("envs", "trace", "--env", "CartPole-v1", "--seed", "1", "--actions", "1");
        assertThat(physics.err()).contains("are for MinAtar games");
        Result badAction = run("envs", "trace", "--env", "MinAtar/Freeway", "--seed", "1", "--minimal-actions", "--actions", "up;left");
        assertThat(badAction.err()).contains("action 1: 'left'").contains("no-op, up, down");
        Result badFile = run("envs", "trace", "--env", "MinAtar/Freeway", "--draws", dir.resolve("none.draws").toString(), "--actions", "up");
        assertThat(badFile.err()).contains("cannot read");
    }

    @Test
    void returnsMeasuresARandomPolicy() {
        Result r = run("envs", "returns", "--env", "MinAtar/Breakout", "--episodes", "20", "--seed", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("MinAtar/Breakout: random policy, 20 episodes, seed 2: return ").contains("mean length");
        assertThat(run("envs", "returns", "--env", "MinAtar/Breakout", "--episodes", "20", "--seed", "2").out()).isEqualTo(r.out());
    }

    @Test
    void traceAppliesTheGymnasiumPendulumRule() {
        Result r = run("envs", "trace", "--env", "Pendulum-v1", "--state", "1.0,0", "--actions", "2;-2");
        assertThat(r.code()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[0]).isEqualTo("step,theta,theta_dot,action,reward,terminated");
        // th' = 0 + (15 sin 1 + 3 * 2) * 0.05; th = 1 + th' * 0.05; reward = -(1 + 0 + 0.001 * 4)
        double thd = (15 * Math.sin(1.0) + 6) * 0.05, th = 1 + thd * 0.05;
        assertThat(lines[1]).isEqualTo("0,1.0,0.0,2.0," + (-1.004) + ",false");
        String[] row = lines[2].split(",");
        assertThat(Double.parseDouble(row[1])).isEqualTo(th);
        assertThat(Double.parseDouble(row[2])).isEqualTo(thd);
        assertThat(lines).hasSize(4);
    }

    @Test
    void badInputGivesAClearMessageAndNonZeroExit() {
        Result unknown = run("envs", "trace", "--env", "nope", "--state", "0", "--actions", "1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown environment 'nope'").contains("cartpole-swingup").doesNotContain("Exception");
        Result length = run("envs", "trace", "--env", "CartPole-v1", "--state", "0,0,0", "--actions", "1");
        assertThat(length.code()).isEqualTo(2);
        assertThat(length.err()).contains("length 3, expected 4").doesNotContain("at latte");
        Result action = run("envs", "trace", "--env", "CartPole-v1", "--state", "0,0,0,0", "--actions", "1;3");
        assertThat(action.code()).isEqualTo(2);
        assertThat(action.err()).contains("action 1").contains("[0, 1]");
        assertThat(action.out()).isEmpty();
        Result nan = run("envs", "trace", "--env", "reacher-easy", "--state", "0,0,0,0,0.1,0.1", "--actions", "0,x");
        assertThat(nan.code()).isEqualTo(2);
        assertThat(nan.err()).contains("'x' is not a number");
    }

    @Test
    void videoWritesAGif() throws Exception {
        Path out = dir.resolve("v.gif");
        Result r = run("envs", "video", "--env", "pendulum-swingup", "--steps", "40", "--seed", "3", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.size(out)).isGreaterThan(1000);
        byte[] head = Files.readAllBytes(out);
        assertThat(new String(head, 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        Path game = dir.resolve("g.gif");
        Result g = run("envs", "video", "--env", "MinAtar/Freeway", "--policy", "zero", "--steps", "30", "--out", game.toString());
        assertThat(g.code()).as(g.err()).isZero();
        assertThat(g.out()).contains("MinAtar/Freeway: 30 steps, return 0.000, 31 frames");
    }
}
