package latte.models.rssm;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ReduceOps.*;
import static latte.autodiff.ShapeOps.*;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.autodiff.dist.DiagGaussian;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.GruCell;
import latte.autodiff.nn.Linear;
import latte.core.Rng;

/**
 * The recurrent state-space model of PlaNet (Hafner et al. 2019, section 3, eq. 4): a
 * deterministic path {@code h} through a GRU and a stochastic state {@code s}, Gaussian (PlaNet,
 * Dreamer v1) or, with {@link Kind#CATEGORICAL}, V categoricals of K classes (DreamerV2, Hafner et
 * al. 2021: 32 x 32) whose straight-through one-hot samples are flattened to {@code S = V * K}.
 * <pre>
 *   deterministic state model   h_t = GRU(h_{t-1}, act(W [s_{t-1}, a_{t-1}]))
 *   stochastic state model      p(s_t | h_t)      = N(mu, sigma),  (mu, sigma) = head(act(W h_t))
 *   posterior (filter)          q(s_t | h_t, e_t) = N(mu, sigma),  (mu, sigma) = head(act(W [h_t, e_t]))
 *   sigma = softplus(x) + minStd
 *   categorical: the same heads output logits [B, V * K]; p(s_t | h_t) = prod_v Cat(softmax(logits_v))
 * </pre>
 * Shapes: {@code h [B, D]}, {@code s [B, S]} ({@link Config#stateSize()}), actions {@code [B, A]}, embeddings {@code [B, E]}.
 */
public final class Rssm {
    /** The stochastic state's distribution. */
    public enum Kind { GAUSSIAN, CATEGORICAL }

    /**
     * Sizes and the activation; PlaNet: deter 200, stoch 30, hidden 200, min std 0.1, ReLU.
     *
     * @param stoch   Gaussian: dimensions of s; categorical: number of variables V
     * @param minStd  Gaussian only
     * @param latent  Gaussian or categorical
     * @param classes categorical: classes K per variable (>= 2); Gaussian: 0
     */
    public record Config(int deter, int stoch, int hidden, float minStd, Activation act, Kind latent, int classes) {
        public Config {
            if (deter <= 0 || stoch <= 0 || hidden <= 0 || !(minStd >= 0) || latent == null
                    || (latent == Kind.CATEGORICAL ? classes < 2 : classes != 0))
                throw new IllegalArgumentException("Rssm.Config: deter " + deter + ", stoch " + stoch
                        + ", hidden " + hidden + ", minStd " + minStd + ", latent " + latent + ", classes " + classes
                        + " (sizes > 0, minStd >= 0, classes >= 2 for CATEGORICAL and 0 for GAUSSIAN)");
        }

        /** A Gaussian state (PlaNet, Dreamer v1). */
        public Config(int deter, int stoch, int hidden, float minStd, Activation act) {
            this(deter, stoch, hidden, minStd, act, Kind.GAUSSIAN, 0);
        }

        /** The same sizes with {@code variables} categoricals of {@code classes} classes. */
        public Config categorical(int variables, int classes) {
            return new Config(deter, variables, hidden, minStd, act, Kind.CATEGORICAL, classes);
        }

        /** Length S of the state vector s: stoch, or V * K flattened one-hots. */
        public int stateSize() {
            return latent == Kind.CATEGORICAL ? stoch * classes : stoch;
        }
    }

    /** The model state: deterministic {@code h [B, D]} and stochastic {@code s [B, S]}. */
    public record State(Var h, Var s) {
        public int batch() {
            return h.dim(0);
        }
    }

    /** One filtered step: the state, its prior p(s_t | h_t) and posterior q(s_t | h_t, e_t). */
    public record Step(State state, Latent prior, Latent posterior) {}

    private final Config c;
    private final int actionSize, embedSize;
    private final Linear stateAction, priorHidden, priorOut, postHidden, postOut;
    private final GruCell gru;

    public Rssm(Params p, Config c, int actionSize, int embedSize, Rng rng) {
        this.c = c;
        this.actionSize = actionSize;
        this.embedSize = embedSize;
        this.stateAction = new Linear(p.sub("state_action"), c.stateSize() + actionSize, c.hidden(), rng);
        this.gru = new GruCell(p.sub("gru"), c.hidden(), c.deter(), rng);
        this.priorHidden = new Linear(p.sub("prior_hidden"), c.deter(), c.hidden(), rng);
        int out = c.latent() == Kind.CATEGORICAL ? c.stateSize() : 2 * c.stoch();            // logits, or (mu, sigma)
        this.priorOut = new Linear(p.sub("prior_out"), c.hidden(), out, rng);
        this.postHidden = new Linear(p.sub("posterior_hidden"), c.deter() + embedSize, c.hidden(), rng);
        this.postOut = new Linear(p.sub("posterior_out"), c.hidden(), out, rng);
    }

    public Config config() {
        return c;
    }

    /** The layers of the prior path, for inference code that calls the kernels directly. */
    public Linear stateAction() { return stateAction; }
    public GruCell gru() { return gru; }
    public Linear priorHidden() { return priorHidden; }
    public Linear priorOut() { return priorOut; }

    /** Length of the features {@code [h, s]} that the heads read. */
    public int featureSize() {
        return c.deter() + c.stateSize();
    }

    /** The all-zero state for a batch of {@code b}. */
    public State initial(int b) {
        return new State(Var.zeros(b, c.deter()), Var.zeros(b, c.stateSize()));
    }

    /** Features for the observation and reward heads: {@code [h, s]}, [B, D + S]. */
    public static Var features(State st) {
        return concat(1, st.h(), st.s());
    }

    /** Deterministic state model: h_t = GRU(h_{t-1}, act(W [s_{t-1}, a_{t-1}])). [B, D]. */
    public Var deterministic(State prev, Var action) {
        if (action.rank() != 2 || action.dim(1) != actionSize || action.dim(0) != prev.batch())
            throw new IllegalArgumentException("Rssm: action " + java.util.Arrays.toString(action.shape())
                    + ", expected [" + prev.batch() + ", " + actionSize + "]");
        Var x = stateAction.apply(concat(1, prev.s(), action), c.act());     // [B, hidden]
        return gru.apply(x, prev.h());                                          // [B, D]
    }

    /** Stochastic state model p(s_t | h_t). */
    public Latent prior(Var h) {
        return latent(priorOut.apply(priorHidden.apply(h, c.act())));
    }

    /** Encoder-side filter q(s_t | h_t, e_t). */
    public Latent posterior(Var h, Var embed) {
        if (embed.rank() != 2 || embed.dim(1) != embedSize)
            throw new IllegalArgumentException("Rssm: embedding " + java.util.Arrays.toString(embed.shape())
                    + ", expected [B, " + embedSize + "]");
        return latent(postOut.apply(postHidden.apply(concat(1, h, embed), c.act())));
    }

    /** Gaussian: splits [B, 2S] into (mu, softplus(x) + minStd); categorical: logits [B, V * K]. */
    private Latent latent(Var out) {
        if (c.latent() == Kind.CATEGORICAL) return Latent.OneHot.of(out, c.stoch(), c.classes());
        int s = c.stoch();
        Var mean = slice(out, 1, 0, s);
        Var std = addScalar(softplus(slice(out, 1, s, 2 * s)), c.minStd());
        return new Latent.Gaussian(new DiagGaussian(mean, std));
    }

    /**
     * Filters a sequence (PlaNet's time indexing; see {@link latte.models.replay.Batch}):
     * <pre>
     *          a[0]        a[1]        a[2]
     *   init ------> h_0 ------> h_1 ------> h_2       h_t = GRU(h_{t-1}, [s_{t-1}, a[t]])
     *                 |  e[0]     |  e[1]     |  e[2]
     *                 v           v           v
     *                s_0         s_1         s_2       s_t ~ q(s_t | h_t, e[t]),  prior p(s_t | h_t)
     * </pre>
     * {@code a[t]} is the action that led to the frame {@code e[t]} was encoded from.
     *
     * @param embeds  T tensors [B, E]
     * @param actions T tensors [B, A]
     * @param sample  draw s_t from q (variational objective) or take q's mean (deterministic encoder)
     */
    public List<Step> observe(State init, List<Var> embeds, List<Var> actions, boolean sample, Rng rng) {
        if (embeds.size() != actions.size())
            throw new IllegalArgumentException("Rssm.observe: " + embeds.size() + " embeddings but " + actions.size() + " actions");
        List<Step> steps = new ArrayList<>(embeds.size());
        State st = init;
        for (int t = 0; t < embeds.size(); t++) {
            Var h = deterministic(st, actions.get(t));
            Latent prior = prior(h);
            Latent post = posterior(h, embeds.get(t));
            st = new State(h, sample ? post.rsample(rng) : post.mean());
            steps.add(new Step(st, prior, post));
        }
        return steps;
    }

    /** Open-loop rollout under the prior: returns the T states after each action [B, A]. */
    public List<State> imagine(State init, List<Var> actions, Rng rng) {
        List<State> out = new ArrayList<>(actions.size());
        State st = init;
        for (Var a : actions) {
            Var h = deterministic(st, a);
            st = new State(h, prior(h).rsample(rng));
            out.add(st);
        }
        return out;
    }
}
