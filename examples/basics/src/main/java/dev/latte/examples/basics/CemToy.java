package dev.latte.examples.basics;

import java.util.Locale;
import latte.core.Rng;
import latte.models.plan.Cem;

/**
 * Plans with the cross-entropy method on a toy model: a point on a line, x_{t+1} = x_t + 0.5 a_t,
 * rewarded -(x_{t+1} - 1)^2 each step, from x_0 = -1 over 8 steps with a in [-1, 1]. The best plan
 * drives right at full speed for 4 steps and then stays: its first action is 1. This is PlaNet's
 * planner (Cem) with the learned model replaced by the toy one.
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp 'target/classes:target/lib/*' dev.latte.examples.basics.CemToy
 * </pre>
 */
public final class CemToy {
    private CemToy() {}

    static final int H = 8;

    public static void main(String[] args) {
        Cem cem = new Cem(new Cem.Config(H, 300, 30, 8), new float[] {-1f}, new float[] {1f});
        // score every candidate sequence [H, J, A=1] under the toy model
        Cem.Objective toy = (actions, candidates, returns) -> {
            for (int j = 0; j < candidates; j++) returns[j] = (float) value(actions, candidates, j);
        };
        float[] first = cem.plan(toy, new Rng(0));
        float[] zeros = new float[H];
        System.out.printf(Locale.ROOT, "first planned action %.3f (the best is 1)%n", first[0]);
        System.out.printf(Locale.ROOT, "return of doing nothing %.3f%n", value(zeros, 1, 0));
    }

    /** The return of candidate j: actions at (t * J + j). */
    static double value(float[] actions, int candidates, int j) {
        double x = -1, r = 0;
        for (int t = 0; t < H; t++) {
            x += 0.5 * actions[t * candidates + j];
            r -= (x - 1) * (x - 1);
        }
        return r;
    }
}
