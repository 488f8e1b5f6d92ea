package latte.envs.perturb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import latte.envs.BaseEnv;
import latte.envs.Env;
import latte.envs.Envs;
import latte.envs.Scalable;
import latte.envs.Wrapper;

/**
 * The perturbations by name, for command lines and experiment configs:
 * <pre>
 *   Env env = Perturbations.of("gravity", 1.5, 100).apply(Envs.make("pendulum-swingup", options));
 *   ... env.step(a) ...;  Perturbations.active(env)   // the OOD label of the last observation
 * </pre>
 * {@link #of} checks the name, the magnitude and the step, and says what is valid when they are
 * not; {@link Spec#apply} checks what depends on the environment (the patch inside the frame,
 * the task having the constant).
 */
public final class Perturbations {
    private Perturbations() {}

    /** Every perturbation, with what its magnitude means. */
    public enum Kind {
        COLOUR("colour", "hue rotation in degrees, in [-360, 360]"),
        OCCLUDE("occlude", "side of a centred grey square as a fraction of the frame's shorter side, in (0, 1]"),
        NOISE("noise", "standard deviation of Gaussian pixel noise in grey levels (0..255), >= 0"),
        MASS("mass", "scale factor of the mass, > 0"),
        GRAVITY("gravity", "scale factor of gravity, > 0"),
        LENGTH("length", "scale factor of the pole or rod length, > 0");

        private final String label, magnitudeMeaning;

        Kind(String label, String magnitudeMeaning) {
            this.label = label;
            this.magnitudeMeaning = magnitudeMeaning;
        }

        /** The factory name. */
        public String label() {
            return label;
        }

        /** What the magnitude is, with its valid range. */
        public String magnitudeMeaning() {
            return magnitudeMeaning;
        }

        /** Whether it changes the frames (else the physics). */
        public boolean visual() {
            return this == COLOUR || this == OCCLUDE || this == NOISE;
        }

        /** The constant a physics kind scales; throws for a visual kind. */
        public Scalable.Constant constant() {
            return switch (this) {
                case MASS -> Scalable.Constant.MASS;
                case GRAVITY -> Scalable.Constant.GRAVITY;
                case LENGTH -> Scalable.Constant.LENGTH;
                default -> throw new IllegalStateException(label + " is a visual perturbation, not a physical constant");
            };
        }

        boolean valid(double m) {
            if (!Double.isFinite(m)) return false;
            return switch (this) {
                case COLOUR -> Math.abs(m) <= 360;
                case OCCLUDE -> m > 0 && m <= 1;
                case NOISE -> m >= 0;
                case MASS, GRAVITY, LENGTH -> m > 0;
            };
        }
    }

    /**
     * A checked perturbation, not yet applied to an environment.
     *
     * @param at the first step it touches (see {@link Perturbation})
     */
    public record Spec(Kind kind, double magnitude, int at) {
        public Spec {
            if (kind == null) throw new IllegalArgumentException("Perturbations: kind is null; known: " + String.join(", ", names()));
            if (!kind.valid(magnitude)) {
                throw new IllegalArgumentException("Perturbations: " + kind.label + " magnitude " + magnitude + ", expected " + kind.magnitudeMeaning);
            }
            if (at < 0) throw new IllegalArgumentException("Perturbations: at = " + at + ", expected a step >= 0");
        }

        /** Wraps {@code env}; pixel noise is seeded with 0 (see {@link #apply(Env, long)}). */
        public Perturbation apply(Env env) {
            return apply(env, 0);
        }

        /** Wraps {@code env}; {@code noiseSeed} seeds the pixel noise together with each reset's seed. */
        public Perturbation apply(Env env, long noiseSeed) {
            return switch (kind) {
                case COLOUR -> new ColourShift(env, at, magnitude);
                case OCCLUDE -> Occlusion.centred(env, at, magnitude);
                case NOISE -> new PixelNoise(env, at, magnitude, noiseSeed);
                case MASS, GRAVITY, LENGTH -> new PhysicsPerturbation(env, at, kind.constant(), magnitude);
            };
        }
    }

    /** The factory names: colour, occlude, noise, mass, gravity, length. */
    public static List<String> names() {
        return Arrays.stream(Kind.values()).map(Kind::label).toList();
    }

    /** The named perturbation with its magnitude, switching on at step {@code at}; throws with the valid values when any is bad. */
    public static Spec of(String name, double magnitude, int at) {
        return new Spec(kind(name), magnitude, at);
    }

    /** The kind called {@code name} (see {@link #names()}). */
    public static Kind kind(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Kind k : Kind.values()) if (k.label.equals(n)) return k;
        }
        StringBuilder known = new StringBuilder();
        for (Kind k : Kind.values()) known.append(known.isEmpty() ? "" : "; ").append(k.label).append(" (").append(k.magnitudeMeaning).append(')');
        throw new IllegalArgumentException("Perturbations: unknown perturbation '" + name + "'; known: " + known);
    }

    /** The registered environments whose task can scale {@code constant}. */
    public static List<String> supporting(Scalable.Constant constant) {
        List<String> out = new ArrayList<>();
        for (String name : Envs.names()) {
            BaseEnv e;
            try {
                e = Envs.bare(name, 8, 8);
            } catch (RuntimeException ex) {
                continue;
            }
            if (e instanceof Scalable s && s.scalable().containsKey(constant)) out.add(name);
        }
        return out;
    }

    /** The perturbations in a stack of wrappers, outermost first. */
    public static List<Perturbation> in(Env env) {
        List<Perturbation> out = new ArrayList<>();
        for (Env e = env; e instanceof Wrapper w; e = w.inner()) if (w instanceof Perturbation p) out.add(p);
        return out;
    }

    /** Whether any perturbation in the stack is active for the last observation returned (false when there is none). */
    public static boolean active(Env env) {
        for (Perturbation p : in(env)) if (p.active()) return true;
        return false;
    }
}
