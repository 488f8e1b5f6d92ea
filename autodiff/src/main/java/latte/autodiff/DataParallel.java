package latte.autodiff;

import java.util.List;
import java.util.function.IntConsumer;
import latte.core.Parallel;

/**
 * Data parallelism for a training step: a batch is cut into {@code K} shards, and each shard
 * runs through the whole model, forward and backward, on one thread with its own {@link Tape},
 * its gradients going to its own buffers in every {@link ParamStore}; the buffers are summed once
 * at the end. Splitting each op's loop over the threads instead (what the kernels do on their
 * own) pays a hand-over between cores for every GEMM and conv of the step, thousands a step;
 * here there is one.
 *
 * <p>Shard {@code k} always writes buffer {@code k} and the sum runs in shard order, so results
 * depend on the number of shards, never on the number of threads or on timing: on one thread the
 * shards run one after the other and give the same bits. Inside a shard the kernels run serially
 * ({@link Parallel}: no nested fan-out).
 */
public final class DataParallel {
    private DataParallel() {}

    /**
     * Runs {@code shard.accept(k)} for {@code k} in {@code [0, shards)} over {@link Parallel}'s
     * threads, each under {@link ParamStore#shard(int)}, then {@link ParamStore#reduceShards()}
     * on every store in {@code stores}. Everything a shard records must go to a tape it opens and
     * closes itself; it must not touch state another shard reads (the Rng included: give each its own).
     * If a shard throws, every store's gradients are zeroed once all shards have stopped (the
     * others' partial sums are no gradient of anything) and the first exception is rethrown.
     */
    public static void run(int shards, List<ParamStore> stores, IntConsumer shard) {
        if (shards < 1) throw new IllegalArgumentException("DataParallel.run: " + shards + " shards (>= 1 expected)");
        for (ParamStore s : stores) s.shards(shards);
        try {
            Parallel.forRange(shards, shards, (lo, hi) -> {
                for (int k = lo; k < hi; k++) {
                    try (Tape.Scope ignored = ParamStore.shard(k)) {
                        shard.accept(k);
                    }
                }
            });
        } catch (RuntimeException | Error e) {
            for (ParamStore s : stores) {
                s.zeroGrad();
                s.discardShards();
            }
            throw e;
        }
        for (ParamStore s : stores) s.reduceShards();
    }
}
