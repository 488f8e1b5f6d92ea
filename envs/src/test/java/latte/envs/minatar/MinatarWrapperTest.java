package latte.envs.minatar;

import static latte.envs.minatar.MinAtarGame.LEFT;
import static latte.envs.minatar.MinAtarGame.NOOP;
import static latte.envs.minatar.MinAtarGame.RIGHT;
import static latte.envs.minatar.Scripted.rand;
import static latte.envs.minatar.Scripted.randint;
import static latte.envs.minatar.Scripted.reset;
import static latte.envs.minatar.Scripted.stepDrawing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import latte.envs.BaseEnv;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Observation;
import latte.envs.Space;
import latte.envs.Step;
import org.junit.jupiter.api.Test;

/** MINATAR.md, "The wrapper (all games)": sticky actions, action sets, options, errors, registration. */
class MinatarWrapperTest {

    private static Breakout breakout(MinAtar.Options o) {
        Breakout b = new Breakout(o, 64, 64);
        reset(b, randint(0, 2, 0));
        return b;
    }

    @Test
    void stickyRepeatsThePreviousActionWhenTheFirstDrawIsBelowTheProbability() {
        Breakout b = breakout(MinAtar.Options.defaults()); // paddle 4
        stepDrawing(b, RIGHT, List.of(rand(0.5)));
        assertThat(b.paddle).isEqualTo(5);
        stepDrawing(b, LEFT, List.of(rand(0.0999)));
        assertThat(b.paddle).as("right repeated").isEqualTo(6);
        assertThat(b.previousAction()).isEqualTo(RIGHT);
        stepDrawing(b, LEFT, List.of(rand(0.1))); // not below 0.1
        assertThat(b.paddle).isEqualTo(5);
        assertThat(b.previousAction()).isEqualTo(LEFT);
    }

    @Test
    void thePreviousActionStartsAsNoOpAndCarriesOverAcrossEpisodes() {
        Breakout b = breakout(MinAtar.Options.defaults());
        stepDrawing(b, LEFT, List.of(rand(0.0)));
        assertThat(b.paddle).as("a sticky first step repeats the initial no-op").isEqualTo(4);
        stepDrawing(b, RIGHT, List.of(rand(0.9)));
        b.ballY = 8; // end the episode: the ball misses the paddle
        b.ballX = 0;
        b.dir = 2;
        assertThat(stepDrawing(b, RIGHT, List.of(rand(0.9))).terminated()).isTrue();
        reset(b, randint(0, 2, 1));
        stepDrawing(b, NOOP, List.of(rand(0.05)));
        assertThat(b.paddle).as("right, from the last episode").isEqualTo(5);
        b.reset(7); // also across a seeded reset
        assertThat(b.previousAction()).isEqualTo(RIGHT);
    }

    @Test
    void theStickyDrawIsMadeEvenWithProbabilityZeroAndComesBeforeTheGamesDraws() {
        Asterix a = new Asterix(MinAtar.Options.defaults().withStickyActions(0), 64, 64);
        reset(a);
        a.spawnTimer = 0;
        assertThatThrownBy(() -> stepDrawing(a, NOOP, List.of(rand(0.3), rand(0.2), randint(0, 8, 0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("asked for rand()").hasMessageContaining("'randint 0 8 0'"); // 0.3 was taken as the sticky draw
        Asterix fresh = new Asterix(MinAtar.Options.defaults().withStickyActions(0), 64, 64);
        reset(fresh);
        fresh.spawnTimer = 0;
        stepDrawing(fresh, NOOP, List.of(rand(0.0), rand(0.3), rand(0.2), randint(0, 8, 0))); // 0.0 < 0 is false: no repeat
        assertThat(fresh.occupied[0]).isTrue();
    }

    @Test
    void minimalActionSetsMapIntoTheSixActions() {
        String[][] expected = {{"no-op", "left", "right"}, {"no-op", "left", "up", "right", "down"}, {"no-op", "up", "down"},
                {"no-op", "left", "up", "right", "down", "fire"}, {"no-op", "left", "right", "fire"}};
        List<String> names = MinAtar.names();
        for (int i = 0; i < names.size(); i++) {
            MinAtarGame g = MinAtar.game(names.get(i), MinAtar.Options.defaults().withMinimalActions(true), 64, 64);
            assertThat(g.actionNames()).as(names.get(i)).containsExactly(expected[i]);
            assertThat(g.actionSpec()).isEqualTo(new Space.Discrete(expected[i].length));
            MinAtarGame full = MinAtar.game(names.get(i), MinAtar.Options.defaults(), 64, 64);
            assertThat(full.actionSpec()).isEqualTo(new Space.Discrete(6));
        }
        Breakout b = new Breakout(MinAtar.Options.defaults().withMinimalActions(true), 64, 64);
        reset(b, randint(0, 2, 0));
        Scripted.stepDrawing(b, 2, List.of(rand(0.5))); // minimal index 2 = right
        assertThat(b.paddle).isEqualTo(5);
        assertThat(b.previousAction()).isEqualTo(RIGHT);
    }

    @Test
    void badInputGetsAClearError() {
        Breakout b = new Breakout(MinAtar.Options.defaults().withMinimalActions(true), 64, 64);
        assertThatThrownBy(() -> b.step(new float[] {0})).isInstanceOf(IllegalStateException.class).hasMessageContaining("before reset");
        b.reset(1);
        assertThatThrownBy(() -> b.step(new float[] {3})).hasMessageContaining("MinAtar/Breakout").hasMessageContaining("[0, 2]");
        assertThatThrownBy(() -> b.step(new float[] {1, 0})).hasMessageContaining("length 2, expected 1");
        assertThatThrownBy(() -> b.step(new float[] {0.5f})).hasMessageContaining("integer index");
        assertThatThrownBy(() -> Envs.make("MinAtar/Pong")).hasMessageContaining("unknown environment 'MinAtar/Pong'").hasMessageContaining("MinAtar/Breakout");
        assertThatThrownBy(() -> MinAtar.game("Breakout", MinAtar.Options.defaults(), 64, 64)).hasMessageContaining("known: MinAtar/Breakout");
        assertThatThrownBy(() -> MinAtar.Options.defaults().withStickyActions(1.5)).hasMessageContaining("stickyActions = 1.5");
        assertThatThrownBy(() -> Envs.task("MinAtar/Breakout", 64, 64)).hasMessageContaining("not a physics task");
    }

    @Test
    void registeredWithGridObservationsOfTheirChannelCount() {
        int[] channels = {4, 4, 7, 10, 6};
        for (int i = 0; i < 5; i++) {
            String name = MinAtar.names().get(i);
            assertThat(Envs.names()).contains(name);
            Env env = Envs.make(name);
            assertThat(env).as(name + " has no time limit").isInstanceOf(MinAtarGame.class);
            assertThat(env.observationSpec()).isEqualTo(Space.Box.uniform(0, 1, 10, 10, channels[i]));
            Observation.Grid g = env.reset(3).observation().grid();
            assertThat(g.channels()).isEqualTo(channels[i]);
            assertThat(((MinAtarGame) env).channelNames()).hasSize(channels[i]);
            BaseEnv bare = env.unwrapped();
            assertThat(bare.defaultEpisodeSteps()).isZero();
        }
    }

    @Test
    void aSeedFixesTheEpisodesAndResetContinuesTheSource() {
        for (String name : MinAtar.names()) {
            List<Object> a = rollout(Envs.make(name), 11), b = rollout(Envs.make(name), 11), c = rollout(Envs.make(name), 12);
            assertThat(a).as(name).isEqualTo(b);
            if (!name.endsWith("SpaceInvaders")) assertThat(a).as(name + " seeds 11, 12").isNotEqualTo(c); // its only draws are sticky ones
        }
    }

    /** Three episodes of random play: observations and rewards. */
    private static List<Object> rollout(Env env, long seed) {
        List<Object> out = new ArrayList<>();
        SplittableRandom policy = new SplittableRandom(99);
        out.add(env.reset(seed).observation());
        for (int episode = 0, t = 0; episode < 3 && t < 5000; t++) {
            Step s = env.step(new float[] {policy.nextInt(6)});
            out.add(s.observation());
            out.add(s.reward());
            if (s.done()) {
                episode++;
                out.add(env.reset().observation());
            }
        }
        return out;
    }

    @Test
    void aTimeLimitIsAnOption() {
        Env env = Envs.make("MinAtar/Seaquest", Envs.Options.defaults().withTimeLimit(5));
        env.reset(0);
        Step s = null;
        for (int t = 0; t < 5; t++) s = env.step(new float[] {NOOP});
        assertThat(s.truncated()).isTrue();
        assertThat(s.terminated()).isFalse();
    }

    @Test
    void pixelObservationsAre64x64Frames() {
        Env env = MinAtar.make("MinAtar/Breakout", MinAtar.Options.defaults().withMinimalActions(true),
                Envs.Options.defaults().withPixels(true).withFrameStack(2));
        assertThat(env.actionSpec()).isEqualTo(new Space.Discrete(3));
        assertThat(env.observationSpec()).isEqualTo(Space.Box.uniform(0, 255, 64, 64, 6));
        assertThat(env.reset(0).observation().frame().channels()).isEqualTo(6);
        assertThat(env.step(new float[] {1}).observation().frame().height()).isEqualTo(64);
    }
}
