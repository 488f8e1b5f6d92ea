package latte.models.evolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import latte.core.Rng;
import org.junit.jupiter.api.Test;

class CmaEsTest {
    static final int N = 10;
    static final int SEEDS = 11;

    static double sphere(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return s;
    }

    static double ellipsoid(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += Math.pow(1e6, i / (x.length - 1.0)) * x[i] * x[i];
        return s;
    }

    static double rosenbrock(double[] x) {
        double s = 0;
        for (int i = 0; i + 1 < x.length; i++) s += 100 * Math.pow(x[i + 1] - x[i] * x[i], 2) + Math.pow(1 - x[i], 2);
        return s;
    }

    static double[] filled(double v) {
        double[] x = new double[N];
        Arrays.fill(x, v);
        return x;
    }

    @Test
    void defaultConstantsForTenDimensionsMatchTheFormulas() {
        // computed by hand (in Python) from the tutorial's table 1
        CmaEs.Parameters p = CmaEs.Parameters.defaults(10);
        assertThat(p.lambda()).isEqualTo(10);                     // 4 + floor(3 ln 10) = 4 + 6
        assertThat(p.mu()).isEqualTo(5);
        double[] w = {0.456272646903, 0.270753097002, 0.162231117159, 0.085233547100, 0.025509591836};
        for (int i = 0; i < 5; i++) assertThat(p.weights()[i]).isCloseTo(w[i], within(1e-11));
        assertThat(p.muEff()).isCloseTo(3.167299281411, within(1e-11));
        assertThat(p.cc()).isCloseTo(0.294990383036, within(1e-11));
        assertThat(p.cSigma()).isCloseTo(0.284428587946, within(1e-11));
        assertThat(p.c1()).isCloseTo(0.015283824525, within(1e-11));
        assertThat(p.cMu()).isCloseTo(0.020154282761, within(1e-11));
        assertThat(p.dSigma()).isCloseTo(1.284428587946, within(1e-11));
        assertThat(p.chiN()).isCloseTo(3.084726565169, within(1e-11));
        assertThat(p.eigenGap()).isCloseTo(2.8218211315, within(1e-9));
        assertThat(CmaEs.Parameters.defaults(867).lambda()).isEqualTo(24);
        assertThat(CmaEs.Parameters.of(867, 64).mu()).isEqualTo(32);
    }

    /** Evaluations to reach f < 1e-8 per seed (-1: not reached within the budget). */
    static long[] evaluationsToTarget(Evolution.Fitness f, double x0, long budget) {
        long[] out = new long[SEEDS];
        for (int s = 0; s < SEEDS; s++) {
            Evolution.Result r = Evolution.minimize(f, filled(x0), 0.5, 0, s, Evolution.Options.until(1e-8, budget).withThreads(1));
            out[s] = r.reachedTarget() ? r.evaluations() : -1;
        }
        return out;
    }

    static long median(long[] counts) {
        long[] ok = Arrays.stream(counts).filter(c -> c > 0).sorted().toArray();
        return ok[ok.length / 2];
    }

    @Test
    void sphereEllipsoidAndRosenbrockTakeAboutTheReferenceEvaluations() {
        long[] sphere = evaluationsToTarget((x, r) -> sphere(x), 1, 20_000);
        long[] ellipsoid = evaluationsToTarget((x, r) -> ellipsoid(x), 1, 40_000);
        long[] rosen = evaluationsToTarget((x, r) -> rosenbrock(x), 0, 40_000);
        System.out.printf("CMA-ES 10-D medians over %d seeds: sphere %d (ref ~1470), ellipsoid %d (~5900), rosenbrock %d (~6200, %d/%d reached)%n",
                SEEDS, median(sphere), median(ellipsoid), median(rosen), Arrays.stream(rosen).filter(c -> c > 0).count(), SEEDS);
        assertThat(sphere).doesNotContain(-1L);
        assertThat(ellipsoid).doesNotContain(-1L);
        assertThat(Arrays.stream(rosen).filter(c -> c > 0).count()).isGreaterThanOrEqualTo(SEEDS - 3); // ~1 in 11 fails (local optimum)
        assertThat(median(sphere)).isBetween(1470 * 2 / 3L, 1470 * 3 / 2L);
        assertThat(median(ellipsoid)).isBetween(5900 * 2 / 3L, 5900 * 3 / 2L);
        assertThat(median(rosen)).isBetween(6200 * 2 / 3L, 6200 * 3 / 2L);
    }

    /** A noisy fitness that uses its generator: the whole run must not depend on the thread count. */
    @Test
    void sameSeedSameRunOnOneAndTwoThreads() {
        Evolution.Fitness noisy = (x, r) -> sphere(x) + 0.01 * r.normal();
        Evolution.Options o = new Evolution.Options(3, 0.01, 1, 40, Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        Evolution.Result one = Evolution.minimize(noisy, new CmaEs(filled(1), 0.5, 12, 5), o, g -> { });
        Evolution.Result two = Evolution.minimize(noisy, new CmaEs(filled(1), 0.5, 12, 5), o.withThreads(2), g -> { });
        assertThat(two.best()).containsExactly(one.best());
        assertThat(two.optimizer().state().toArray()).containsExactly(one.optimizer().state().toArray());
        Evolution.Result other = Evolution.minimize(noisy, new CmaEs(filled(1), 0.5, 12, 6), o, g -> { });
        assertThat(other.best()).isNotEqualTo(one.best());
    }

    @Test
    void resumingFromACheckpointContinuesTheSameTrajectory() {
        Evolution.Fitness f = (x, r) -> rosenbrock(x) + 1e-3 * r.nextDouble();
        Evolution.Options first = new Evolution.Options(2, 0, 2, 37, Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        Evolution.Options all = new Evolution.Options(2, 0, 2, 80, Long.MAX_VALUE, Double.NEGATIVE_INFINITY);
        Evolution.Result straight = Evolution.minimize(f, new CmaEs(filled(0), 0.5, 0, 11), all, g -> { });
        Evolution.Result half = Evolution.minimize(f, new CmaEs(filled(0), 0.5, 0, 11), first, g -> { });
        double[] saved = half.optimizer().state().toArray();              // 37 generations: mid-way between decompositions
        CmaEs resumed = CmaEs.restore(CmaState.fromArray(saved));
        List<Double> sigmas = new ArrayList<>();
        Evolution.Result rest = Evolution.minimize(f, resumed, all, g -> sigmas.add(g.sigma()));
        assertThat(sigmas).hasSize(80 - 37);
        assertThat(rest.optimizer().state().toArray()).containsExactly(straight.optimizer().state().toArray());
        assertThat(rest.best()).containsExactly(straight.best());
        assertThat(CmaState.fromArray(saved).toArray()).containsExactly(saved);
    }

    @Test
    void nanFitnessRanksWorstIsCountedAndNeverPoisonsTheMean() {
        AtomicLong nans = new AtomicLong();
        Evolution.Fitness f = (x, r) -> {
            if (x[0] > 1.2) {                                           // a region where the "simulation" fails
                nans.incrementAndGet();
                return Double.NaN;
            }
            return sphere(x);
        };
        Evolution.Result res = Evolution.minimize(f, new CmaEs(filled(1), 0.5, 0, 3), Evolution.Options.until(1e-8, 10_000).withThreads(1),
                g -> { });
        assertThat(nans.get()).isGreaterThan(0);
        assertThat(res.nanCount()).isEqualTo(nans.get());
        assertThat(res.reachedTarget()).isTrue();
        for (double m : res.optimizer().mean()) assertThat(m).isFinite();
        // a generation of only NaNs changes nothing but the counters
        CmaEs es = new CmaEs(filled(1), 0.5, 0, 4);
        double[] before = es.mean();
        es.ask();
        double[] all = new double[es.parameters().lambda()];
        Arrays.fill(all, Double.NaN);
        es.tell(all);
        assertThat(es.mean()).containsExactly(before);
        assertThat(es.sigma()).isEqualTo(0.5);
        assertThat(es.nanCount()).isEqualTo(10);
        assertThat(es.generation()).isEqualTo(1);
        assertThat(es.bestFitness()).isNaN();
    }

    @Test
    void candidatesAverageTheirRolloutsAndPayTheWeightDecay() {
        Evolution.Fitness f = (x, r) -> r.nextDouble();
        Evolution.Options o = new Evolution.Options(4, 0.01, 2, 1, 1, 0);
        double[][] xs = {{1, 2}, {0, -3}};
        double[] got = Evolution.evaluate(f, xs, 9, 5, o);
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            for (int r = 0; r < 4; r++) sum += new Rng(CmaEs.derive(9, 1, 5, k, r)).nextDouble();
            double penalty = 0.01 * (xs[k][0] * xs[k][0] + xs[k][1] * xs[k][1]) / 2;
            assertThat(got[k]).isCloseTo(sum / 4 + penalty, within(1e-15));
        }
        assertThat(Evolution.Options.worldModels(100).rollouts()).isEqualTo(16);
        assertThat(Evolution.Options.worldModels(100).weightDecay()).isEqualTo(0.01);
    }

    @Test
    void askIsRepeatableAndBadUseIsAClearError() {
        CmaEs es = new CmaEs(filled(0), 0.3, 0, 1);
        assertThat(es.ask()).isDeepEqualTo(es.ask());
        assertThatThrownBy(() -> es.tell(new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 fitness values, expected lambda = 10");
        CmaEs fresh = new CmaEs(filled(0), 0.3, 0, 1);
        assertThatThrownBy(() -> fresh.tell(new double[10])).isInstanceOf(IllegalStateException.class).hasMessageContaining("call ask() first");
        assertThatThrownBy(() -> new CmaEs(filled(0), 0.3, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("population 1, expected >= 2");
        for (double s : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
            assertThatThrownBy(() -> new CmaEs(filled(0), s, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sigma0 = " + s);
        assertThatThrownBy(() -> new CmaEs(new double[0], 0.3, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x0 is empty");
        assertThatThrownBy(() -> new CmaEs(new double[] {1, Double.NaN}, 0.3, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x0[1] = NaN");
        double[] bad = new CmaEs(filled(0), 0.3, 0, 1).state().toArray();
        assertThatThrownBy(() -> CmaState.fromArray(Arrays.copyOf(bad, bad.length - 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("for n = 10, expected " + bad.length);
    }
}
