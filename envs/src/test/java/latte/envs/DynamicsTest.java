package latte.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Physics against hand-computed steps, independent straightforward implementations written
 * here from the original formulas, and conservation laws of the undamped, unactuated systems.
 */
class DynamicsTest {

    @Test
    void pendulumV1MatchesAnIndependentImplementation() {
        PendulumV1 env = new PendulumV1(64, 64);
        env.reset(3);
        double th = env.physicsState()[0], thd = env.physicsState()[1];
        SplittableRandom actions = new SplittableRandom(9);
        for (int t = 0; t < 200; t++) {
            double u = actions.nextDouble(-2.5, 2.5);
            double uc = Math.max(-2, Math.min(2, (float) u));
            double norm = Math.atan2(Math.sin(th), Math.cos(th)); // same as ((th + pi) mod 2pi) - pi
            double cost = norm * norm + 0.1 * thd * thd + 0.001 * uc * uc;
            thd = Math.max(-8, Math.min(8, thd + (15 * Math.sin(th) + 3 * uc) * 0.05));
            th = th + thd * 0.05;
            Step s = env.step(new float[] {(float) u});
            assertThat(s.reward()).isCloseTo(-cost, within(1e-9));
            assertThat(s.info().physics()[0]).isCloseTo(th, within(1e-12));
            assertThat(s.info().physics()[1]).isCloseTo(thd, within(1e-12));
            assertThat(s.observation().state()).containsExactly((float) Math.cos(th), (float) Math.sin(th), (float) thd);
        }
    }

    @Test
    void cartPoleV1MatchesAnIndependentImplementation() {
        CartPoleV1 env = new CartPoleV1(64, 64);
        env.setPhysicsState(new double[] {0.01, -0.02, 0.03, 0.04});
        double x = 0.01, xd = -0.02, th = 0.03, thd = 0.04;
        int[] actions = {1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0};
        for (int a : actions) {
            double f = a == 1 ? 10 : -10;
            // Barto, Sutton & Anderson (1983) with total mass 1.1, pole mass x half length 0.05
            double tmp = (f + 0.05 * thd * thd * Math.sin(th)) / 1.1;
            double alpha = (9.8 * Math.sin(th) - Math.cos(th) * tmp) / (0.5 * (4.0 / 3 - 0.1 * Math.cos(th) * Math.cos(th) / 1.1));
            double acc = tmp - 0.05 * alpha * Math.cos(th) / 1.1;
            x += 0.02 * xd;
            xd += 0.02 * acc;
            th += 0.02 * thd;
            thd += 0.02 * alpha;
            Step s = env.step(new float[] {a});
            assertThat(s.info().physics()).containsExactly(new double[] {x, xd, th, thd}, within(1e-12));
        }
    }

    @Test
    void mountainCarStepByHand() {
        MountainCarContinuous env = new MountainCarContinuous(64, 64);
        env.setPhysicsState(new double[] {-0.5, 0});
        Step s = env.step(new float[] {1});
        double v = 0.0015 - 0.0025 * Math.cos(-1.5); // 0.00132316...
        assertThat(s.info().physics()[1]).isCloseTo(v, within(1e-15));
        assertThat(s.info().physics()[0]).isCloseTo(-0.5 + v, within(1e-15));
        // the left wall stops the car
        env.setPhysicsState(new double[] {-1.19, -0.07});
        s = env.step(new float[] {-1});
        assertThat(s.info().physics()).containsExactly(-1.2, 0.0);
        // reaching x >= 0.45 with v >= 0 terminates with +100
        env.setPhysicsState(new double[] {0.44, 0.02});
        s = env.step(new float[] {0});
        assertThat(s.terminated()).isTrue();
        assertThat(s.reward()).isEqualTo(100.0);
    }

    /** Acrobot via the Lagrangian mass matrix D(q) q'' = [0, a] - C - G, solved by Cramer's rule. */
    private static double[] acrobotDerivative(double[] s, double a) {
        double q2 = s[1], w1 = s[2], w2 = s[3];
        double d11 = 0.25 + 1 + 0.25 + 2 * 0.5 * Math.cos(q2) + 1 + 1; // m1 lc1^2 + m2 (l1^2 + lc2^2 + 2 l1 lc2 cos) + I1 + I2
        double d12 = 0.25 + 0.5 * Math.cos(q2) + 1;
        double d22 = 0.25 + 1;
        double h = 0.5 * Math.sin(q2); // m2 l1 lc2 sin q2
        double g1 = (0.5 + 1) * 9.8 * Math.sin(s[0]) + 0.5 * 9.8 * Math.sin(s[0] + q2);
        double g2 = 0.5 * 9.8 * Math.sin(s[0] + q2);
        double r1 = -(-h * w2 * w2 - 2 * h * w1 * w2) - g1;
        double r2 = a - h * w1 * w1 - g2;
        double det = d11 * d22 - d12 * d12;
        return new double[] {w1, w2, (r1 * d22 - d12 * r2) / det, (d11 * r2 - d12 * r1) / det};
    }

    @Test
    void acrobotMatchesTheLagrangianEquations() {
        AcrobotV1 env = new AcrobotV1(64, 64);
        double[] s = {0.3, -0.2, 0.5, -0.4};
        env.setPhysicsState(s);
        int[] actions = {2, 2, 0, 1, 2, 0, 0, 2, 1, 2};
        for (int act : actions) {
            double a = act - 1, dt = 0.2;
            double[] k1 = acrobotDerivative(s, a), y = new double[4];
            for (int i = 0; i < 4; i++) y[i] = s[i] + dt / 2 * k1[i];
            double[] k2 = acrobotDerivative(y, a);
            for (int i = 0; i < 4; i++) y[i] = s[i] + dt / 2 * k2[i];
            double[] k3 = acrobotDerivative(y, a);
            for (int i = 0; i < 4; i++) y[i] = s[i] + dt * k3[i];
            double[] k4 = acrobotDerivative(y, a);
            for (int i = 0; i < 4; i++) s[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            s[0] = Math.atan2(Math.sin(s[0]), Math.cos(s[0]));
            s[1] = Math.atan2(Math.sin(s[1]), Math.cos(s[1]));
            s[2] = Math.max(-4 * Math.PI, Math.min(4 * Math.PI, s[2]));
            s[3] = Math.max(-9 * Math.PI, Math.min(9 * Math.PI, s[3]));
            Step st = env.step(new float[] {act});
            assertThat(st.info().physics()).containsExactly(s, within(1e-9));
        }
    }

    @Test
    void pendulumSwingupAndPointMassStepsByHand() {
        PendulumSwingup p = new PendulumSwingup(64, 64);
        p.setPhysicsState(new double[] {Math.PI / 2, 0});
        Step s = p.step(new float[] {0});
        double w = 0.02 * (1 * 9.81 * 0.5) / (0.251 + 0.02 * 0.1); // implicit damping: (I + h b)^-1
        assertThat(s.info().physics()[1]).isCloseTo(w, within(1e-14));
        assertThat(s.info().physics()[0]).isCloseTo(Math.PI / 2 + 0.02 * w, within(1e-14));
        assertThat(w).isCloseTo(0.387747, within(1e-6));

        PointMass m = new PointMass(64, 64);
        m.setPhysicsState(new double[] {0.1, -0.1, 0, 0.05});
        s = m.step(new float[] {1, -2}); // second control clipped to -1
        double vx = 0.02 * 0.1 / (0.3 + 0.02), vy = 0.05 + 0.02 * (-0.1 - 0.05) / (0.3 + 0.02);
        assertThat(s.info().physics()).containsExactly(new double[] {0.1 + 0.02 * vx, -0.1 + 0.02 * vy, vx, vy}, within(1e-15));
        // the wall at 0.29 stops the mass
        m.setPhysicsState(new double[] {0.289, 0, 1, 0});
        s = m.step(new float[] {1, 0});
        assertThat(s.info().physics()[0]).isEqualTo(0.29);
        assertThat(s.info().physics()[2]).isEqualTo(0.0);
    }

    @Test
    void undampedCartpoleConservesEnergyAndMomentum() {
        Cartpole c = new Cartpole("cartpole-swingup", true, false, 0, 0, 64, 64);
        // zero total momentum keeps the cart near the middle of the rail
        c.setPhysicsState(new double[] {0, 2.0, -0.05 * Math.cos(2.0) / 1.1, 1.0});
        double e0 = c.energy();
        double p0 = momentum(c.physicsState());
        for (int t = 0; t < 5000; t++) { // 50 s of free swinging
            c.step(new float[] {0});
            double[] s = c.physicsState();
            assertThat(Math.abs(s[0])).isLessThan(Cartpole.RAIL); // the rail stop never acts here
        }
        assertThat(c.energy()).isCloseTo(e0, within(1e-6 * Math.abs(e0) + 1e-9));
        // x is cyclic: (M + m) x' + m l cos(th) th' is conserved exactly by the equations of motion
        assertThat(momentum(c.physicsState())).isCloseTo(p0, within(1e-8));
    }

    private static double momentum(double[] s) {
        return 1.1 * s[2] + 0.1 * 0.5 * Math.cos(s[1]) * s[3];
    }

    @Test
    void dampedCartpoleLosesEnergy() {
        Cartpole c = new Cartpole("cartpole-swingup", true, false, 64, 64);
        c.setPhysicsState(new double[] {0, 2.0, 0.5, 1.0});
        double e0 = c.energy();
        for (int t = 0; t < 1000; t++) c.step(new float[] {0});
        assertThat(c.energy()).isLessThan(e0);
    }

    @Test
    void undampedPendulumSwingupKeepsItsEnergyBounded() {
        PendulumSwingup p = new PendulumSwingup(0, 64, 64);
        p.setPhysicsState(new double[] {2.0, 0});
        double e0 = p.energy(), worst = 0;
        for (int t = 0; t < 20000; t++) {
            p.step(new float[] {0});
            worst = Math.max(worst, Math.abs(p.energy() - e0));
        }
        // symplectic Euler: the error oscillates with amplitude O(omega dt) of m g l and does not grow
        assertThat(worst).isLessThan(0.05 * 9.81 * 0.5);
        double late = 0;
        for (int t = 0; t < 2000; t++) {
            p.step(new float[] {0});
            late = Math.max(late, Math.abs(p.energy() - e0));
        }
        assertThat(late).isLessThan(worst * 1.05);
    }

    @Test
    void unactuatedAcrobotConservesEnergy() {
        // the equations conserve energy: integrate them finely
        AcrobotV1 a = new AcrobotV1(64, 64);
        double[] s = {1.0, 0.5, 0, 0}, k = new double[4];
        a.setPhysicsState(s);
        double e0 = a.energy();
        double h = 1e-3;
        for (int t = 0; t < 10000; t++) { // 10 s, midpoint rule
            AcrobotV1.dsdt(s, 0, k);
            double[] mid = new double[4];
            for (int i = 0; i < 4; i++) mid[i] = s[i] + h / 2 * k[i];
            AcrobotV1.dsdt(mid, 0, k);
            for (int i = 0; i < 4; i++) s[i] += h * k[i];
        }
        a.setPhysicsState(s);
        assertThat(a.energy()).isCloseTo(e0, within(1e-5 * Math.abs(e0)));
        // Gymnasium's RK4 at dt = 0.2 keeps it to a few percent over 10 s
        a.setPhysicsState(new double[] {1.0, 0.5, 0, 0});
        for (int t = 0; t < 50; t++) a.step(new float[] {1}); // zero torque
        assertThat(a.energy()).isCloseTo(e0, within(0.03 * Math.abs(e0)));
    }

    @Test
    void undampedReacherConservesEnergyAndAngularMomentum() {
        Reacher r = new Reacher("reacher-easy", 0.05, 0, 64, 64);
        r.setPhysicsState(new double[] {0, 0.3, 1.0, -0.5, 0.1, 0.1});
        double e0 = r.energy(), l0 = angularMomentum(r.physicsState());
        for (int t = 0; t < 1000; t++) {
            r.step(new float[] {0, 0});
            assertThat(Math.abs(r.physicsState()[1])).isLessThan(Reacher.WRIST_LIMIT);
        }
        // semi-implicit Euler treats the Coriolis terms explicitly: small drift, no blow-up
        assertThat(r.energy()).isCloseTo(e0, within(0.06 * e0));
        assertThat(angularMomentum(r.physicsState())).isCloseTo(l0, within(0.03 * Math.abs(l0)));
    }

    /** Reacher mass matrix from the Jacobians of the link centres: M = sum m Jv^T Jv + I Jw^T Jw. */
    private static double[][] reacherMass(double q1, double q2) {
        double[][] m = new double[2][2];
        // link 1: centre at C1 (cos q1, sin q1); Jv = C1 [-sin q1, 0; cos q1, 0]; Jw = [1, 0]
        double[][] jv1 = {{-Reacher.C1 * Math.sin(q1), 0}, {Reacher.C1 * Math.cos(q1), 0}};
        double a = q1 + q2;
        double[][] jv2 = {{-Reacher.L1 * Math.sin(q1) - Reacher.C2 * Math.sin(a), -Reacher.C2 * Math.sin(a)},
                {Reacher.L1 * Math.cos(q1) + Reacher.C2 * Math.cos(a), Reacher.C2 * Math.cos(a)}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                m[i][j] = Reacher.M1 * (jv1[0][i] * jv1[0][j] + jv1[1][i] * jv1[1][j])
                        + Reacher.M2 * (jv2[0][i] * jv2[0][j] + jv2[1][i] * jv2[1][j])
                        + Reacher.I1 * (i == 0 && j == 0 ? 1 : 0) + Reacher.I2; // Jw2 = [1, 1]
            }
        }
        return m;
    }

    @Test
    void reacherStepMatchesMassMatrixFromJacobians() {
        Reacher r = new Reacher("reacher-easy", 0.05, 64, 64);
        double[] s = {0.4, -1.1, 2.0, -3.0, 0.1, 0.1};
        r.setPhysicsState(s);
        Step st = r.step(new float[] {0.7f, -0.3f});
        double dt = 0.02, b = 0.01, eps = 1e-6;
        double[][] m = reacherMass(s[0], s[1]);
        // Coriolis from the Lagrangian: c = -(dM/dq2 q2') v + 1/2 [0, v^T dM/dq2 v]   (M depends on q2 only)
        double[][] mp = reacherMass(s[0], s[1] + eps), mm = reacherMass(s[0], s[1] - eps);
        double[] v = {s[2], s[3]};
        double[][] dm = new double[2][2];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) dm[i][j] = (mp[i][j] - mm[i][j]) / (2 * eps);
        double vdv = v[0] * (dm[0][0] * v[0] + dm[0][1] * v[1]) + v[1] * (dm[1][0] * v[0] + dm[1][1] * v[1]);
        double f1 = 0.05 * 0.7f - v[1] * (dm[0][0] * v[0] + dm[0][1] * v[1]) - b * v[0];
        double f2 = 0.05 * -0.3f - v[1] * (dm[1][0] * v[0] + dm[1][1] * v[1]) + 0.5 * vdv - b * v[1];
        double a11 = m[0][0] + dt * b, a22 = m[1][1] + dt * b, a12 = m[0][1], det = a11 * a22 - a12 * a12;
        double v1 = v[0] + dt * (a22 * f1 - a12 * f2) / det, v2 = v[1] + dt * (a11 * f2 - a12 * f1) / det;
        assertThat(st.info().physics()).containsExactly(new double[] {s[0] + dt * v1, s[1] + dt * v2, v1, v2, 0.1, 0.1}, within(1e-9));
    }

    private static double angularMomentum(double[] s) {
        double c2 = Math.cos(s[1]);
        double m11 = Reacher.I1 + Reacher.M1 * Reacher.C1 * Reacher.C1 + Reacher.I2
                + Reacher.M2 * (Reacher.L1 * Reacher.L1 + Reacher.C2 * Reacher.C2 + 2 * Reacher.L1 * Reacher.C2 * c2);
        double m12 = Reacher.I2 + Reacher.M2 * (Reacher.C2 * Reacher.C2 + Reacher.L1 * Reacher.C2 * c2);
        return m11 * s[2] + m12 * s[3];
    }

    @Test
    void capsuleInertiaMatchesItsClosedFormLimits() {
        // a very thin capsule tends to a rod: m h^2 / 12
        assertThat(Inertia.capsulePerpendicular(2, 1e-6, 3)).isCloseTo(2 * 9 / 12.0, within(1e-5));
        // a zero-length capsule is a sphere: 2/5 m r^2
        assertThat(Inertia.capsulePerpendicular(2, 0.5, 0)).isCloseTo(0.4 * 2 * 0.25, within(1e-12));
        assertThat(Cartpole.POLE_INERTIA).isCloseTo(0.0094247, within(1e-6));
    }
}
