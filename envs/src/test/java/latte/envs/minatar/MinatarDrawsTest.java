package latte.envs.minatar;

import static latte.envs.minatar.Scripted.rand;
import static latte.envs.minatar.Scripted.randint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import latte.envs.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded stream of draws replays episodes bit for bit; a bad stream or file gets a clear error. */
class MinatarDrawsTest {
    @TempDir
    Path dir;

    /** What a run shows: every observation, reward and termination, in order. */
    private record Run(List<Object> trace, int steps) {}

    /** Three episodes (reset() between them) with actions from {@code policySeed}, on {@code game}'s current source. */
    private static Run play(MinAtarGame game, long policySeed) {
        List<Object> trace = new ArrayList<>();
        SplittableRandom policy = new SplittableRandom(policySeed);
        int steps = 0;
        for (int episode = 0; episode < 3; episode++) {
            trace.add(game.reset().observation());
            for (boolean done = false; !done && steps < 20_000; steps++) {
                Step s = game.step(new float[] {policy.nextInt(6)});
                trace.add(s.observation());
                trace.add(s.reward());
                done = s.terminated();
            }
        }
        return new Run(trace, steps);
    }

    @Test
    void aRecordedStreamReplaysEveryGameBitForBit() {
        for (String name : MinAtar.names()) {
            MinAtarGame recorded = MinAtar.game(name, MinAtar.Options.defaults(), 64, 64);
            DrawRecorder recorder = new DrawRecorder(Draws.seeded(5));
            recorded.useDraws(recorder);
            Run original = play(recorded, 8);
            List<Draw> draws = recorder.draws();
            assertThat(draws).as(name).hasSizeGreaterThanOrEqualTo(original.steps()); // a sticky draw per step at least

            Path file = dir.resolve(name.replace('/', '-') + ".draws");
            Draws.write(file, draws, name + ", seed 5\npolicy seed 8");
            assertThat(Draws.read(file)).isEqualTo(draws);

            MinAtarGame replayed = MinAtar.game(name, MinAtar.Options.defaults(), 64, 64);
            ReplayDraws stream = Draws.replay(Draws.read(file));
            replayed.useDraws(stream);
            assertThat(play(replayed, 8).trace()).as(name).isEqualTo(original.trace());
            assertThat(stream.remaining()).isZero();
        }
    }

    @Test
    void theSeededSourceIsTheGamesSourceAfterResetSeed() {
        MinAtarGame a = MinAtar.game("MinAtar/Seaquest", MinAtar.Options.defaults(), 64, 64);
        a.reset(5);
        Run viaReset = play(a, 8); // continues the seed-5 source with reset()
        MinAtarGame b = MinAtar.game("MinAtar/Seaquest", MinAtar.Options.defaults(), 64, 64);
        b.useDraws(Draws.seeded(5));
        b.reset(); // the same draws, one reset earlier
        assertThat(play(b, 8).trace()).isEqualTo(viaReset.trace());
    }

    @Test
    void aStreamThatRunsOutOrDoesNotMatchIsAClearError() {
        MinAtarGame game = MinAtar.game("MinAtar/Breakout", MinAtar.Options.defaults(), 64, 64);
        game.useDraws(Draws.replay(List.of(randint(0, 2, 1), rand(0.5))));
        game.reset();
        game.step(new float[] {0});
        assertThatThrownBy(() -> game.step(new float[] {0})).isInstanceOf(IllegalStateException.class)
                .hasMessage("draws: the game asked for draw 3, rand(), but the stream ends after 2 draws");
        MinAtarGame other = MinAtar.game("MinAtar/Breakout", MinAtar.Options.defaults(), 64, 64);
        other.useDraws(Draws.replay(List.of(randint(0, 3, 1))));
        assertThatThrownBy(other::reset).isInstanceOf(IllegalStateException.class)
                .hasMessage("draws: draw 1 does not match: the game asked for randint(0, 2) but the stream holds 'randint 0 3 1'");
    }

    @Test
    void aBadDrawsFileNamesTheLineAndWhatWasExpected() throws Exception {
        Path f = dir.resolve("bad.draws");
        Files.writeString(f, "# a comment\n\nrand 0.25\nrandint 1 6 3\nrand 1.5\n");
        assertThatThrownBy(() -> Draws.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 5").hasMessageContaining("rand value 1.5, expected a number in [0, 1)");
        Files.writeString(f, "randint 1 6 7\n");
        assertThatThrownBy(() -> Draws.read(f)).hasMessageContaining("line 1").hasMessageContaining("expected a value in [1, 6)");
        Files.writeString(f, "uniform 0.5\n");
        assertThatThrownBy(() -> Draws.read(f)).hasMessageContaining("expected 'rand VALUE' or 'randint LOW HIGH VALUE'");
        Files.writeString(f, "rand x\n");
        assertThatThrownBy(() -> Draws.read(f)).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Draws.read(dir.resolve("missing.draws"))).hasMessageContaining("cannot read");
        Files.writeString(f, "# ok\nrand 0.25\n randint 1 6 3 \n");
        assertThat(Draws.read(f)).containsExactly(rand(0.25), randint(1, 6, 3));
    }

    @Test
    void doublesSurviveTheFileExactly() {
        SplittableRandom r = new SplittableRandom(1);
        List<Draw> draws = new ArrayList<>();
        for (int i = 0; i < 1000; i++) draws.add(rand(r.nextDouble()));
        draws.add(rand(Math.nextDown(1.0)));
        draws.add(rand(Double.MIN_VALUE));
        Path f = dir.resolve("d.draws");
        Draws.write(f, draws, null);
        assertThat(Draws.read(f)).isEqualTo(draws);
    }
}
