package latte.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reward functions against values computed by hand from dm_control's and Gymnasium's formulas. */
class RewardsTest {
    private static final double EPS = 1e-12;

    @Test
    void toleranceSigmoidsHitTheirValueAtTheMargin() {
        assertThat(Rewards.tolerance(0.3, 0, 0.5, 0.2)).isEqualTo(1.0); // inside
        assertThat(Rewards.tolerance(0.6, 0, 0.5, 0)).isEqualTo(0.0); // outside, no margin
        // distance one margin outside -> value_at_margin
        for (Rewards.Sigmoid s : new Rewards.Sigmoid[] {Rewards.Sigmoid.GAUSSIAN, Rewards.Sigmoid.LONG_TAIL}) {
            assertThat(Rewards.tolerance(-2, 0, 0, 2, s, 0.1)).isCloseTo(0.1, within(EPS));
        }
        assertThat(Rewards.tolerance(1.5, 0, 1, 0.5, Rewards.Sigmoid.QUADRATIC, 0.2)).isCloseTo(0.2, within(EPS));
        assertThat(Rewards.tolerance(1.5, 0, 1, 0.5, Rewards.Sigmoid.LINEAR, 0.2)).isCloseTo(0.2, within(EPS));
        // half a margin: gaussian 0.1^(1/4); long tail 1/(0.25*9+1); quadratic 1-0.25; linear 1-0.5
        assertThat(Rewards.tolerance(1, 0, 0, 2)).isCloseTo(Math.pow(0.1, 0.25), within(EPS));
        assertThat(Rewards.tolerance(1, 0, 0, 2, Rewards.Sigmoid.LONG_TAIL, 0.1)).isCloseTo(1 / 3.25, within(EPS));
        assertThat(Rewards.tolerance(-0.5, 0, 0, 1, Rewards.Sigmoid.QUADRATIC, 0)).isCloseTo(0.75, within(EPS));
        assertThat(Rewards.tolerance(0.5, 0, 0, 1, Rewards.Sigmoid.LINEAR, 0)).isCloseTo(0.5, within(EPS));
        assertThat(Rewards.tolerance(1.0, 0, 0, 1, Rewards.Sigmoid.QUADRATIC, 0)).isEqualTo(0.0);
        assertThatThrownBy(() -> Rewards.tolerance(1, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower bound");
    }

    @Test
    void cartpoleSmoothAndSparseRewards() {
        Cartpole c = new Cartpole("cartpole-swingup", true, false, 64, 64);
        c.setPhysicsState(new double[] {0, 0, 0, 0});
        assertThat(c.reward(0)).isCloseTo(1.0, within(EPS));
        // upright (cos + 1)/2 = 0.5; centered (1 + 10^-0.25)/2; control (4 + 0)/5; velocity (1 + 0.1)/2
        c.setPhysicsState(new double[] {1, Math.PI / 2, 0, 5});
        double expected = 0.5 * (1 + Math.pow(10, -0.25)) / 2 * 0.8 * 0.55;
        assertThat(c.reward(1)).isCloseTo(expected, within(1e-12));
        assertThat(expected).isCloseTo(0.1718577, within(1e-6));

        Cartpole sparse = new Cartpole("cartpole-swingup-sparse", true, true, 64, 64);
        sparse.setPhysicsState(new double[] {0.2, 0.05, 0, 0}); // cos 0.05 = 0.99875 >= .995
        assertThat(sparse.reward(1)).isEqualTo(1.0);
        sparse.setPhysicsState(new double[] {0.3, 0.0, 0, 0});
        assertThat(sparse.reward(0)).isEqualTo(0.0);
        sparse.setPhysicsState(new double[] {0.0, 0.1, 0, 0}); // cos 0.1 = 0.995004 >= .995
        assertThat(sparse.reward(0)).isEqualTo(1.0);
        sparse.setPhysicsState(new double[] {0.0, 0.1002, 0, 0}); // cos = 0.994985 < .995
        assertThat(sparse.reward(0)).isEqualTo(0.0);
    }

    @Test
    void pendulumSwingupRewardsWithinEightDegrees() {
        PendulumSwingup p = new PendulumSwingup(0, 64, 64);
        p.setPhysicsState(new double[] {Math.toRadians(7.9), 0});
        assertThat(p.step(new float[] {0}).reward()).isEqualTo(1.0); // one step moves it by ~0.0015 rad
        p.setPhysicsState(new double[] {Math.toRadians(-8.3), 0});
        assertThat(p.step(new float[] {0}).reward()).isEqualTo(0.0);
    }

    @Test
    void reacherRewardIsOneWithinTargetPlusFingerRadius() {
        Reacher easy = new Reacher("reacher-easy", 0.05, 64, 64), hard = new Reacher("reacher-hard", 0.015, 64, 64);
        // arm straight along x: finger at (0.24, 0); target 0.05 above it
        for (Reacher r : new Reacher[] {easy, hard}) r.setPhysicsState(new double[] {0, 0, 0, 0, 0.24, 0.05});
        assertThat(easy.reward()).isEqualTo(1.0); // 0.05 <= 0.05 + 0.01
        assertThat(hard.reward()).isEqualTo(0.0); // 0.05 > 0.015 + 0.01
        hard.setPhysicsState(new double[] {Math.PI / 2, 0, 0, 0, 0.02, 0.24}); // finger at (0, 0.24)
        assertThat(hard.reward()).isEqualTo(1.0); // 0.02 <= 0.025
        assertThat(hard.observe()[2]).isCloseTo(0.02f, within(1e-6f));
        assertThat(hard.observe()[3]).isCloseTo(0.0f, within(1e-6f));
    }

    @Test
    void pointMassRewardCombinesDistanceAndControl() {
        PointMass p = new PointMass(64, 64);
        p.setPhysicsState(new double[] {0, 0, 0, 0});
        assertThat(p.reward(0, 0)).isCloseTo(1.0, within(EPS));
        assertThat(p.reward(1, 0)).isCloseTo(0.9, within(EPS)); // (4 + (0 + 1)/2) / 5
        p.setPhysicsState(new double[] {0.018, 0.024, 0, 0}); // distance 0.03 = bound + one margin
        assertThat(p.reward(0, 0)).isCloseTo(0.1, within(1e-12));
        assertThat(p.reward(0.5, -0.5)).isCloseTo(0.1 * (4 + 0.75) / 5, within(1e-12));
    }

    @Test
    void gymnasiumRewards() {
        PendulumV1 p = new PendulumV1(64, 64);
        p.setPhysicsState(new double[] {Math.PI / 2, 1});
        double r = p.step(new float[] {3}).reward(); // torque clipped to 2
        assertThat(r).isCloseTo(-(Math.PI * Math.PI / 4 + 0.1 + 0.004), within(1e-12));
        p.setPhysicsState(new double[] {2 * Math.PI + 0.5, 0}); // angle normalised to 0.5
        assertThat(p.step(new float[] {0}).reward()).isCloseTo(-0.25, within(1e-12));
        p.setPhysicsState(new double[] {-3 * Math.PI - 0.25, 0}); // normalised to pi - 0.25
        assertThat(p.step(new float[] {0}).reward()).isCloseTo(-(Math.PI - 0.25) * (Math.PI - 0.25), within(1e-9));

        MountainCarContinuous m = new MountainCarContinuous(64, 64);
        m.setPhysicsState(new double[] {-0.5, 0});
        assertThat(m.step(new float[] {0.5f}).reward()).isCloseTo(-0.025, within(1e-9));
        m.setPhysicsState(new double[] {-0.5, 0});
        assertThat(m.step(new float[] {3f}).reward()).isCloseTo(-0.9, within(1e-6)); // unclipped action in the cost

        AcrobotV1 a = new AcrobotV1(64, 64);
        a.reset(0);
        assertThat(a.step(new float[] {1}).reward()).isEqualTo(-1.0);
        CartPoleV1 c = new CartPoleV1(64, 64);
        c.reset(0);
        assertThat(c.step(new float[] {0}).reward()).isEqualTo(1.0);
    }
}
