package latte.models.planet;

import java.util.List;
import latte.autodiff.Inference;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.GruCell;
import latte.autodiff.nn.Linear;
import latte.core.Parallel;
import latte.core.Rng;
import latte.core.kernels.Elementwise;
import latte.models.rssm.Rssm;
import latte.models.world.RssmWorldModel;

/**
 * PlaNet's planning objective (section 3: the sum of predicted reward means along an open-loop
 * rollout under the prior) as straight kernel calls into buffers that live as long as the agent.
 * {@link PlanetAgent#scoreReference} computes the same through the autodiff ops; this version is
 * what the agent runs, because at paper sizes one planning call is 120 model steps over 1000
 * candidates and a fresh tensor per op (1.7 GB of them per call) cost as much as the arithmetic.
 *
 * <p>Candidates are independent, so they are cut into fixed blocks of {@link #BLOCK} rows that
 * each run the whole horizon on one thread: no synchronisation per step, intermediates that stay
 * in cache, and, because the blocks do not depend on the thread count, the same returns on one
 * thread as on two. The noise of the stochastic states is drawn up front in the order the
 * reference draws it (step by step, candidate-major), so both paths see the same samples.
 * <pre>
 *   per step t, rows of a block:
 *   x  = act([s, a_t] W_sa + b)                     [R, hidden]
 *   h  = GRU(x, h)                                  [R, D]
 *   mu, sigma = split(act(h W_1 + b_1) W_2 + b_2)   [R, S] each; sigma = softplus + minStd
 *   s  = mu (planMean) or mu + sigma * eps_t        [R, S]
 *   R += reward([h, s])                             [R]
 * </pre>
 */
final class PlanScorer {
    /**
     * Most rows per block. Fewer, taller blocks amortise packing the weights better (at paper
     * sizes one block of 1000 took 685 ms per call, two of 500 690 ms, five of 200 730 ms); at
     * least two blocks keep a second thread busy.
     */
    static final int BLOCK = 512;

    private final RssmWorldModel model;
    private final int d, s, a, f, hidden, horizon;
    private final Block[] blocks;
    private float[] eps = new float[0];

    PlanScorer(RssmWorldModel model, int candidates, int horizon) {
        Rssm.Config c = model.rssm().config();
        if (c.latent() != Rssm.Kind.GAUSSIAN)
            throw new IllegalArgumentException("PlanScorer: a " + c.latent() + " state, expected GAUSSIAN (PlaNet's)");
        this.model = model;
        this.d = c.deter();
        this.s = c.stoch();
        this.a = model.actionSize();
        this.f = d + s;
        this.hidden = c.hidden();
        this.horizon = horizon;
        int widest = 1;
        for (Linear l : model.rewardHead().layers()) widest = Math.max(widest, l.weight().dim(1));
        int n = Math.min(candidates, Math.max(2, (candidates + BLOCK - 1) / BLOCK)); // depends on J only
        this.blocks = new Block[n];
        for (int i = 0; i < n; i++) {
            int lo = (int) ((long) candidates * i / n), hi = (int) ((long) candidates * (i + 1) / n);
            blocks[i] = new Block(lo, hi - lo, widest);
        }
    }

    /** The buffers of one block of candidates {@code [row0, row0 + rows)}. */
    private final class Block {
        final int row0, rows;
        final float[] sa, x, h, ph, po, mean, std, feat, ra, rb;

        Block(int row0, int rows, int widest) {
            this.row0 = row0;
            this.rows = rows;
            sa = new float[rows * (s + a)];
            x = new float[rows * hidden];
            h = new float[rows * d];
            ph = new float[rows * hidden];
            po = new float[rows * 2 * s];
            mean = new float[rows * s];
            std = new float[rows * s];
            feat = new float[rows * f];
            ra = new float[rows * widest];
            rb = new float[rows * widest];
        }
    }

    /**
     * Writes into {@code returns[j]} the summed reward means of candidate j from {@code belief}.
     *
     * @param actions time-major {@code [H, J, A]} (see {@link latte.models.plan.Cem.Objective})
     */
    void score(Rssm.State belief, float[] actions, int candidates, float[] returns, boolean planMean, Rng rng) {
        if (candidates != blocks[blocks.length - 1].row0 + blocks[blocks.length - 1].rows)
            throw new IllegalArgumentException("PlanScorer: " + candidates + " candidates, built for "
                    + (blocks[blocks.length - 1].row0 + blocks[blocks.length - 1].rows));
        float[] h0 = belief.h().toArray(), s0 = belief.s().toArray();                  // [1, D], [1, S]
        if (!planMean) {
            int per = candidates * s;
            if (eps.length != horizon * per) eps = new float[horizon * per];
            for (int t = 0; t < horizon; t++) rng.fillNormal(eps, t * per, per, 0f, 1f); // [H, J, S]
        }
        Parallel.forRange(blocks.length, (lo, hi) -> {
            for (int i = lo; i < hi; i++) rollout(blocks[i], h0, s0, actions, candidates, returns, planMean);
        });
    }

    private void rollout(Block b, float[] h0, float[] s0, float[] actions, int candidates, float[] returns, boolean planMean) {
        Rssm rssm = model.rssm();
        Activation act = rssm.config().act();
        float minStd = rssm.config().minStd();
        GruCell gru = rssm.gru();
        List<Linear> reward = model.rewardHead().layers();
        int n = b.rows, sa = s + a;
        for (int r = 0; r < n; r++) {
            System.arraycopy(h0, 0, b.h, r * d, d);
            System.arraycopy(s0, 0, b.sa, r * sa, s);
            returns[b.row0 + r] = 0f;
        }
        for (int t = 0; t < horizon; t++) {
            for (int r = 0; r < n; r++)
                System.arraycopy(actions, (t * candidates + b.row0 + r) * a, b.sa, r * sa + s, a);
            linear(b.sa, n, rssm.stateAction(), b.x, act);                                   // [R, hidden]
            Inference.gruCell(b.x, b.h, n, gru.weightIh(), gru.weightHh(), gru.biasIh(), gru.biasHh()); // [R, D]
            linear(b.h, n, rssm.priorHidden(), b.ph, act);                                   // [R, hidden]
            linear(b.ph, n, rssm.priorOut(), b.po, Activation.NONE);                         // [R, 2S]
            for (int r = 0; r < n; r++) {
                System.arraycopy(b.po, r * 2 * s, b.mean, r * s, s);
                System.arraycopy(b.po, r * 2 * s + s, b.std, r * s, s);
            }
            Elementwise.softplus(b.std, 0, b.std, 0, n * s);
            Elementwise.addScalar(b.std, 0, minStd, b.std, 0, n * s);                        // sigma [R, S]
            int e0 = (t * candidates + b.row0) * s;
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < s; k++) {
                    int i = r * s + k;
                    float v = planMean ? b.mean[i] : b.mean[i] + b.std[i] * eps[e0 + i];
                    b.sa[r * sa + k] = v;
                    b.feat[r * f + d + k] = v;
                }
                System.arraycopy(b.h, r * d, b.feat, r * f, d);                             // features [h, s]
            }
            float[] in = b.feat, out = b.ra;
            for (int l = 0; l < reward.size(); l++) {
                linear(in, n, reward.get(l), out, l < reward.size() - 1 ? act : Activation.NONE);
                in = out;
                out = out == b.ra ? b.rb : b.ra;
            }
            for (int r = 0; r < n; r++) returns[b.row0 + r] += in[r];                       // reward mean [R]
        }
    }

    private static void linear(float[] x, int rows, Linear l, float[] y, Activation act) {
        Var w = l.weight();
        Inference.linear(x, rows, w, l.bias(), y);
        act.apply(y, 0, rows * w.dim(1));
    }
}
