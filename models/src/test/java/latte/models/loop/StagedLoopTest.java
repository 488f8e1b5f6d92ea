package latte.models.loop;

import static latte.autodiff.Ops.square;
import static latte.autodiff.Ops.sub;
import static latte.autodiff.ReduceOps.mean;
import static latte.autodiff.ShapeOps.reshape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Linear;
import latte.autodiff.optim.Adam;
import latte.core.Rng;
import latte.envs.Observation;
import latte.models.Agent;
import latte.models.replay.Batch;
import latte.models.replay.ObsSpec;
import latte.models.run.Checkpoint;
import latte.models.run.RunDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staged algorithm (the shape of World Models: collect, fit, evolve) on the same run machinery
 * as the interleaved loop: a crash in any stage resumes from the last checkpoint and ends exactly
 * where the uninterrupted run ends.
 */
class StagedLoopTest {
    private static final Trainer.Listener QUIET = p -> {};

    /**
     * <pre>
     *   collect 3 episodes of random actions
     *   fit a reward model for 3 epochs of 2 gradient steps
     *   search a constant action for 3 generations (best of 4 random candidates around the mean)
     * </pre>
     */
    static final class Staged implements Learner {
        final ParamStore store = new ParamStore();
        final Linear model;
        final Adam adam;
        final Checkpoint checkpoint;
        float searchMean;
        String crashAt;

        Staged(long seed) {
            model = new Linear(store.scope("reward"), 3 + 1, 1, new Rng(seed));
            adam = new Adam(store, Adam.Config.of(0.01));
            checkpoint = new Checkpoint(List.of(new Checkpoint.Params("model", "", store)), List.of(new Checkpoint.Moments("", adam)));
        }

        @Override public String family() { return "staged-test"; }
        @Override public Record config() { return new Settings(ObsSpec.Kind.VECTOR, 4, 1, 1000); }
        @Override public Settings settings() { return new Settings(ObsSpec.Kind.VECTOR, 4, 1, 1000); }

        private void crash(String where) {
            if (where.equals(crashAt)) throw new IllegalStateException("crash at " + where);
        }

        @Override
        public Loop loop() {
            return ctx -> {
                while (ctx.episodes() < 3) {
                    crash("episode " + (ctx.episodes() + 1));
                    ctx.collect(null, ctx.rng(1, ctx.episodes() + 1), "random");
                    ctx.checkpoint();
                }
                while (ctx.counter("epochs") < 3) {
                    crash("epoch " + (ctx.counter("epochs") + 1));
                    ctx.train(2, r -> fit(ctx.replay().sample(2, 3, r)));
                    ctx.counter("epochs", ctx.counter("epochs") + 1);
                    ctx.checkpoint();
                }
                while (ctx.counter("generation") < 3) {
                    long g = ctx.counter("generation") + 1;
                    crash("generation " + g);
                    Rng r = ctx.rng(7, g);
                    float best = searchMean, bestScore = score(best);
                    for (int c = 0; c < 4; c++) {
                        float x = Math.max(-1, Math.min(1, searchMean + 0.5f * r.normal()));
                        if (score(x) > bestScore) { best = x; bestScore = score(x); }
                    }
                    searchMean = best;
                    ctx.metric(Map.of("type", "generation", "generation", g, "best", (double) bestScore, "mean", (double) searchMean));
                    ctx.counter("generation", g);
                    ctx.checkpoint();
                }
            };
        }

        private float score(float action) {
            try (Tape.Scope ignored = Tape.noGrad()) {
                return model.apply(Var.of(new float[] {1, 0, 0, action}, 1, 4)).item();
            }
        }

        private Map<String, Double> fit(Batch b) {
            int n = b.steps() * b.batch();
            float[] x = new float[n * 4], y = new float[n];
            for (int i = 0; i < n; i++) {
                Observation.State o = (Observation.State) b.layout().decode(b.obs(), i * b.frameSize());
                System.arraycopy(o.values(), 0, x, i * 4, 3);
                x[i * 4 + 3] = b.action()[i];
                y[i] = b.reward()[i];
            }
            float loss;
            try (Tape tape = Tape.record()) {
                Var l = mean(square(sub(reshape(model.apply(Var.of(x, n, 4)), n), Var.of(y, n))));
                loss = l.item();
                tape.backward(l);
            }
            adam.step();
            store.zeroGrad();
            return Map.of("reward", (double) loss);
        }

        @Override
        public Agent agent(float noise, Rng rng) {
            return new Agent() {
                @Override public void reset() {}
                @Override public int actionSize() { return 1; }
                @Override public float[] act(Observation observation) { return new float[] {searchMean}; }
            };
        }

        @Override
        public void save(RunDir run, Map<String, String> metadata) {
            checkpoint.save(run, metadata, Map.of(), Map.of("searchMean", Float.toString(searchMean)));
        }

        @Override
        public void load(RunDir run) {
            searchMean = Float.parseFloat(checkpoint.load(run).get("searchMean"));
        }
    }

    private static List<Map<String, Object>> records(Path dir) {
        return new RunDir(dir).readMetrics().stream().peek(m -> { m.remove("trainStepMs"); m.remove("decisionMs"); }).toList();
    }

    private static Trainer.Summary finish(Path dir) {
        Staged l = new Staged(5);
        return Trainer.resume(new RunDir(dir), l).run(new Trainer.Budget(0, 1000), QUIET);
    }

    @Test
    void aCrashInAnyStageResumesToTheUninterruptedResult(@TempDir Path whole, @TempDir Path base) {
        Trainer.Summary expected = Trainer.create(new RunDir(whole), new Staged(5), "Pendulum-v1", 5).run(new Trainer.Budget(0, 1000), QUIET);
        assertThat(records(whole).stream().filter(m -> "generation".equals(m.get("type")))).hasSize(3);
        assertThat(expected.trainSteps()).isEqualTo(6);
        for (String at : new String[] {"episode 2", "epoch 2", "generation 3"}) {
            Path dir = base.resolve(at.replace(' ', '-'));
            Staged crashing = new Staged(5);
            crashing.crashAt = at;
            assertThatThrownBy(() -> Trainer.create(new RunDir(dir), crashing, "Pendulum-v1", 5).run(new Trainer.Budget(0, 1000), QUIET))
                    .hasMessageContaining("crash at " + at);
            Trainer.Summary s = finish(dir);
            assertThat(records(dir)).as(at).isEqualTo(records(whole));
            assertThat(s.evalReturns()).as(at).isEqualTo(expected.evalReturns());
        }
    }
}
