package latte.models.ppo;

import static latte.autodiff.Ops.add;
import static latte.autodiff.Ops.neg;
import static latte.autodiff.Ops.scale;
import static latte.autodiff.ReduceOps.mean;

import java.util.LinkedHashMap;
import java.util.Map;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.optim.Adam;
import latte.autodiff.optim.GradClip;
import latte.core.Rng;

/**
 * One PPO update (Schulman et al. 2017, algorithm 1): advantages by GAE over the rollout, then K
 * epochs over a fresh permutation of its N T transitions in minibatches, each a gradient step on
 * {@code -L^CLIP + c1 L^VF - c2 S} ({@link Objective}) with the advantages normalised per
 * minibatch, the global gradient norm clipped, and Adam. With annealing, lr and eps are scaled by
 * alpha, falling linearly from 1 to 0 (the paper's Atari schedule).
 */
public final class Ppo {
    private final Policy policy;
    private final PpoConfig.Optimisation opt;
    private final Adam adam;
    private double alpha = 1;

    public Ppo(Policy policy, PpoConfig.Optimisation opt) {
        this.policy = policy;
        this.opt = opt;
        this.adam = new Adam(policy.store(), Adam.Config.of(opt.lr()).withEps(1e-5), (step, lr) -> lr * alpha);
    }

    public Adam adam() {
        return adam;
    }

    /**
     * Updates the policy and value on {@code b}; {@code alpha} scales lr and the clip (1 without
     * annealing); {@code rng} draws the minibatches. Returns the losses averaged over the minibatch steps.
     */
    public Map<String, Double> update(Rollouts.Batch b, double alpha, Rng rng) {
        this.alpha = alpha;
        Gae.Estimate est = Gae.estimate(b.steps(), b.envs(), b.rewards(), b.values(), b.nextValues(), b.terminated(), b.ended(),
                opt.gamma(), opt.lambda());
        int n = b.size(), m = n / opt.minibatches(), d = b.inputs(), w = b.actionWidth();
        float eps = (float) (opt.clip() * alpha);
        double[] sums = new double[6];
        for (int epoch = 0; epoch < opt.epochs(); epoch++) {
            int[] perm = rng.permutation(n);
            for (int mb = 0; mb < opt.minibatches(); mb++) {
                float[] obs = new float[m * d], act = new float[m * w], oldLp = new float[m], oldV = new float[m], adv = new float[m],
                        ret = new float[m];
                for (int j = 0; j < m; j++) {
                    int k = perm[mb * m + j];
                    System.arraycopy(b.obs(), k * d, obs, j * d, d);
                    System.arraycopy(b.actions(), k * w, act, j * w, w);
                    oldLp[j] = b.logProbs()[k];
                    oldV[j] = b.values()[k];
                    adv[j] = est.advantages()[k];
                    ret[j] = est.returns()[k];
                }
                Losses l = step(Var.of(obs, m, d), act, oldLp, oldV, Objective.normalise(adv), ret, eps);
                sums[0] += l.policy();
                sums[1] += l.value();
                sums[2] += l.entropy();
                sums[3] += l.approxKl();
                sums[4] += l.clipFraction();
                sums[5] += l.gradNorm();
            }
        }
        int steps = opt.epochs() * opt.minibatches();
        Map<String, Double> out = new LinkedHashMap<>();                                    // ordered: equal runs write equal metrics
        String[] names = {"policyLoss", "valueLoss", "entropy", "approxKl", "clipFraction", "gradNorm"};
        for (int i = 0; i < names.length; i++) out.put(names[i], sums[i] / steps);
        out.put("lr", adam.lastLr());
        return out;
    }

    /** The figures of one minibatch step. */
    public record Losses(double policy, double value, double entropy, double approxKl, double clipFraction, double gradNorm) {}

    /** One gradient step on a minibatch [M, D] with normalised advantages. */
    Losses step(Var obs, float[] actions, float[] oldLogProb, float[] oldValue, float[] advantages, float[] returns, float eps) {
        Losses l;
        try (Tape tape = Tape.record()) {
            Policy.Output out = policy.apply(obs);
            Var logp = out.dist().logProb(actions);                                           // [M]
            Var pg = Objective.surrogateLoss(logp, oldLogProb, advantages, eps);
            Var vf = Objective.valueLoss(out.value(), oldValue, returns, opt.clipValue() ? eps : 0f);
            Var ent = mean(out.dist().entropy());
            Var loss = add(add(pg, scale(vf, (float) opt.valueCoef())), scale(neg(ent), (float) opt.entropyCoef()));
            float[] lp = logp.toArray();
            double kl = 0, clipped = 0;
            for (int j = 0; j < lp.length; j++) {
                double r = Math.exp(lp[j] - oldLogProb[j]);
                kl += (r - 1) - (lp[j] - oldLogProb[j]);                                       // the k3 estimator of KL(old || new)
                if (Math.abs(r - 1) > eps) clipped++;
            }
            tape.backward(loss);
            l = new Losses(pg.item(), vf.item(), ent.item(), kl / lp.length, clipped / lp.length, 0);
        }
        double norm = GradClip.globalNorm(policy.store(), opt.maxGradNorm());
        adam.step();
        policy.store().zeroGrad();
        return new Losses(l.policy(), l.value(), l.entropy(), l.approxKl(), l.clipFraction(), norm);
    }
}
