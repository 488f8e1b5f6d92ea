package latte.autodiff.optim;

import latte.autodiff.ParamStore;

/**
 * Adam (Kingma and Ba, 2015) over a whole {@link ParamStore} in one loop, with optional
 * decoupled weight decay (AdamW, Loshchilov and Hutter, 2019):
 * <pre>
 *   p <- p - lr * wd * p                                  (decoupled decay, if wd > 0)
 *   m <- b1 m + (1 - b1) g          v <- b2 v + (1 - b2) g^2
 *   p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * as PyTorch's {@code Adam}/{@code AdamW}. {@code lr} at step t comes from the {@link LrSchedule}.
 */
public final class Adam {
    /** Hyperparameters. */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Config {
            if (!(lr >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0))
                throw new IllegalArgumentException("Adam.Config: need lr >= 0, 0 <= betas < 1, eps >= 0, weightDecay >= 0; got lr " + lr
                        + ", betas (" + beta1 + ", " + beta2 + "), eps " + eps + ", weightDecay " + weightDecay);
        }

        /** PyTorch's defaults (betas 0.9, 0.999, eps 1e-8, no decay) at learning rate {@code lr}. */
        public static Config of(double lr) {
            return new Config(lr, 0.9, 0.999, 1e-8, 0);
        }

        public Config withEps(double e) {
            return new Config(lr, beta1, beta2, e, weightDecay);
        }

        public Config withWeightDecay(double wd) {
            return new Config(lr, beta1, beta2, eps, wd);
        }
    }

    private final ParamStore store;
    private final Config config;
    private final LrSchedule schedule;
    private final float[] m, v;
    private long t;
    private double lastLr;

    public Adam(ParamStore store, Config config) {
        this(store, config, LrSchedule.constant());
    }

    public Adam(ParamStore store, Config config, LrSchedule schedule) {
        this.store = store;
        this.config = config;
        this.schedule = schedule;
        this.m = new float[store.size()];
        this.v = new float[store.size()];
    }

    /** One update of every parameter from the store's gradients (which are left as they are). */
    public void step() {
        if (store.size() != m.length)
            throw new IllegalStateException("Adam.step: the store grew from " + m.length + " to " + store.size()
                    + " floats after the optimiser was created; create Adam after registering all parameters");
        t++;
        double lr = schedule.lr(t, config.lr());
        lastLr = lr;
        float[] p = store.values(), g = store.grads();
        float b1 = (float) config.beta1(), b2 = (float) config.beta2();
        double bc1 = 1 - Math.pow(config.beta1(), t), bc2 = 1 - Math.pow(config.beta2(), t);
        float stepSize = (float) (lr / bc1), sqrtBc2 = (float) Math.sqrt(bc2), eps = (float) config.eps();
        float decay = (float) (1 - lr * config.weightDecay());
        for (int i = 0; i < m.length; i++) {
            float gi = g[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            float pi = config.weightDecay() > 0 ? p[i] * decay : p[i];
            p[i] = pi - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBc2 + eps);
        }
    }

    /** Adam's moments and step count, for checkpoints. */
    public record State(float[] m, float[] v, long steps) {}

    /** A copy of the moments and the step count. */
    public State state() {
        return new State(m.clone(), v.clone(), t);
    }

    /** Restores {@link #state()} (e.g. when resuming); sizes must match the store. */
    public void restore(State s) {
        if (s.m().length != m.length || s.v().length != v.length || s.steps() < 0)
            throw new IllegalArgumentException("Adam.restore: state for " + s.m().length + " floats at step " + s.steps()
                    + ", the store has " + m.length);
        System.arraycopy(s.m(), 0, m, 0, m.length);
        System.arraycopy(s.v(), 0, v, 0, v.length);
        t = s.steps();
    }

    /** Steps taken so far. */
    public long steps() {
        return t;
    }

    /** The learning rate used by the last step (NaN before the first). */
    public double lastLr() {
        return t == 0 ? Double.NaN : lastLr;
    }

    public Config config() {
        return config;
    }
}
