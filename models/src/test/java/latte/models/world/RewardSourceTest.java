package latte.models.world;

import static latte.autodiff.ShapeOps.reshape;
import static latte.autodiff.ReduceOps.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.models.dreamer.ActorCritic;
import latte.models.dreamer.DreamerConfig;
import latte.models.dreamer.DreamerLearner;
import latte.models.rssm.Rssm;
import org.junit.jupiter.api.Test;

/** Imagination reads its reward through the hook: extrinsic, another source, or a mix. */
class RewardSourceTest {
    private static Rssm.State starts(RssmWorldModel m, int n) {
        Rng r = new Rng(7);
        float[] h = new float[n * m.rssm().config().deter()], s = new float[n * m.rssm().config().stateSize()];
        r.fillNormal(h, 0, h.length, 0, 1);
        r.fillNormal(s, 0, s.length, 0, 1);
        return new Rssm.State(Var.of(h, n, m.rssm().config().deter()), Var.of(s, n, m.rssm().config().stateSize()));
    }

    @Test
    void dreamersImaginationGetsConsistentTransitionsAndItsActorLossFollowsTheSource() {
        DreamerLearner l = new DreamerLearner(DreamerConfig.debug(), 2, false, 0);
        ActorCritic ac = l.actorCritic();
        Rssm.State start = starts(l.model(), 3);
        int hz = DreamerConfig.debug().imagination().horizon(), n = 3;
        List<RewardSource.Transitions> seen = new ArrayList<>();
        // intrinsic: the sum of the action's entries, so rewards differ per row and step
        ac.rewardSource(t -> {
            seen.add(t);
            return reshape(sum(t.action().get(), 1), t.to().dim(0));
        });
        float withAction;
        ActorCritic.Imagined im;
        try (Tape.Scope ignored = Tape.noGrad()) {
            withAction = ac.behaviour(start, new Rng(3)).actorLoss().item();
            im = ac.imagine(start, new Rng(3));                                       // the same rollout again
        }
        RewardSource.Transitions t = seen.getFirst();
        assertThat(t.to().shape()).containsExactly((hz - 1) * n, l.model().featureSize());
        assertThat(t.from().get().shape()).containsExactly((hz - 1) * n, l.model().featureSize());
        assertThat(t.action().get().shape()).containsExactly((hz - 1) * n, 2);
        // step t's "from" is step t-1's "to"; step 0 starts from the start state
        float[] from = t.from().get().toArray(), to = t.to().toArray();
        int f = l.model().featureSize();
        assertThat(java.util.Arrays.copyOfRange(from, n * f, 2 * n * f)).containsExactly(java.util.Arrays.copyOfRange(to, 0, n * f));
        assertThat(java.util.Arrays.copyOfRange(from, 0, n * f)).containsExactly(l.model().features(start).toArray());
        assertThat(java.util.Arrays.copyOfRange(t.action().get().toArray(), 0, n * 2)).containsExactly(im.actions().getFirst().toArray());

        ac.rewardSource(RewardSource.extrinsic(l.model()));
        float extrinsic;
        try (Tape.Scope ignored = Tape.noGrad()) {
            extrinsic = ac.behaviour(start, new Rng(3)).actorLoss().item();
        }
        assertThat(withAction).isNotEqualTo(extrinsic);
    }

    @Test
    void plansAreScoredByTheSourceAndAMixAddsItsParts() {
        RssmWorldModel m = new RssmWorldModel(latte.models.planet.PlanetConfig.debug().model(), 1, new Rng(0));
        int hz = 3, j = 5;
        float[] actions = new float[hz * j];
        new Rng(1).fillUniform(actions, 0, actions.length, -1, 1);
        Rssm.State belief = starts(m, 1);
        RewardSource ext = RewardSource.extrinsic(m);
        RewardSource actionSum = t -> reshape(t.action().get(), t.to().dim(0));
        float[] a = new float[j], b = new float[j], mixed = new float[j];
        try (Tape.Scope ignored = Tape.noGrad()) {
            latte.models.planet.PlanetAgentReference.score(m, ext, belief, hz, actions, j, a);
            latte.models.planet.PlanetAgentReference.score(m, actionSum, belief, hz, actions, j, b);
            latte.models.planet.PlanetAgentReference.score(m, RewardSource.mix(ext, 1f, actionSum, 0.5f), belief, hz, actions, j, mixed);
        }
        for (int c = 0; c < j; c++) {
            float expected = 0;
            for (int t = 0; t < hz; t++) expected += actions[t * j + c];
            assertThat(b[c]).isCloseTo(expected, within(1e-5f));
            assertThat(mixed[c]).isCloseTo(a[c] + 0.5f * b[c], within(1e-4f));
        }
    }
}
