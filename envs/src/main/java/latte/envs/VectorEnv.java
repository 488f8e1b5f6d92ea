package latte.envs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * N copies of an environment stepped together on a fixed thread pool.
 *
 * <p><b>Seeding.</b> {@code reset(seed)} resets copy {@code i} with {@code seed + i}.
 *
 * <p><b>Auto-reset (same step).</b> When copy {@code i}'s step ends its episode (terminated or
 * truncated), the copy is reset at once with {@code reset()} (continuing its own generator, so
 * the run stays a function of the seed). The step's {@code rewards[i]}, {@code terminated[i]},
 * {@code truncated[i]} and {@code infos[i]} describe the finished transition,
 * {@code finalObservations[i]} holds the last observation of the finished episode, and
 * {@code observations[i]} is the first observation of the new one. For copies that did not
 * finish, {@code finalObservations[i]} is null.
 *
 * <p>Copies are split into contiguous blocks, one per thread; each copy is touched by one
 * thread only, so results do not depend on the thread count.
 */
public final class VectorEnv implements AutoCloseable {
    /** The result of {@link #reset(long)}. */
    public record VectorReset(Observation[] observations, Info[] infos) {}

    /** The result of {@link #step}; see the class comment for the auto-reset rule. */
    public record VectorStep(Observation[] observations, double[] rewards, boolean[] terminated, boolean[] truncated,
                             Observation[] finalObservations, Info[] infos) {}

    private final Env[] envs;
    private final int threads;
    private final ExecutorService pool;

    /** {@code n} copies made by {@code factory.apply(i)}, stepped on {@code threads} threads. */
    public VectorEnv(int n, IntFunction<Env> factory, int threads) {
        if (n <= 0) throw new IllegalArgumentException("VectorEnv: n = " + n + ", expected >= 1");
        if (threads <= 0) throw new IllegalArgumentException("VectorEnv: threads = " + threads + ", expected >= 1");
        envs = new Env[n];
        for (int i = 0; i < n; i++) envs[i] = factory.apply(i);
        this.threads = Math.min(threads, n);
        pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "latte-vector-env");
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code n} copies of {@code Envs.make(name, options)}. */
    public static VectorEnv make(String name, Envs.Options options, int n, int threads) {
        return new VectorEnv(n, i -> Envs.make(name, options), threads);
    }

    public int size() {
        return envs.length;
    }

    /** Copy {@code i} (for rendering or inspection). */
    public Env env(int i) {
        return envs[i];
    }

    public Space actionSpec() {
        return envs[0].actionSpec();
    }

    public Space observationSpec() {
        return envs[0].observationSpec();
    }

    public VectorReset reset(long seed) {
        Observation[] obs = new Observation[envs.length];
        Info[] infos = new Info[envs.length];
        run(i -> {
            Reset r = envs[i].reset(seed + i);
            obs[i] = r.observation();
            infos[i] = r.info();
        });
        return new VectorReset(obs, infos);
    }

    /** Steps every copy with {@code actions[i]}, auto-resetting finished copies. */
    public VectorStep step(float[][] actions) {
        if (actions.length != envs.length) {
            throw new IllegalArgumentException("VectorEnv.step: " + actions.length + " actions for " + envs.length + " environments");
        }
        int n = envs.length;
        Observation[] obs = new Observation[n], fin = new Observation[n];
        double[] rewards = new double[n];
        boolean[] term = new boolean[n], trunc = new boolean[n];
        Info[] infos = new Info[n];
        run(i -> {
            Step s = envs[i].step(actions[i]);
            rewards[i] = s.reward();
            term[i] = s.terminated();
            trunc[i] = s.truncated();
            infos[i] = s.info();
            if (s.done()) {
                fin[i] = s.observation();
                obs[i] = envs[i].reset().observation();
            } else {
                obs[i] = s.observation();
            }
        });
        return new VectorStep(obs, rewards, term, trunc, fin, infos);
    }

    private interface Body {
        void run(int i);
    }

    private void run(Body body) {
        int n = envs.length;
        if (pool == null) {
            for (int i = 0; i < n; i++) body.run(i);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            int lo = (int) ((long) n * t / threads), hi = (int) ((long) n * (t + 1) / threads);
            futures.add(pool.submit(() -> {
                for (int i = lo; i < hi; i++) body.run(i);
            }));
        }
        int hi0 = n / threads;
        RuntimeException first = null;
        try {
            for (int i = 0; i < hi0; i++) body.run(i);
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) first = new IllegalStateException("VectorEnv: interrupted", e);
            }
        }
        if (first != null) throw first;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
        for (Env e : envs) e.close();
    }
}
