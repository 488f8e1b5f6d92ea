package latte.models.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Observation;
import latte.envs.Step;
import latte.models.Agent;
import latte.models.family.TaskSpec;
import latte.models.loop.Trainer;
import latte.models.replay.ObsSpec;
import org.junit.jupiter.api.Test;

/** The regression test of PPO itself: the debug preset solves CartPole-v1 from its state within 100K steps. */
class PpoCartPoleTest {
    static final long BUDGET = 100_000;

    /** Mean return of the policy's mode over {@code n} episodes on fixed seeds. */
    static double evaluate(Agent agent, int n) {
        double sum = 0;
        try (Env env = Trainer.makeEnv("CartPole-v1", ObsSpec.Kind.VECTOR, 1)) {
            for (int i = 0; i < n; i++) {
                Observation o = env.reset(777 + i).observation();
                while (true) {
                    Step s = env.step(agent.act(o));
                    sum += s.reward();
                    o = s.observation();
                    if (s.done()) break;
                }
            }
        }
        return sum / n;
    }

    @Test
    void debugPresetSolvesCartPoleWithin100kSteps() {
        PpoConfig c = PpoConfig.debug();
        PpoLearner l = new PpoLearner(c, TaskSpec.of("CartPole-v1", ObsSpec.Kind.VECTOR), 1);
        long t0 = System.nanoTime(), steps = 0, solvedAt = -1;
        double last = 0;
        for (long u = 0; steps < BUDGET; u++) {
            l.update(u, new Rng(1000 + u), new Rng(2000 + u), ep -> {});
            steps += c.rollout().batch();
            if ((u + 1) % 20 == 0 || steps >= BUDGET) {
                last = evaluate(l.agent(0f, new Rng(0)), 10);
                if (last >= 500 && solvedAt < 0) solvedAt = steps;
            }
        }
        System.out.printf("PPO debug on CartPole-v1: first mean return 500 (10 episodes) at %d steps; %.1f at %d steps; %.1f s%n",
                solvedAt, last, steps, (System.nanoTime() - t0) / 1e9);
        assertThat(solvedAt).as("steps to a mean return of 500 over 10 episodes").isBetween(1L, BUDGET + c.rollout().batch());
        assertThat(last).as("mean evaluation return over 10 episodes after %d steps", steps).isGreaterThanOrEqualTo(475);
    }
}
