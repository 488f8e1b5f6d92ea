package latte.models.dreamer;

import java.util.Arrays;
import java.util.List;
import latte.autodiff.Var;

/**
 * DreamerV3's return scale (Hafner et al. 2023, section 3, "Robust predictions"):
 * {@code max(1, S)}, {@code S} an exponential moving average (decay 0.99, started at the first
 * batch's value) of the 95th minus the 5th percentile of the batch's lambda-returns. Dividing the
 * returns by it shrinks large returns but never amplifies small, noisy ones.
 */
final class ReturnNorm {
    private final boolean on;
    /** The running percentile range; 0 before the first batch. */
    private double range;

    ReturnNorm(boolean on) {
        this.on = on;
    }

    /** Moves the running range by {@code returns}' and returns the scale; 1 when off. */
    float scale(List<Var> returns) {
        if (!on) return 1f;
        range = moved(range, percentileRange(returns));
        return (float) Math.max(1, range);
    }

    /** The running range (a metric, and checkpointed). */
    double range() {
        return range;
    }

    void restore(double range) {
        this.range = range;
    }

    /** The 95th minus the 5th percentile of the returns. */
    static double percentileRange(List<Var> returns) {
        int hz = returns.size(), n = returns.getFirst().dim(0);
        float[] all = new float[hz * n];
        for (int t = 0; t < hz; t++) System.arraycopy(returns.get(t).toArray(), 0, all, t * n, n);
        Arrays.sort(all);
        return percentile(all, 0.95) - percentile(all, 0.05);
    }

    /** The running range after a batch whose range is {@code batch} (started at the first batch's). */
    static double moved(double running, double batch) {
        return running == 0 ? batch : 0.99 * running + 0.01 * batch;
    }

    /** The q-quantile of sorted values, linearly interpolated (numpy's default). */
    static double percentile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
