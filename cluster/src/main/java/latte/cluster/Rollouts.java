package latte.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import latte.models.evolve.CmaEs;
import latte.models.evolve.Evolution;

/**
 * CMA-ES with each generation's rollouts spread over the members of a cluster (World Models
 * evolved its controller with 64 workers). A candidate's rollouts go to a member as one task;
 * rollout r of candidate k draws from {@link Evolution#rolloutRng} and the candidate's fitness
 * is formed by {@link Evolution#fitness}, the same code as the local {@link Evolution#evaluate},
 * so a seed gives the same bits on one member or on many. A task whose member leaves is run
 * again on this one.
 *
 * <p>The fitness travels as a {@link Portable}: a kind registered on every member
 * ({@link #register}) and a payload (e.g. a world model's weights as safetensors bytes), put
 * into the cluster once per search and rebuilt once per member, not per candidate.
 */
public final class Rollouts {
    static final int FACTORY_ID = 0x4C54, TASK = 1;
    static final String EXECUTOR = "latte.rollouts", PAYLOADS = "latte.payloads";

    /** Rebuilds a fitness from its payload on a member. */
    @FunctionalInterface
    public interface FitnessFactory {
        Evolution.Fitness create(byte[] payload);
    }

    /** A fitness as members rebuild it: a registered kind and the bytes it is built from. */
    public record Portable(String kind, byte[] payload) {
        String key() {
            return kind + "/" + Checkpoints.hash(payload);
        }
    }

    private static final Map<String, FitnessFactory> FACTORIES = new ConcurrentHashMap<>();
    /** Fitnesses rebuilt on this member, by payload key (a search ships one payload). */
    private static final Map<String, Evolution.Fitness> BUILT = new ConcurrentHashMap<>();

    private Rollouts() {}

    /** Registers a kind of fitness; every member of the cluster must register the same kinds. */
    public static void register(String kind, FitnessFactory factory) {
        FACTORIES.put(kind, factory);
    }

    /**
     * The fitness of each candidate, as {@link Evolution#evaluate(Evolution.Fitness, double[][], long, long, Evolution.Options, boolean)}
     * computes it locally, with the candidates' rollouts run on the cluster's members. The payload
     * stays in the cluster for the search's next generations until {@link #forget}.
     */
    public static double[] evaluate(HazelcastInstance h, Portable f, double[][] xs, long seed, long generation, Evolution.Options o,
                                    boolean sharedStarts) {
        ship(h, f);
        IExecutorService ex = h.getExecutorService(EXECUTOR);
        List<Member> members = new ArrayList<>(h.getCluster().getMembers());
        List<Future<double[]>> futures = new ArrayList<>();
        for (int k = 0; k < xs.length; k++)
            futures.add(ex.submitToMember(new Task(f.kind(), f.key(), xs[k], k, o.rollouts(), seed, generation, sharedStarts),
                    members.get(k % members.size())));
        double[] out = new double[xs.length];
        for (int k = 0; k < xs.length; k++) {
            double[] rollouts;
            try {
                rollouts = futures.get(k).get();
            } catch (ExecutionException e) {
                if (!(h.getLifecycleService().isRunning())) throw new IllegalStateException("the cluster member stopped", e);
                // the member left (or failed): the rollouts are pure functions of (x, seed, generation, k, r), so run them here
                rollouts = new Task(f.kind(), f.key(), xs[k], k, o.rollouts(), seed, generation, sharedStarts).withInstance(h).call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for rollouts", e);
            }
            out[k] = Evolution.fitness(rollouts, xs[k], o);
        }
        return out;
    }

    /** {@link Evolution#minimize(Evolution.Fitness, CmaEs, Evolution.Options, Consumer)} with every generation evaluated on the cluster. */
    public static Evolution.Result minimize(HazelcastInstance h, Portable f, CmaEs es, Evolution.Options o, boolean sharedStarts,
                                            Consumer<Evolution.Generation> onGeneration) {
        try {
            return Evolution.minimize((xs, seed, generation) -> evaluate(h, f, xs, seed, generation, o, sharedStarts), es, o, onGeneration);
        } finally {
            forget(h, f);
        }
    }

    /** Removes the payload {@link #evaluate} left in the cluster for the next generations of its search. */
    public static void forget(HazelcastInstance h, Portable f) {
        h.getMap(PAYLOADS).delete(f.key());
    }

    /** Puts the payload into the cluster once (members fetch it on their first task). */
    private static void ship(HazelcastInstance h, Portable f) {
        IMap<String, byte[]> payloads = h.getMap(PAYLOADS);
        if (!payloads.containsKey(f.key())) payloads.set(f.key(), f.payload());
    }

    static IdentifiedDataSerializable create(int typeId) {
        if (typeId != TASK) throw new IllegalArgumentException("latte rollouts: unknown type id " + typeId);
        return new Task();
    }

    /** The rollouts of one candidate, run on a member. */
    static final class Task implements Callable<double[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
        private String kind, key;
        private double[] x;
        private int candidate, rollouts;
        private long seed, generation;
        private boolean sharedStarts;
        private transient HazelcastInstance h;

        Task() {}                                                     // for deserialisation

        Task(String kind, String key, double[] x, int candidate, int rollouts, long seed, long generation, boolean sharedStarts) {
            this.kind = kind;
            this.key = key;
            this.x = x;
            this.candidate = candidate;
            this.rollouts = rollouts;
            this.seed = seed;
            this.generation = generation;
            this.sharedStarts = sharedStarts;
        }

        Task withInstance(HazelcastInstance instance) {
            this.h = instance;
            return this;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            this.h = instance;
        }

        @Override
        public double[] call() {
            Evolution.Fitness f = BUILT.computeIfAbsent(key, k -> {
                FitnessFactory factory = FACTORIES.get(kind);
                if (factory == null)
                    throw new IllegalStateException("this member knows no fitness of kind '" + kind + "' (registered: " + FACTORIES.keySet() + ")");
                byte[] payload = h.<String, byte[]>getMap(PAYLOADS).get(key);
                if (payload == null) throw new IllegalStateException("the payload " + key + " is not in the cluster (the search ended?)");
                if (BUILT.size() > 4) BUILT.clear();                  // one search at a time; keep the cache from growing
                return factory.create(payload);
            });
            double[] out = new double[rollouts];
            for (int r = 0; r < rollouts; r++) out[r] = f.evaluate(x.clone(), Evolution.rolloutRng(seed, generation, candidate, r, sharedStarts));
            return out;
        }

        @Override public int getFactoryId() { return FACTORY_ID; }
        @Override public int getClassId() { return TASK; }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(kind);
            out.writeString(key);
            out.writeDoubleArray(x);
            out.writeInt(candidate);
            out.writeInt(rollouts);
            out.writeLong(seed);
            out.writeLong(generation);
            out.writeBoolean(sharedStarts);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            kind = in.readString();
            key = in.readString();
            x = in.readDoubleArray();
            candidate = in.readInt();
            rollouts = in.readInt();
            seed = in.readLong();
            generation = in.readLong();
            sharedStarts = in.readBoolean();
        }
    }
}
