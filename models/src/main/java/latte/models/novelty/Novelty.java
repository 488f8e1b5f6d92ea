package latte.models.novelty;

import static latte.autodiff.ShapeOps.concat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.models.replay.Batch;
import latte.models.rssm.Rssm;
import latte.models.run.EpisodeFile;
import latte.models.uncertainty.Ensemble;
import latte.models.world.RssmWorldModel;
import latte.models.world.WorldModel;

/**
 * Per-step novelty scores of a recorded episode under a trained world model: how surprised the
 * model is by what it sees (Zollicoffer et al., ICML 2025, score the posterior-prior KL; the
 * reconstruction error and the ensemble's disagreement are the two other readings at hand).
 * The episode is filtered from the all-zero state as the acting agent filters it
 * ({@link latte.models.world.Belief}: observation 0 with a zero previous action, observation t
 * after action t-1), with sampled posteriors as in training, and step t is scored by
 * <pre>
 *   kl_t   = KL( q(s_t | h_t, o_t) || p(s_t | h_t) )                         nats
 *   nll_t  = 1/2 sum_pixels (o_t - dec(h_t, s_t))^2                          nats, constants of the unit Gaussian omitted
 *   dis_t  = D(x_t, a_t) = (1/S) sum_d Var_k[ mu_k(x_t, a_t)_d ]             the ensemble's heads, x_t = [h_t, s_t]
 * </pre>
 * with {@code o_t} in the model's input units (frames at the model's bit depth, bin centres) and
 * {@code a_t} the action the agent took after seeing {@code o_t}. The scores are those of
 * observations {@code t = 1 .. T-1} of an episode of T actions: observation 0 has no prediction
 * to be surprised against (its prior is the start-state prior, not a forecast), and the last
 * observation has no action after it; index 0 of every array is NaN (not scored).
 * {@code nll} is the training loss's reconstruction term at one step, so the two scores are in
 * the units the model was trained in.
 */
public final class Novelty {
    /** A kind of score. */
    public enum Kind {
        KL("kl", "KL(posterior || prior), nats"),
        NLL("nll", "observation NLL of the posterior decoding, nats"),
        DISAGREEMENT("disagreement", "ensemble disagreement of the one-step heads");

        private final String label, meaning;

        Kind(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }

        /** The name in files and tables. */
        public String label() {
            return label;
        }

        /** What the score is, with its unit. */
        public String meaning() {
            return meaning;
        }

        /** The kind called {@code label}; unknown names are an error naming the valid ones. */
        public static Kind of(String label) {
            for (Kind k : values()) if (k.label.equals(label.toLowerCase(Locale.ROOT))) return k;
            throw new IllegalArgumentException("Novelty: unknown score '" + label + "'; known: "
                    + String.join(", ", Arrays.stream(values()).map(Kind::label).toList()));
        }
    }

    /** One episode's scores, per kind an array over observations 0..T-1 (index 0 NaN); kinds the scorer lacks are absent. */
    public record Scores(Map<Kind, double[]> byKind) {
        public Scores {
            byKind = Map.copyOf(byKind);
        }

        public double[] of(Kind kind) {
            double[] s = byKind.get(kind);
            if (s == null) throw new IllegalArgumentException("Novelty.Scores: no " + kind.label + " scores here; have " + byKind.keySet());
            return s;
        }

        public boolean has(Kind kind) {
            return byKind.containsKey(kind);
        }
    }

    private final WorldModel model;
    private final Ensemble ensemble;

    /** Scores of {@code model}; {@code ensemble} may be null (then no disagreement). NLL needs an {@link RssmWorldModel}. */
    public Novelty(WorldModel model, Ensemble ensemble) {
        if (!(model instanceof RssmWorldModel))
            throw new IllegalArgumentException("Novelty: the observation NLL reads frames through an RssmWorldModel, got "
                    + model.getClass().getSimpleName());
        this.model = model;
        this.ensemble = ensemble;
    }

    /** The kinds this scorer gives: KL and NLL always, disagreement with an ensemble. */
    public List<Kind> kinds() {
        return ensemble == null ? List.of(Kind.KL, Kind.NLL) : List.of(Kind.KL, Kind.NLL, Kind.DISAGREEMENT);
    }

    /** The scores of one episode (at least two actions); the filter's samples are drawn from {@code rng}. */
    public Scores score(EpisodeFile.Episode ep, Rng rng) {
        int steps = ep.steps(), a = ep.actionSize(), frame = ep.layout().bytes();
        if (steps < 2) throw new IllegalArgumentException("Novelty: an episode of " + steps + " steps has no observation to score (need 2)");
        // observations 0..T-1 as one sequence; the action that led to observation 0 is zero, to observation t action t-1
        byte[] obs = new byte[steps * frame];
        float[] act = new float[steps * a];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(ep.obs()[t], 0, obs, t * frame, frame);
            if (t > 0) System.arraycopy(ep.actions()[t - 1], 0, act, t * a, a);
        }
        Batch seq = new Batch(steps, 1, ep.layout(), a, obs, act, new float[steps], filled(steps, 1f));
        double[] kl = nan(steps), nll = nan(steps), dis = ensemble == null ? null : nan(steps);
        try (Tape.Scope ignored = Tape.noGrad()) {
            List<Rssm.Step> filtered = model.observe(seq, rng);
            Var[] feats = new Var[steps - 1];
            for (int t = 1; t < steps; t++) {
                kl[t] = model.kl(filtered.get(t)).item();                                   // [1]
                feats[t - 1] = model.features(filtered.get(t).state());                      // [1, F]
            }
            Var f = concat(0, feats);                                                       // [T-1, F]
            float[] decoded = model.decode(f).toArray();                                    // [T-1, 64, 64, 3]
            float[] target = ((RssmWorldModel) model).frames(obs, frame, steps - 1, null).toArray();
            for (int t = 1; t < steps; t++) {
                double s = 0;
                for (int i = (t - 1) * frame, end = t * frame; i < end; i++) {
                    double d = decoded[i] - target[i];
                    s += d * d;
                }
                nll[t] = 0.5 * s;
            }
            if (ensemble != null) {
                float[] next = new float[(steps - 1) * a];                                   // a_t, taken after o_t
                for (int t = 1; t < steps; t++) System.arraycopy(ep.actions()[t], 0, next, (t - 1) * a, a);
                float[] d = ensemble.disagreement(f, Var.of(next, steps - 1, a)).toArray(); // [T-1]
                for (int t = 1; t < steps; t++) dis[t] = d[t - 1];
            }
        }
        Map<Kind, double[]> out = new EnumMap<>(Kind.class);
        out.put(Kind.KL, kl);
        out.put(Kind.NLL, nll);
        if (dis != null) out.put(Kind.DISAGREEMENT, dis);
        return new Scores(out);
    }

    private static double[] nan(int n) {
        double[] x = new double[n];
        Arrays.fill(x, Double.NaN);
        return x;
    }

    private static float[] filled(int n, float v) {
        float[] x = new float[n];
        Arrays.fill(x, v);
        return x;
    }
}
