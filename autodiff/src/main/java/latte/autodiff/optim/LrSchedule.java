package latte.autodiff.optim;

/**
 * The learning rate at a step (1-based: the step about to be taken), given the base rate.
 * Adam calls it once per step, so any schedule is one lambda.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step, double baseLr);

    /** The base rate at every step. */
    static LrSchedule constant() {
        return (step, lr) -> lr;
    }

    /** Linear warm-up from {@code lr / warmup} to {@code lr} over the first {@code warmup} steps, then constant. */
    static LrSchedule linearWarmup(long warmup) {
        if (warmup < 1) throw new IllegalArgumentException("LrSchedule.linearWarmup: warmup " + warmup + " must be >= 1");
        return (step, lr) -> lr * Math.min(1.0, (double) step / warmup);
    }

    /** Cosine decay from {@code lr} at step 1 to {@code lr * floor} at {@code total} (and after). */
    static LrSchedule cosine(long total, double floor) {
        if (total < 1) throw new IllegalArgumentException("LrSchedule.cosine: total " + total + " must be >= 1");
        return (step, lr) -> {
            double t = Math.min(1.0, (double) (step - 1) / total);
            return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
        };
    }
}
