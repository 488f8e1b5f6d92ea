package latte.models.rssm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.ParamStore;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.autodiff.nn.Activation;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

class RssmTest {
    private static final Rssm.Config C = new Rssm.Config(6, 3, 5, 0.1f, Activation.RELU);

    private static Var rand(Rng r, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] x = new float[n];
        r.fillNormal(x, 0, n, 0, 1);
        return Var.of(x, shape);
    }

    @Test
    void observeFollowsTheTimeIndexConvention() {
        Rng rng = new Rng(0);
        Rssm rssm = new Rssm(new ParamStore().root(), C, 2, 4, rng);
        List<Var> e = new ArrayList<>(), a = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            e.add(rand(rng, 5, 4));
            a.add(rand(rng, 5, 2));
        }
        try (Tape.Scope s = Tape.noGrad()) {
            List<Rssm.Step> steps = rssm.observe(rssm.initial(5), e, a, true, new Rng(1));
            assertThat(steps).hasSize(3);
            assertThat(steps.get(2).state().h().shape()).containsExactly(5, 6);
            assertThat(steps.get(2).state().s().shape()).containsExactly(5, 3);
            // h_t is computed from (h_{t-1}, s_{t-1}, a[t]): recomputing step 1 by hand gives the same h
            Var h1 = rssm.deterministic(steps.get(0).state(), a.get(1));
            assertThat(h1.toArray()).containsExactly(steps.get(1).state().h().toArray());
            // and the prior of step t depends on h_t only
            assertThat(rssm.prior(h1).mean().toArray()).containsExactly(steps.get(1).prior().mean().toArray());
            // std is softplus(.) + minStd
            for (float sd : ((Latent.Gaussian) steps.get(1).posterior()).std().toArray()) assertThat(sd).isGreaterThan(0.1f);
        }
    }

    @Test
    void imagineRollsThePriorAndMatchesStepByStep() {
        Rng rng = new Rng(0);
        Rssm rssm = new Rssm(new ParamStore().root(), C, 2, 4, rng);
        List<Var> a = List.of(rand(rng, 3, 2), rand(rng, 3, 2));
        try (Tape.Scope s = Tape.noGrad()) {
            Rssm.State init = rssm.initial(3);
            List<Rssm.State> out = rssm.imagine(init, a, new Rng(7));
            Rng r = new Rng(7);
            Var h = rssm.deterministic(init, a.get(0));
            Var s0 = rssm.prior(h).rsample(r);
            assertThat(out.get(0).h().toArray()).containsExactly(h.toArray());
            assertThat(out.get(0).s().toArray()).containsExactly(s0.toArray());
            assertThat(Rssm.features(out.get(1)).shape()).containsExactly(3, 9);
        }
    }
}
