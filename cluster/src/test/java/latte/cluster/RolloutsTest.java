package latte.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import latte.models.Agents;
import latte.models.loop.Trainer;
import latte.models.run.RunDir;
import latte.models.worldmodels.WorldModelsLearner;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;
import java.util.List;
import latte.models.evolve.CmaEs;
import latte.models.evolve.Evolution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Distributed CMA-ES gives the local numbers bit for bit: a coordinator and two workers (members
 * talking over loopback TCP, tasks and payloads through Hazelcast's serialisation) against
 * {@link Evolution} on this machine's threads.
 */
class RolloutsTest {
    /** A noisy shifted sphere: the payload is the optimum's coordinate; the noise comes from the rollout's generator. */
    static final Rollouts.FitnessFactory SPHERE = payload -> {
        double c = ByteBuffer.wrap(payload).getDouble();
        return (x, rng) -> {
            double s = 0;
            for (double v : x) s += (v - c) * (v - c);
            return s + 0.1 * rng.normal();
        };
    };

    static final List<HazelcastInstance> MEMBERS = new ArrayList<>();
    static HazelcastInstance coordinator;

    @BeforeAll
    static void cluster() {
        Rollouts.register("test.sphere", SPHERE);
        coordinator = Members.start(MembersTest.coordinator("rollouts"));
        MEMBERS.add(coordinator);
        for (int i = 0; i < 2; i++)
            MEMBERS.add(Members.start(Members.Options.worker(List.of(Members.address(coordinator))).withClusterName("rollouts")));
    }

    @AfterAll
    static void shutdown() {
        for (HazelcastInstance h : MEMBERS.reversed()) h.shutdown();
    }

    static Rollouts.Portable sphere(double c) {
        return new Rollouts.Portable("test.sphere", ByteBuffer.allocate(8).putDouble(c).array());
    }

    @Test
    void aGenerationsFitnessEqualsTheLocalOneBitForBit() {
        assertThat(coordinator.getCluster().getMembers()).hasSize(3);
        double[][] xs = new CmaEs(new double[6], 0.7, 12, 5).ask();
        Evolution.Options o = new Evolution.Options(3, 0.01, 2, 1, Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        for (boolean shared : new boolean[] {false, true}) {
            double[] local = Evolution.evaluate(SPHERE.create(sphere(0.3).payload()), xs, 5, 7, o, shared);
            double[] remote = Rollouts.evaluate(coordinator, sphere(0.3), xs, 5, 7, o, shared);
            assertThat(remote).as("shared starts " + shared).isEqualTo(local);
        }
        Rollouts.forget(coordinator, sphere(0.3));
    }

    @Test
    void worldModelsControllerRolloutsFromShippedWeightsEqualTheLocalOnesBitForBit(@TempDir Path dir) {
        WorldModelsRollouts.register();
        var learner = (WorldModelsLearner) Agents.create(new Agents.Spec("worldmodels", "Pendulum-v1", "debug", 3));
        RunDir run = new RunDir(dir);
        Trainer.create(run, learner, "Pendulum-v1", 3);                     // config.json
        learner.save(run, new LinkedHashMap<>(Map.of("trainSteps", "0")));   // V and M (fresh weights) as safetensors
        double[][] xs = new CmaEs(new double[learner.controllerParameters()], 0.5, 4, 9).ask();
        Evolution.Options o = new Evolution.Options(2, 0.01, 2, 1, Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        double[] local = Evolution.evaluate(learner.realFitness(), xs, 9, 0, o, true);
        Rollouts.Portable p = WorldModelsRollouts.portable(run);
        assertThat(Rollouts.evaluate(coordinator, p, xs, 9, 0, o, true)).isEqualTo(local);
        Rollouts.forget(coordinator, p);
        assertThat(local).doesNotContain(Double.NaN);
    }

    @Test
    void aWholeSearchEqualsTheLocalOneBitForBit() {
        Evolution.Options o = new Evolution.Options(2, 0.01, 2, 15, Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        List<Double> localBest = new ArrayList<>(), remoteBest = new ArrayList<>();
        Evolution.Result local = Evolution.minimize(SPHERE.create(sphere(0.5).payload()), new CmaEs(new double[5], 0.5, 10, 11), o,
                g -> localBest.add(g.best()));
        Evolution.Result remote = Rollouts.minimize(coordinator, sphere(0.5), new CmaEs(new double[5], 0.5, 10, 11), o, false,
                g -> remoteBest.add(g.best()));
        assertThat(remoteBest).hasSize(15).isEqualTo(localBest);
        assertThat(remote.best()).isEqualTo(local.best());
        assertThat(remote.bestFitness()).isEqualTo(local.bestFitness());
        assertThat(remote.optimizer().mean()).isEqualTo(local.optimizer().mean());
        assertThat(remote.optimizer().state().toArray()).isEqualTo(local.optimizer().state().toArray());
        assertThat(local.bestFitness()).as("the search makes progress").isLessThan(localBest.getFirst());
        assertThat(coordinator.getMap(Rollouts.PAYLOADS).containsKey(sphere(0.5).key())).as("the payload leaves with the search").isFalse();
    }
}
