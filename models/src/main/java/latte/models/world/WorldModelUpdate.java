package latte.models.world;

import static latte.autodiff.ShapeOps.concat;

import java.util.Arrays;
import java.util.List;
import latte.autodiff.DataParallel;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Parallel;
import latte.core.Rng;
import latte.models.config.Optim;
import latte.models.loop.Diverged;
import latte.models.replay.Batch;
import latte.models.rssm.Rssm;

/**
 * One Adam step of a world model on a replayed batch (PlaNet's and Dreamer's "model learning"):
 * <pre>
 *   L = loss(batch);  g = dL/dtheta;  g = clip(g, optim.clip);  theta = Adam(theta, g)
 * </pre>
 * With {@code shards} K > 1 the batch's sequences are cut into K parts that run at once
 * ({@link DataParallel}), each with its own generator split from the step's; each part's loss is
 * weighted by its share of the sequences, so the summed gradient is that of the mean loss (free
 * nats aside, taken per part). With K = 1 the step is exactly the unsharded one.
 *
 * <p>An {@link Observer}, when set, sees each part's filtered states after the step (what an
 * ensemble of one-step heads trains on, {@link latte.models.uncertainty.Ensemble}); without one
 * the step is unchanged.
 */
public final class WorldModelUpdate {
    /**
     * The step's loss terms (averaged over the shards), its gradient norm before clipping, and,
     * when asked for, every posterior state of the batch as one constant state {@code [T*B, .]},
     * shard after shard (where Dreamer starts imagining).
     */
    public record Result(float reconstruction, float reward, float kl, float overshooting, float continuation, double gradNorm,
                         Rssm.State starts) {}

    private final WorldModel model;
    private final Optim optim;
    private final Adam adam;
    private final int shards;
    private Observer observer;

    /** What reads the batch's filtered states once the model has stepped; the states are constants of the step's forward. */
    @FunctionalInterface
    public interface Observer {
        /** Part {@code part} of the batch (the whole batch when unsharded) and its per-step states, priors and posteriors. */
        void posteriors(Batch part, List<Rssm.Step> steps);
    }

    public WorldModelUpdate(WorldModel model, Optim optim, int shards) {
        if (shards < 1) throw new IllegalArgumentException("WorldModelUpdate: " + shards + " shards, expected >= 1");
        this.model = model;
        this.optim = optim;
        this.adam = new Adam(model.store(), optim.adam());
        this.shards = shards;
    }

    public Adam adam() {
        return adam;
    }

    /** Calls {@code observer} after every step, part after part in order; null for none (the default). */
    public void observer(Observer observer) {
        this.observer = observer;
    }

    /** One update on {@code batch}; {@code starts}: also return the posterior states. */
    public Result step(Batch batch, Rng rng, boolean starts) {
        int k = Math.max(1, Math.min(shards, batch.batch()));
        Batch[] parts = new Batch[k];
        Rng[] rngs = new Rng[k];
        for (int i = 0; i < k; i++) {
            parts[i] = k == 1 ? batch : batch.sequences(Parallel.split(batch.batch(), k, i), Parallel.split(batch.batch(), k, i + 1));
            rngs[i] = k == 1 ? rng : rng.split();
        }
        WorldModel.Losses[] l = new WorldModel.Losses[k];
        Rssm.State[] st = new Rssm.State[k];
        DataParallel.run(k, List.of(model.store()), i -> {
            try (Tape tape = Tape.record()) {
                l[i] = model.loss(parts[i], rngs[i]);
                check("reconstruction", l[i].reconstruction());
                check("reward", l[i].reward());
                check("kl", l[i].kl());
                check("overshooting", l[i].overshooting());
                check("continuation", l[i].continuation());
                tape.backward(l[i].total(), new float[] {share(parts[i].batch(), batch.batch())});
            }
            if (starts) st[i] = starts(l[i].steps());                                   // [T*B/K, .], no gradient
        });
        double norm = GradClip.globalNorm(model.store(), optim.clip());
        if (!Double.isFinite(norm)) {
            model.store().zeroGrad();
            throw new Diverged("model gradient norm is " + norm);
        }
        adam.step();
        model.store().zeroGrad();
        if (observer != null) for (int i = 0; i < k; i++) observer.posteriors(parts[i], l[i].steps());
        float rec = 0, rew = 0, kl = 0, over = 0, cont = 0;
        for (int i = 0; i < k; i++) {
            float w = share(parts[i].batch(), batch.batch());
            rec += w * l[i].reconstruction();
            rew += w * l[i].reward();
            kl += w * l[i].kl();
            over += w * l[i].overshooting();
            cont += w * l[i].continuation();
        }
        return new Result(rec, rew, kl, over, cont, norm, !starts ? null : k == 1 ? st[0] : concatStates(st));
    }

    /** {@code part / whole} as the weight of a shard. */
    public static float share(int part, int whole) {
        return (float) part / whole;
    }

    private void check(String term, float v) {
        if (!Float.isFinite(v)) throw new Diverged("loss term '" + term + "' is " + v);
    }

    /** Every posterior state of a filtered batch as one constant state [T*B, .]. */
    public static Rssm.State starts(List<Rssm.Step> steps) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            Var h = concat(0, steps.stream().map(s -> s.state().h()).toArray(Var[]::new));
            Var s = concat(0, steps.stream().map(x -> x.state().s()).toArray(Var[]::new));
            return new Rssm.State(Var.of(h.toArray(), h.shape()), Var.of(s.toArray(), s.shape()));
        }
    }

    private static Rssm.State concatStates(Rssm.State[] states) {
        try (Tape.Scope ignored = Tape.noGrad()) {
            return new Rssm.State(concat(0, Arrays.stream(states).map(Rssm.State::h).toArray(Var[]::new)),
                    concat(0, Arrays.stream(states).map(Rssm.State::s).toArray(Var[]::new)));
        }
    }
}
