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
    }
}
