package latte.envs.perturb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Scalable;
import latte.envs.Space;
import latte.envs.Step;
import latte.envs.Task;
import org.junit.jupiter.api.Test;

/** Physics perturbations against closed forms, bit-identity before the onset, and the factory's errors. */
class PerturbPhysicsTest {

    private static float[] action(Space spec, SplittableRandom r) {
        if (spec instanceof Space.Discrete d) return new float[] {r.nextInt(d.n())};
        float[] a = new float[((Space.Box) spec).size()];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        return a;
    }

    @Test
    void physicsPerturbationsAreBitIdenticalBeforeTheirStepAndChangeTheDynamicsFromIt() {
        int at = 5;
        for (String env : List.of("cartpole-swingup", "cartpole-balance", "pendulum-swingup", "Pendulum-v1", "CartPole-v1")) {
            for (String name : List.of("mass", "gravity", "length")) {
                Env clean = Envs.make(env);
                PhysicsPerturbation p = (PhysicsPerturbation) Perturbations.of(name, 1.7, at).apply(Envs.make(env));
                assertThat(p.reset(11)).isEqualTo(clean.reset(11));
                SplittableRandom r = new SplittableRandom(3);
                boolean differed = false;
                for (int t = 1; t <= 8; t++) {
                    float[] a = action(clean.actionSpec(), r);
                    Step c = clean.step(a), s = p.step(a);
                    if (t < at) assertThat(s).as(env + " " + name + " step " + t).isEqualTo(c);
                    if (t == at) differed = !s.equals(c);
                    if (c.done() || s.done()) break;
                }
                assertThat(differed).as(env + " " + name + ": observation " + at + " is the first perturbed one").isTrue();
                Scalable task = (Scalable) p.unwrapped();
                assertThat(task.scale(p.constant())).isEqualTo(1.7);
                // a reset puts the factor back: the next episode is again the plain task up to the onset
                assertThat(p.reset(12)).isEqualTo(clean.reset(12));
                assertThat(task.scale(p.constant())).isEqualTo(1.0);
                for (int t = 1; t < at; t++) {
                    float[] a = action(clean.actionSpec(), r);
                    assertThat(p.step(a)).isEqualTo(clean.step(a));
                }
            }
        }
    }

    private static PhysicsPerturbation perturb(Task t, String name, double factor) {
        return (PhysicsPerturbation) Perturbations.of(name, factor, 0).apply(t);
    }

    @Test
    void pendulumV1GravityAndLengthScaleTheAngularAccelerationAsTheFormulaSays() {
        // Gymnasium: th'_1 = th'_0 + (3 g / (2 l) sin th + 3 / (m l^2) u) dt with g = 10, l = m = 1, dt = 0.05
        double th = 1.0;
        for (double s : new double[] {0.5, 1.5, 3}) {
            Task t = Envs.task("Pendulum-v1", 64, 64);
            PhysicsPerturbation p = perturb(t, "gravity", s);
            p.reset(0);
            t.setPhysicsState(new double[] {th, 0});
            p.step(new float[] {0});
            assertThat(t.physicsState()[1]).as("gravity x" + s).isCloseTo(3 * 10 * s / 2 * Math.sin(th) * 0.05, within(1e-12));

            Task t2 = Envs.task("Pendulum-v1", 64, 64);
            PhysicsPerturbation q = perturb(t2, "length", s);
            q.reset(0);
            t2.setPhysicsState(new double[] {th, 0});
            q.step(new float[] {1});
            double l = s;
            assertThat(t2.physicsState()[1]).as("length x" + s).isCloseTo((3 * 10 / (2 * l) * Math.sin(th) + 3 / (l * l)) * 0.05, within(1e-12));

            Task t3 = Envs.task("Pendulum-v1", 64, 64);
            PhysicsPerturbation m = perturb(t3, "mass", s);
            m.reset(0);
            t3.setPhysicsState(new double[] {th, 0});
            m.step(new float[] {2});
            assertThat(t3.physicsState()[1]).as("mass x" + s).isCloseTo((15 * Math.sin(th) + 3 / s * 2) * 0.05, within(1e-12));
        }
    }

    @Test
    void pendulumSwingupFactorsEnterTorqueAndInertia() {
        // MuJoCo Euler from rest: th'_1 = dt m g l sin th / (I + dt b), I = s_m (0.251 + m l^2 (s_l^2 - 1)), b = 0.1, dt = 0.02
        double th = 2.0, dt = 0.02, b = 0.1;
        double[][] cases = {{1, 1, 1}, {2, 1, 1}, {1, 0.5, 1}, {1, 1, 2}};
        for (double[] c : cases) {
            double sm = c[0], sg = c[1], sl = c[2];
            Task t = Envs.task("pendulum-swingup", 64, 64);
            Env env = new PhysicsPerturbation(new PhysicsPerturbation(new PhysicsPerturbation(t, 0,
                    Scalable.Constant.MASS, sm), 0, Scalable.Constant.GRAVITY, sg), 0, Scalable.Constant.LENGTH, sl);
            env.reset(0);
            t.setPhysicsState(new double[] {th, 0});
            env.step(new float[] {0});
            double inertia = sm * (0.251 + 0.25 * (sl * sl - 1));
            double expected = dt * (sm * 9.81 * sg * 0.5 * sl * Math.sin(th)) / (inertia + dt * b);
            assertThat(t.physicsState()[1]).as("m x%s g x%s l x%s", sm, sg, sl).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void cartpoleV1GravityScalesThePoleTermOfTheAngularAcceleration() {
        // Gymnasium CartPole from rest: temp = F / (M + m), th'' = (g sin th - cos th temp) / (l (4/3 - m cos^2 th / (M + m))), th'_1 = 0.02 th''
        double th = 0.1, f = 10, total = 1.1, l = 0.5, m = 0.1;
        for (double s : new double[] {0.25, 2}) {
            Task t = Envs.task("CartPole-v1", 64, 64);
            PhysicsPerturbation p = perturb(t, "gravity", s);
            p.reset(0);
            t.setPhysicsState(new double[] {0, 0, th, 0});
            p.step(new float[] {1});
            double temp = f / total, c = Math.cos(th);
            double thacc = (9.8 * s * Math.sin(th) - c * temp) / (l * (4.0 / 3.0 - m * c * c / total));
            assertThat(t.physicsState()[3]).isCloseTo(0.02 * thacc, within(1e-12));
        }
    }

    @Test
    void cartpoleGravityScalesTheAngularAccelerationFromRest() {
        // dm_control cartpole from rest with no force: th'' = (M + m) m l g sin th / ((M + m)(I + m l^2) - (m l cos th)^2),
        // linear in g; after one RK4 step of 0.01 s th' = th'' dt to within O(dt^2) relative error.
        double th = 0.3, bigM = 1, m = 0.1, l = 0.5, r = 0.045, h = 1;
        double vc = Math.PI * r * r * h, vs = 4.0 / 3.0 * Math.PI * r * r * r, mc = m * vc / (vc + vs), ms = m * vs / (vc + vs);
        double inertia = mc * (3 * r * r + h * h) / 12 + ms * (2 * r * r / 5 + h * h / 4 + 3 * h * r / 8);
        double[] thd = new double[3];
        double[] scales = {1, 0.5, 2};
        for (int i = 0; i < 3; i++) {
            Task t = Envs.task("cartpole-swingup", 64, 64);
            PhysicsPerturbation p = perturb(t, "gravity", scales[i]);
            p.reset(0);
            t.setPhysicsState(new double[] {0, th, 0, 0});
            p.step(new float[] {0});
            thd[i] = t.physicsState()[3];
            double c = Math.cos(th);
            double acc = (bigM + m) * m * l * 9.81 * scales[i] * Math.sin(th) / ((bigM + m) * (inertia + m * l * l) - m * l * c * m * l * c);
            assertThat(thd[i] / 0.01).isCloseTo(acc, within(0.01 * acc));
        }
        assertThat(thd[1] / thd[0]).isCloseTo(0.5, within(1e-3));
        assertThat(thd[2] / thd[0]).isCloseTo(2, within(1e-3));
    }

    @Test
    void cartpoleLengthMovesTheDrawnPoleToo() {
        Task a = Envs.task("cartpole-swingup", 64, 64), b = Envs.task("cartpole-swingup", 64, 64);
        a.setPhysicsState(new double[] {0, 0, 0, 0});
        b.setPhysicsState(new double[] {0, 0, 0, 0});
        ((Scalable) b).setScale(Scalable.Constant.LENGTH, 0.5);
        assertThat(b.render()).isNotEqualTo(a.render());
        ((Scalable) b).setScale(Scalable.Constant.LENGTH, 1);
        assertThat(b.render()).isEqualTo(a.render());
    }

    @Test
    void factoryNamesAndBadInputGiveClearMessages() {
        assertThat(Perturbations.names()).containsExactly("colour", "occlude", "noise", "mass", "gravity", "length");
        assertThat(Perturbations.of(" Gravity ", 2, 3)).isEqualTo(new Perturbations.Spec(Perturbations.Kind.GRAVITY, 2, 3));
        assertThatThrownBy(() -> Perturbations.of("wind", 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown perturbation 'wind'")
                .hasMessageContainingAll("colour", "occlude", "noise", "mass", "gravity", "length");
        assertThatThrownBy(() -> Perturbations.of(null, 1, 0)).hasMessageContaining("known: colour");
        assertThatThrownBy(() -> Perturbations.of("noise", -1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("noise magnitude -1.0").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Perturbations.of("noise", Double.NaN, 0)).hasMessageContaining("noise magnitude NaN");
        assertThatThrownBy(() -> Perturbations.of("mass", 0, 0)).hasMessageContaining("mass magnitude 0.0, expected scale factor of the mass, > 0");
        assertThatThrownBy(() -> Perturbations.of("gravity", -2, 0)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> Perturbations.of("length", Double.POSITIVE_INFINITY, 0)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> Perturbations.of("occlude", 1.5, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Perturbations.of("occlude", 0, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Perturbations.of("colour", 400, 0)).hasMessageContaining("[-360, 360]");
        assertThatThrownBy(() -> Perturbations.of("gravity", 2, -1)).hasMessageContaining("at = -1, expected a step >= 0");
        Env pm = Envs.make("pendulum-swingup");
        assertThatThrownBy(() -> new ColourShift(pm, -3, 10)).hasMessageContaining("at = -3");
        assertThatThrownBy(() -> new PixelNoise(pm, 0, -0.5, 1)).hasMessageContaining("sigma = -0.5");
        assertThatThrownBy(() -> new Occlusion(pm, 0, 60, 10, 8, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not inside the 64x64 frame");
        assertThatThrownBy(() -> new Occlusion(pm, 0, -1, 0, 8, 0)).hasMessageContaining("not inside");
        assertThatThrownBy(() -> new Occlusion(pm, 0, 0, 0, 0, 0)).hasMessageContaining("size >= 1");
        assertThatThrownBy(() -> new PhysicsPerturbation(pm, 0, Scalable.Constant.MASS, 0)).hasMessageContaining("mass factor 0.0");
    }

    @Test
    void aPhysicsPerturbationOnATaskWithoutTheConstantNamesTheTasksThatHaveIt() {
        assertThatThrownBy(() -> Perturbations.of("gravity", 2, 0).apply(Envs.make("reacher-easy")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reacher-easy has no gravity to scale")
                .hasMessageContaining("environments with one: cartpole-swingup, cartpole-balance, cartpole-swingup-sparse, pendulum-swingup, Pendulum-v1, CartPole-v1");
        assertThatThrownBy(() -> Perturbations.of("length", 2, 0).apply(Envs.make("point-mass-windy")))
                .hasMessageContaining("point-mass-windy has no length to scale").hasMessageNotContaining("point-mass-windy,");
        assertThatThrownBy(() -> Perturbations.of("mass", 2, 0).apply(Envs.make("MinAtar/Breakout")))
                .hasMessageContaining("MinAtar/Breakout has no mass").hasMessageContaining("point-mass-easy, point-mass-windy");
        assertThat(Perturbations.supporting(Scalable.Constant.MASS)).contains("point-mass-easy", "point-mass-windy").doesNotContain("reacher-easy");
        // the task itself refuses a constant it does not have, and bad factors
        Scalable pointMass = (Scalable) Envs.task("point-mass-easy", 64, 64);
        assertThatThrownBy(() -> pointMass.setScale(Scalable.Constant.GRAVITY, 2)).hasMessageContaining("point-mass-easy: no gravity to scale; it scales mass");
        assertThatThrownBy(() -> pointMass.setScale(Scalable.Constant.MASS, -1)).hasMessageContaining("expected a finite value > 0");
    }
}
