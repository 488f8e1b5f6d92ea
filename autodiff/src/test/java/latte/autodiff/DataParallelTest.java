package latte.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import latte.autodiff.nn.Activation;
import latte.autodiff.nn.Mlp;
import latte.core.Parallel;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

class DataParallelTest {
    private static final int ROWS = 24, IN = 5, OUT = 3;
    private static final float[] X = random(ROWS * IN, 3), Y = random(ROWS * OUT, 4);

    private record Net(ParamStore store, Mlp mlp) {
        static Net create() {
            ParamStore s = new ParamStore();
            return new Net(s, new Mlp(s.scope("mlp"), IN, new int[] {16, 16}, OUT, Activation.TANH, new Rng(1)));
        }

        /** mean over rows [r0, r1) and outputs of (mlp(x) - y)^2. */
        Var loss(int r0, int r1) {
            Var x = Var.of(Arrays.copyOfRange(X, r0 * IN, r1 * IN), r1 - r0, IN);
            Var y = Var.of(Arrays.copyOfRange(Y, r0 * OUT, r1 * OUT), r1 - r0, OUT);
            return ReduceOps.mean(Ops.square(Ops.sub(mlp.apply(x), y)));
        }

        /** Backpropagates the loss on shard k of K, weighted by its share of the rows. */
        void backwardShard(int k, int shards) {
            int r0 = Parallel.split(ROWS, shards, k), r1 = Parallel.split(ROWS, shards, k + 1);
            try (Tape t = Tape.record()) {
                t.backward(loss(r0, r1), new float[] {(float) (r1 - r0) / ROWS});
            }
        }

        float[] grads() {
            return Arrays.copyOf(store.grads(), store.size());
        }
    }

    private static float[] random(int n, long seed) {
        float[] a = new float[n];
        new Rng(seed).fillNormal(a, 0, n, 0f, 1f);
        return a;
    }

    @Test
    void shardGradientsWeightedByTheirShareSumToTheWholeBatchGradient() {
        Net whole = Net.create();
        whole.backwardShard(0, 1);
        float[] expected = whole.grads();
        for (int shards : new int[] {2, 3, 5}) {
            Net net = Net.create();
            DataParallel.run(shards, List.of(net.store()), k -> net.backwardShard(k, shards));
            float[] g = net.grads();
            for (int i = 0; i < g.length; i++)
                assertThat(g[i]).as("shards %d, gradient %d", shards, i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-6f + 1e-5f * Math.abs(expected[i])));
        }
    }

    @Test
    void theSumDoesNotDependOnWhichThreadRanWhichShard() {
        Net parallel = Net.create(), serial = Net.create();
        DataParallel.run(3, List.of(parallel.store()), k -> parallel.backwardShard(k, 3));
        serial.store().shards(3);                                   // the same shards, in reverse, on this thread
        for (int k = 2; k >= 0; k--) {
            try (Tape.Scope ignored = ParamStore.shard(k)) {
                serial.backwardShard(k, 3);
            }
        }
        serial.store().reduceShards();
        assertThat(parallel.grads()).containsExactly(serial.grads());
    }

    @Test
    void reducingEmptiesTheShardBuffers() {
        Net net = Net.create();
        DataParallel.run(2, List.of(net.store()), k -> net.backwardShard(k, 2));
        float[] once = net.grads();
        net.store().zeroGrad();
        DataParallel.run(2, List.of(net.store()), k -> net.backwardShard(k, 2));
        assertThat(net.grads()).containsExactly(once);              // nothing left over from the first step

        net.store().zeroGrad();
        try (Tape.Scope ignored = ParamStore.shard(1)) {
            net.backwardShard(1, 2);                                 // into shard 1's buffer only
        }
        assertThat(net.store().gradNorm()).isZero();
        net.store().reduceShards();
        assertThat(net.store().gradNorm()).as("reduce moved shard 1's gradient").isPositive();
        net.store().zeroGrad();
        net.store().reduceShards();
        assertThat(net.store().gradNorm()).as("nothing was left in shard 1's buffer").isZero();
    }

    @Test
    void aShardWithoutABufferAndAFailingShardAreClearErrors() {
        Net net = Net.create();
        net.store().shards(2);
        try (Tape.Scope ignored = ParamStore.shard(2)) {
            assertThatThrownBy(() -> net.backwardShard(0, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("shard 2 of a store prepared for 2 shards");
        }
        assertThatThrownBy(() -> DataParallel.run(2, List.of(net.store()), k -> {
            net.backwardShard(k, 2);
            if (k == 1) throw new IllegalArgumentException("shard 1: bad input");
        })).hasMessage("shard 1: bad input");
        net.store().reduceShards();
        assertThat(net.store().gradNorm()).as("a failed step leaves no partial gradient behind").isZero();
        assertThatThrownBy(() -> DataParallel.run(0, List.of(), k -> {})).hasMessageContaining("0 shards");
        assertThatThrownBy(() -> net.store().shards(0)).hasMessageContaining("0 shards");
    }
}
