package latte.envs;

import java.util.Arrays;

/**
 * Side information of a reset or step: the full physical state after it (in the order of
 * {@link Task#stateNames()}) and the number of task steps since the last reset.
 */
public record Info(double[] physics, int elapsedSteps) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Info i && i.elapsedSteps == elapsedSteps && Arrays.equals(physics, i.physics);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(physics) + elapsedSteps;
    }

    @Override
    public String toString() {
        return "Info[physics=" + Arrays.toString(physics) + ", elapsedSteps=" + elapsedSteps + "]";
    }
}
