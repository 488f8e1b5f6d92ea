package latte.models.planet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.core.Rng;
import latte.models.replay.Replay;
import latte.models.replay.ObsSpec;
import latte.models.config.ConfigCodec;
import latte.models.world.RewardSource;
import latte.models.world.RssmWorldModel;
import latte.models.rssm.Rssm;
import org.junit.jupiter.api.Test;

/** The planner's kernel-call objective against the same objective through the autodiff ops. */
class PlanScorerTest {
    static final int HORIZON = 4;

    /** Widths that are not multiples of a vector, two action dimensions, 37 candidates (two uneven blocks). */
    static final Rssm.Config[] SIZES = {
            new Rssm.Config(24, 5, 20, 0.1f, Activation.ELU),
            new Rssm.Config(40, 6, 32, 0.1f, Activation.RELU),
    };

    @Test
    void matchesTheAutodiffReferenceSampledAndOnMeans() {
        for (Rssm.Config size : SIZES) {
            PlanetLearner learner = new PlanetLearner(withRssm(PlanetConfig.debug(), size), 2, 3);
            RssmWorldModel model = learner.model();
            int j = 37;
            PlanScorer scorer = new PlanScorer(model, j, HORIZON);
            for (int round = 0; round < 2; round++) {
                Rssm.State belief = randomBelief(size, new Rng(10 + round));
                float[] actions = new float[HORIZON * j * 2];
                new Rng(20 + round).fillUniform(actions, 0, actions.length, -1f, 1f);
                for (boolean mean : new boolean[] {true, false}) {
                    float[] fast = new float[j], ref = new float[j];
                    scorer.score(belief, actions, j, fast, mean, new Rng(5));
                    PlanetAgent.scoreReference(model, RewardSource.extrinsic(model), belief, HORIZON, actions, j, ref, mean, new Rng(5));
                    for (int c = 0; c < j; c++)
                        assertThat((double) fast[c]).as(size.act() + " mean=" + mean + " round " + round + " candidate " + c)
                                .isCloseTo(ref[c], org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(ref[c]))));
                    // the candidates differ, so a scorer that ignored its actions would fail above
                    assertThat(fast[0]).isNotEqualTo(fast[1]);
                }
                // the parameters are read in place: after a training step both see the new values
                learner.trainStep(twoActionReplay().sample(2, 4, new Rng(2)), new Rng(3));
            }
        }
    }

    @Test
    void scoresEachCandidateIndependentlyOfTheOthers() {
        Rssm.Config size = SIZES[1];
        RssmWorldModel model = new PlanetLearner(withRssm(PlanetConfig.debug(), size), 2, 3).model();
        Rssm.State belief = randomBelief(size, new Rng(1));
        int j = 37;
        float[] actions = new float[HORIZON * j * 2];
        new Rng(2).fillUniform(actions, 0, actions.length, -1f, 1f);
        float[] all = new float[j];
        new PlanScorer(model, j, HORIZON).score(belief, actions, j, all, true, new Rng(0));
        // candidate 30 alone, as a batch of 1 (its own single block)
        float[] one = new float[HORIZON * 2];
        for (int t = 0; t < HORIZON; t++) System.arraycopy(actions, (t * j + 30) * 2, one, t * 2, 2);
        float[] r = new float[1];
        new PlanScorer(model, 1, HORIZON).score(belief, one, 1, r, true, new Rng(0));
        assertThat(r[0]).isEqualTo(all[30]);
    }

    @Test
    void rejectsACategoricalStateAndAWrongCandidateCount() {
        Rssm.Config cat = SIZES[0].categorical(4, 3);
        RssmWorldModel catModel = new RssmWorldModel(withRssm(PlanetConfig.debug(), cat).model(), 1, new Rng(0));
        assertThatThrownBy(() -> new PlanScorer(catModel, 10, HORIZON)).hasMessageContaining("expected GAUSSIAN");
        RssmWorldModel model = new RssmWorldModel(withRssm(PlanetConfig.debug(), SIZES[0]).model(), 1, new Rng(0));
        PlanScorer scorer = new PlanScorer(model, 10, HORIZON);
        assertThatThrownBy(() -> scorer.score(randomBelief(SIZES[0], new Rng(0)), new float[HORIZON * 12], 12, new float[12], true, new Rng(0)))
                .hasMessageContaining("12 candidates, built for 10");
    }

    /** An episode of random frames, rewards and two-dimensional actions. */
    static PlanetConfig withRssm(PlanetConfig c, Rssm.Config r) {
        return ConfigCodec.with(c, "model.rssm.deter", r.deter(), "model.rssm.stoch", r.stoch(), "model.rssm.hidden", r.hidden(),
                "model.rssm.minStd", r.minStd(), "model.rssm.act", r.act(), "model.rssm.latent", r.latent(), "model.rssm.classes", r.classes());
    }

    static Replay twoActionReplay() {
        Rng rng = new Rng(4);
        Replay r = new Replay(ObsSpec.frame(64, 64, 3), 2, 10_000);
        byte[] f = new byte[64 * 64 * 3];
        r.begin(f.clone());
        for (int t = 0; t < 20; t++) {
            for (int i = 0; i < f.length; i++) f[i] = (byte) rng.nextLong();
            r.append(new float[] {rng.uniform(-1, 1), rng.uniform(-1, 1)}, rng.uniform(-1, 1), f.clone(), false);
        }
        r.end();
        return r;
    }

    static Rssm.State randomBelief(Rssm.Config size, Rng rng) {
        float[] h = new float[size.deter()], s = new float[size.stateSize()];
        rng.fillUniform(h, 0, h.length, -1f, 1f);
        rng.fillNormal(s, 0, s.length, 0f, 1f);
        return new Rssm.State(Var.of(h, 1, h.length), Var.of(s, 1, s.length));
    }
}
