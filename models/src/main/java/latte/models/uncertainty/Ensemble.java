package latte.models.uncertainty;

import static latte.autodiff.LayerOps.matmul;
import static latte.autodiff.Ops.add;
import static latte.autodiff.Ops.scale;
import static latte.autodiff.Ops.square;
import static latte.autodiff.Ops.sub;
import static latte.autodiff.ReduceOps.mean;
import static latte.autodiff.ReduceOps.sum;
import static latte.autodiff.ShapeOps.concat;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.ParamStore;
import latte.autodiff.Params;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.Init;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Rng;
import latte.models.loop.Diverged;
import latte.models.replay.Batch;
import latte.models.rssm.Rssm;

/**
 * K one-step heads on the world model's latent transitions (Plan2Explore, Sekar et al. 2020,
 * section 3; DreamerV2's {@code expl.Plan2Explore}), each an MLP from the features and action to
 * the mean of the next stochastic state:
 * <pre>
 *   mu_k(x_t, a_{t+1}) ~ E_q[s_{t+1}]            x_t = [h_t, s_t], k = 1..K             [K, N, S]
 *   L = sum_k mean_{n in boot_k, d} (mu_k(x_n, a_n)_d - sg(m_n)_d)^2 / 2                   per member its own bootstrap
 *   D(x, a) = (1/S) sum_d Var_k[mu_k(x, a)_d]    epistemic uncertainty, the disagreement  [N]
 * </pre>
 * <b>Target.</b> The heads predict the next step's <i>posterior mean</i> m_{t+1} (for a
 * categorical state, its class probabilities): a deterministic function of (h_{t+1}, o_{t+1}),
 * so the regression has no sampling noise of its own and the members' spread measures what they
 * do not know rather than the noise of a sampled target. Plan2Explore's paper code predicts the
 * next embedding, DreamerV2's the next sampled stochastic state; the embedding is tied to the
 * observation encoder (not part of {@link latte.models.world.WorldModel}), the sample adds the
 * posterior's own noise to every target.
 *
 * <p><b>Aleatoric uncertainty.</b> Not modelled: the heads output a mean only and train by
 * squared error (DreamerV2's heads, too, are read by their mode). A PETS-style sigma output is
 * a later change.
 *
 * <p><b>Batched members.</b> Each layer's K weight matrices are one parameter
 * {@code [K, In, Out]} and one bias {@code [K, 1, Out]}; a layer of all K members is one batched
 * matmul ({@link latte.autodiff.LayerOps#matmul}, a strided {@code sgemmBatched}) for the forward
 * and one per operand for the backward, never a loop over members. A shared input {@code [N, In]}
 * broadcasts over the K weights (stride 0), so prediction does not copy it K times.
 *
 * <p>The heads have their own {@link ParamStore} and Adam; their inputs and targets are plain
 * arrays copied out of the world model's step, so no gradient reaches the world model. Every
 * random choice (initialisation, bootstrap) comes from the {@link Rng} given to the constructor.
 */
public final class Ensemble {
    /** Global-norm clip of the heads' gradient (DreamerV2's {@code expl_opt} clip). */
    public static final double CLIP = 100;

    private final int members, inputSize, stateSize;
    private final Activation act;
    private final ParamStore store = new ParamStore();
    private final List<Var> weights = new ArrayList<>(), biases = new ArrayList<>();
    private final Adam adam;
    private final Rng rng;

    /**
     * {@code members} heads of {@code layers} hidden layers of {@code units}, reading features of
     * size F and actions of size A, predicting states of size S.
     */
    public Ensemble(int featureSize, int actionSize, int stateSize, ExplorationConfig c, Activation act, Rng rng) {
        if (!c.on()) throw new IllegalArgumentException("Ensemble: exploration is off (members 0); expected members >= 2");
        this.members = c.members();
        this.inputSize = featureSize + actionSize;
        this.stateSize = stateSize;
        this.act = act;
        this.rng = rng;
        Params p = store.scope("ensemble");
        int prev = inputSize;
        for (int l = 0; l <= c.layers(); l++) {
            int next = l < c.layers() ? c.units() : stateSize;
            float[] w = new float[members * prev * next], b = new float[members * next];
            for (int k = 0; k < members; k++) {                                   // member k: PyTorch's default init, its own draws
                System.arraycopy(Init.torchWeight(rng, prev * next, prev), 0, w, k * prev * next, prev * next);
                System.arraycopy(Init.torchBias(rng, next, prev), 0, b, k * next, next);
            }
            Params q = p.sub(Integer.toString(l));
            weights.add(q.param("weight", w, members, prev, next));                // [K, In, Out]
            biases.add(q.param("bias", b, members, 1, next));                     // [K, 1, Out]
            prev = next;
        }
        this.adam = new Adam(store, Adam.Config.of(c.lr()));
    }

    public int members() { return members; }
    public int inputSize() { return inputSize; }
    public int stateSize() { return stateSize; }
    public ParamStore store() { return store; }
    public Adam adam() { return adam; }

    /**
     * All members at once: x {@code [N, In]} (shared) or {@code [K, N, In]} (one set of rows per
     * member) -> {@code [K, N, S]}; layer l is {@code act(x W_l + b_l)} with W_l {@code [K, In, Out]}
     * and b_l {@code [K, 1, Out]}, linear at the last layer.
     */
    public static Var forward(Var x, List<Var> w, List<Var> b, Activation act) {
        for (int l = 0; l < w.size(); l++) {
            x = add(matmul(x, w.get(l)), b.get(l));                                // [K, N, Out]
            if (l < w.size() - 1) x = act.apply(x);
        }
        return x;
    }

    /**
     * The members' predicted means for inputs {@code [N, F + A]}: {@code [K, N, S]}. The weights
     * enter as constants (views of the store), so a loss on the result moves the inputs (the actor,
     * through imagination) but never the heads, and threads may call this at once.
     */
    public Var predict(Var inputs) {
        checkInputs(inputs);
        List<Var> w = new ArrayList<>(weights.size()), b = new ArrayList<>(biases.size());
        for (int l = 0; l < weights.size(); l++) {
            w.add(weights.get(l).constantRows(0, members));
            b.add(biases.get(l).constantRows(0, members));
        }
        return forward(inputs, w, b, act);
    }

    /** D = (1/S) sum_d Var_k[mu_k(x, a)_d] for features {@code [N, F]} and actions {@code [N, A]}: {@code [N]}. */
    public Var disagreement(Var features, Var actions) {
        return disagreement(predict(concat(1, features, actions)));
    }

    /**
     * The disagreement of predicted means {@code mu [K, N, S]}: the variance over members
     * (population variance, divided by K), averaged over the S dimensions: {@code [N]}.
     */
    public static Var disagreement(Var mu) {
        Var centred = sub(mu, mean(mu, true, 0));                                 // [K, N, S]
        return mean(mean(square(centred), 0), 1);                                 // [N]
    }

    /**
     * One bootstrap resample per member: {@code members} rows of {@code n} indices drawn
     * uniformly with replacement from {@code [0, n)}, member after member from {@code rng}.
     */
    public static int[][] bootstrap(int members, int n, Rng rng) {
        if (n < 1) throw new IllegalArgumentException("bootstrap: " + n + " transitions, expected >= 1");
        int[][] idx = new int[members][n];
        for (int k = 0; k < members; k++) for (int i = 0; i < n; i++) idx[k][i] = rng.integers(n);
        return idx;
    }

    /** N transitions as plain arrays: inputs {@code [N, F + A]} = [x_t, a_{t+1}], targets {@code [N, S]} = m_{t+1}. */
    public record Data(int n, float[] inputs, float[] targets) {
        /** The rows of several parts one after the other. */
        public static Data concat(List<Data> parts) {
            if (parts.size() == 1) return parts.getFirst();
            int n = 0, in = 0, out = 0;
            for (Data d : parts) { n += d.n; in += d.inputs.length; out += d.targets.length; }
            float[] x = new float[in], y = new float[out];
            int px = 0, py = 0;
            for (Data d : parts) {
                System.arraycopy(d.inputs, 0, x, px, d.inputs.length);
                System.arraycopy(d.targets, 0, y, py, d.targets.length);
                px += d.inputs.length;
                py += d.targets.length;
            }
            return new Data(n, x, y);
        }
    }

    /**
     * The transitions of a filtered batch ({@code steps} from the world model's loss on
     * {@code batch}): for t = 0..T-2 and every sequence b, input [x_t, a_{t+1}] (a_{t+1} is the
     * action that led from step t to step t+1, see {@link Batch}) and target the posterior mean
     * m_{t+1}; (T-1) * B rows, step after step. Copies, so nothing here carries a gradient.
     */
    public static Data transitions(List<Rssm.Step> steps, Batch batch) {
        int t = steps.size(), bs = batch.batch(), a = batch.actionSize();
        if (t != batch.steps() || t < 2)
            throw new IllegalArgumentException("Ensemble.transitions: " + t + " steps for a batch of " + batch.steps()
                    + " (both must match and be >= 2)");
        try (Tape.Scope ignored = Tape.noGrad()) {
            int f = Rssm.features(steps.getFirst().state()).dim(1), s = steps.getFirst().posterior().mean().dim(1), in = f + a;
            int n = (t - 1) * bs;
            float[] x = new float[n * in], y = new float[n * s];
            float[] act = batch.action();
            for (int i = 0; i + 1 < t; i++) {
                float[] feat = Rssm.features(steps.get(i).state()).toArray();          // [B, F]
                float[] next = steps.get(i + 1).posterior().mean().toArray();          // [B, S]
                for (int b = 0; b < bs; b++) {
                    int row = i * bs + b;
                    System.arraycopy(feat, b * f, x, row * in, f);
                    System.arraycopy(act, ((i + 1) * bs + b) * a, x, row * in + f, a);
                    System.arraycopy(next, b * s, y, row * s, s);
                }
            }
            return new Data(n, x, y);
        }
    }

    /**
     * The heads' loss on per-member rows: {@code x [K, N, In]}, targets {@code y [K, N, S]}:
     * sum over members of each member's mean squared error / 2, so each member's gradient is that
     * of its own regression.
     */
    public static Var loss(Var x, Var y, List<Var> w, List<Var> b, Activation act) {
        Var mu = forward(x, w, b, act);                                           // [K, N, S]
        return scale(sum(square(sub(mu, y))), 0.5f / (y.dim(1) * y.dim(2)));
    }

    /**
     * One Adam step of every member on its own bootstrap resample of {@code data}; returns the
     * loss before the step (the mean over members of their squared error / 2).
     */
    public float update(Data data) {
        int n = data.n();
        if (data.inputs().length != n * inputSize || data.targets().length != n * stateSize)
            throw new IllegalArgumentException("Ensemble.update: " + data.inputs().length + " inputs and " + data.targets().length
                    + " targets for " + n + " rows, expected [" + n + ", " + inputSize + "] and [" + n + ", " + stateSize + "]");
        int[][] boot = bootstrap(members, n, rng);
        float[] x = new float[members * n * inputSize], y = new float[members * n * stateSize];
        for (int k = 0; k < members; k++)
            for (int i = 0; i < n; i++) {
                System.arraycopy(data.inputs(), boot[k][i] * inputSize, x, (k * n + i) * inputSize, inputSize);
                System.arraycopy(data.targets(), boot[k][i] * stateSize, y, (k * n + i) * stateSize, stateSize);
            }
        float value;
        try (Tape tape = Tape.record()) {
            Var l = loss(Var.of(x, members, n, inputSize), Var.of(y, members, n, stateSize), weights, biases, act);
            value = l.item();
            if (!Float.isFinite(value)) throw new Diverged("ensemble loss is " + value);
            tape.backward(l);
        }
        double norm = GradClip.globalNorm(store, CLIP);
        if (!Double.isFinite(norm)) {
            store.zeroGrad();
            throw new Diverged("ensemble gradient norm is " + norm);
        }
        adam.step();
        store.zeroGrad();
        return value / members;
    }

    /** Copies member {@code from}'s parameters into every other member (tests: identical members). */
    void cloneMember(int from) {
        float[] v = store.values();
        for (ParamStore.Param p : store.params()) {
            int per = p.size() / members;
            for (int k = 0; k < members; k++)
                if (k != from) System.arraycopy(v, p.offset() + from * per, v, p.offset() + k * per, per);
        }
    }

    private void checkInputs(Var inputs) {
        if (inputs.rank() != 2 || inputs.dim(1) != inputSize)
            throw new IllegalArgumentException("Ensemble: inputs " + java.util.Arrays.toString(inputs.shape()) + ", expected [N, "
                    + inputSize + "] (features then action)");
    }
}
