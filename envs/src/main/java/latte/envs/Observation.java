package latte.envs;

import java.util.Arrays;

/** What an environment returns: a state vector, or pixels ({@link Frame}). */
public sealed interface Observation permits Observation.State, Frame {

    /** A vector of floats (positions, velocities, sines and cosines of angles, ...). */
    record State(float[] values) implements Observation {
        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(values, s.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "State" + Arrays.toString(values);
        }
    }

    /** The state vector; throws if this is a frame. */
    default float[] state() {
        if (this instanceof State s) return s.values();
        throw new IllegalStateException("observation is a " + this + ", not a state vector");
    }

    /** The frame; throws if this is a state vector. */
    default Frame frame() {
        if (this instanceof Frame f) return f;
        throw new IllegalStateException("observation is a state vector, not a frame");
    }
}
