package latte.models.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import latte.autodiff.Tape;
import latte.core.Rng;
import latte.models.config.ConfigCodec;
import latte.models.planet.PlanetConfig;
import latte.models.planet.PlanetLearner;
import latte.models.replay.Batch;
import latte.models.rssm.Rssm;
import latte.models.run.EpisodeFile;
import org.junit.jupiter.api.Test;

/** PlaNet's two latent objectives (section 4), term by term against the per-step quantities they are made of. */
class ObjectivesTest {
    private static final EpisodeFile.Episode EPISODE = OpenLoopTest.episode(20, 4);

    /** ELBO with free nats: the KL term is mean_t max(KL_t, free nats), each step clipped before the mean. */
    @Test
    void freeNatsClipEachStepsKlBeforeTheMean() {
        PlanetConfig plain = ConfigCodec.with(PlanetConfig.debug(), "model.loss.freeNats", 0, "model.loss.klBalance", 0);
        float[] kl = Surprise.perStep(new PlanetLearner(plain, 1, 0).model(), EPISODE, 12, new Rng(7));
        float[] sorted = kl.clone();
        Arrays.sort(sorted);
        float free = sorted[6];                                              // the median: half the steps are clipped
        RssmWorldModel clipped = new PlanetLearner(ConfigCodec.with(plain, "model.loss.freeNats", free), 1, 0).model();  // same weights
        double expected = 0, unclipped = 0;
        for (float k : kl) {
            expected += Math.max(k, free) / 12.0;
            unclipped += k / 12.0;
        }
        float term;
        try (Tape.Scope ignored = Tape.noGrad()) {
            term = clipped.loss(EPISODE.chunk(1, 12), new Rng(7)).kl();
        }
        assertThat(term).isCloseTo((float) expected, within(1e-4f * (float) expected));
        assertThat(expected - unclipped).as("the clipping matters here").isGreaterThan(1e-3);
    }

    /** The deterministic encoder: s_t is the encoder's output (no sampling), scored by -ln p(s_t | h_t) under the prior. */
    @Test
    void theDeterministicObjectiveScoresTheEncodersStateUnderThePrior() {
        RssmWorldModel model = new PlanetLearner(ConfigCodec.with(PlanetConfig.debug(), "model.loss.objective", Objective.DETERMINISTIC), 1, 0)
                .model();
        Batch chunk = EPISODE.chunk(1, 12);
        double nll = 0;
        float term;
        try (Tape.Scope ignored = Tape.noGrad()) {
            List<Rssm.Step> steps = model.observe(chunk, new Rng(9));
            for (Rssm.Step s : steps) {
                assertThat(s.state().s().toArray()).containsExactly(s.posterior().mean().toArray());
                nll -= s.prior().logProb(s.state().s()).item() / 12.0;
            }
            term = model.loss(chunk, new Rng(9)).kl();
        }
        assertThat(term).isCloseTo((float) nll, within(1e-4f * Math.abs((float) nll) + 1e-5f));
    }
}
