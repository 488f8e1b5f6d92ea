package latte.models.ppo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Env;
import latte.envs.Observation;
import latte.envs.Step;
import latte.models.replay.ObsSpec;
import latte.models.run.EpisodeFile;

/**
 * N environment copies stepped in lockstep by one batched policy: every step is one forward of
 * the policy and value networks on the N observations [N, D], then one step of each copy.
 * <p>
 * A copy that ends its episode is reset at once with the next seed of a counter
 * ({@code seed(k)} for the k-th episode started), so each copy's state is a function of its
 * episode's seed and the actions taken since: {@link #state()} is what a checkpoint keeps, and
 * {@link #rebuild} replays it to the same state bit for bit (latte.envs.VectorEnv's auto-reset
 * continues a copy's generator instead, so a copy in mid-episode could not be rebuilt from a
 * checkpoint). The physics of a step costs far less than the forward, so the copies are stepped
 * on the calling thread.
 */
public final class Rollouts implements AutoCloseable {
    /** The transitions of one rollout, time-major [T, N]; see {@link Gae} for the flags. */
    public record Batch(int steps, int envs, int inputs, int actionWidth, float[] obs, float[] actions, float[] logProbs, float[] values,
                        float[] rewards, float[] nextValues, boolean[] terminated, boolean[] ended) {
        public int size() {
            return steps * envs;
        }
    }

    /** What a checkpoint keeps of the copies: the episodes started so far, and per copy its episode's seed and actions. */
    public record State(long started, long[] seeds, float[][][] actions) {}

    private final Env[] envs;
    private final Policy policy;
    private final long seed;
    private final ObsSpec layout;
    private final Observation[] obs;
    private final long[] episodeSeed;
    private final List<List<float[]>> actions = new ArrayList<>();
    private final List<List<byte[]>> seen = new ArrayList<>();
    private final List<List<Float>> rewards = new ArrayList<>();
    private long started;

    /** {@code n} copies made by {@code factory}, each starting an episode; {@code seed} fixes every episode's seed. */
    public Rollouts(int n, IntFunction<Env> factory, Policy policy, long seed) {
        this.envs = new Env[n];
        this.policy = policy;
        this.seed = seed;
        this.obs = new Observation[n];
        this.episodeSeed = new long[n];
        for (int i = 0; i < n; i++) {
            envs[i] = factory.apply(i);
            actions.add(new ArrayList<>());
            seen.add(new ArrayList<>());
            rewards.add(new ArrayList<>());
        }
        this.layout = ObsSpec.of(envs[0].reset(0).observation());
        for (int i = 0; i < n; i++) begin(i);
    }

    /** The reset seed of the k-th episode started. */
    long seed(long k) {
        return seed * 0x9E3779B97F4A7C15L + k * 0xBF58476D1CE4E5B9L + 1;
    }

    private void begin(int i) {
        episodeSeed[i] = seed(started++);
        obs[i] = envs[i].reset(episodeSeed[i]).observation();
        actions.get(i).clear();
        rewards.get(i).clear();
        seen.get(i).clear();
        seen.get(i).add(layout.encode(obs[i]));
    }

    public int size() {
        return envs.length;
    }

    /** The copies' current observations as the network's input [N, D]. */
    private Var inputs(Observation[] o) {
        float[] first = Policy.input(o[0]);
        float[] x = new float[o.length * first.length];
        for (int i = 0; i < o.length; i++) System.arraycopy(Policy.input(o[i]), 0, x, i * first.length, first.length);
        return Var.of(x, o.length, first.length);
    }

    /**
     * Steps every copy {@code steps} times with actions sampled from the policy (drawn with
     * {@code rng}); {@code finished} receives each episode that ends, with its return in the file's rewards.
     */
    public Batch collect(int steps, Rng rng, Consumer<EpisodeFile.Episode> finished) {
        int n = envs.length, d = policy.size().inputs(), w = policy.actionWidth(), b = steps * n;
        float[] o = new float[b * d], act = new float[b * w], lp = new float[b], val = new float[b], rew = new float[b], next = new float[b];
        boolean[] term = new boolean[b], ended = new boolean[b];
        try (Tape.Scope ignored = Tape.noGrad()) {
            for (int t = 0; t < steps; t++) {
                Var x = inputs(obs);                                                        // [N, D]
                Policy.Output out = policy.apply(x);
                float[] a = out.dist().sample(rng);                                         // [N] or [N, A]
                float[] logp = out.dist().logProb(a).toArray(), v = out.value().toArray();   // [N]
                System.arraycopy(x.toArray(), 0, o, t * n * d, n * d);
                System.arraycopy(a, 0, act, t * n * w, n * w);
                System.arraycopy(logp, 0, lp, t * n, n);
                System.arraycopy(v, 0, val, t * n, n);
                if (t > 0) for (int i = 0; i < n; i++) if (!ended[(t - 1) * n + i]) next[(t - 1) * n + i] = v[i];
                List<Integer> truncated = new ArrayList<>();
                List<Observation> finals = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int k = t * n + i;
                    float[] ea = policy.envAction(a, i);
                    Step s = envs[i].step(ea);
                    rew[k] = (float) s.reward();
                    term[k] = s.terminated();
                    ended[k] = s.done();
                    actions.get(i).add(ea);
                    rewards.get(i).add((float) s.reward());
                    seen.get(i).add(layout.encode(s.observation()));
                    if (s.done()) {
                        if (!s.terminated()) { truncated.add(k); finals.add(s.observation()); }
                        finished.accept(episode(i, s.terminated()));
                        begin(i);
                    } else {
                        obs[i] = s.observation();
                    }
                }
                if (!finals.isEmpty()) {                                                    // bootstrap a time limit from V(s_final)
                    float[] vf = policy.apply(inputs(finals.toArray(Observation[]::new))).value().toArray();
                    for (int j = 0; j < vf.length; j++) next[truncated.get(j)] = vf[j];
                }
            }
            float[] v = policy.apply(inputs(obs)).value().toArray();                       // V(s_T) [N]
            for (int i = 0; i < n; i++) if (!ended[(steps - 1) * n + i]) next[(steps - 1) * n + i] = v[i];
        }
        return new Batch(steps, n, d, w, o, act, lp, val, rew, next, term, ended);
    }

    private EpisodeFile.Episode episode(int i, boolean terminal) {
        List<Float> r = rewards.get(i);
        float[] rw = new float[r.size()];
        for (int k = 0; k < rw.length; k++) rw[k] = r.get(k);
        return new EpisodeFile.Episode(layout, envs[i].actionSpec().size(), seen.get(i).toArray(byte[][]::new),
                actions.get(i).toArray(float[][]::new), rw, terminal);
    }

    /** The copies' state for a checkpoint. */
    public State state() {
        float[][][] a = new float[envs.length][][];
        for (int i = 0; i < envs.length; i++) a[i] = actions.get(i).toArray(float[][]::new);
        return new State(started, episodeSeed.clone(), a);
    }

    /** Puts every copy back into {@code s}: each resets with its episode's seed and replays its actions. */
    public void rebuild(State s) {
        if (s.seeds().length != envs.length)
            throw new IllegalArgumentException("Rollouts.rebuild: a state of " + s.seeds().length + " copies for " + envs.length);
        started = s.started();
        for (int i = 0; i < envs.length; i++) {
            episodeSeed[i] = s.seeds()[i];
            obs[i] = envs[i].reset(episodeSeed[i]).observation();
            actions.get(i).clear();
            rewards.get(i).clear();
            seen.get(i).clear();
            seen.get(i).add(layout.encode(obs[i]));
            for (float[] a : s.actions()[i]) {
                Step st = envs[i].step(a);
                if (st.done()) throw new IllegalArgumentException("Rollouts.rebuild: copy " + i + "'s episode ends while replaying it");
                actions.get(i).add(a);
                rewards.get(i).add((float) st.reward());
                seen.get(i).add(layout.encode(st.observation()));
                obs[i] = st.observation();
            }
        }
    }

    @Override
    public void close() {
        for (Env e : envs) e.close();
    }
}
