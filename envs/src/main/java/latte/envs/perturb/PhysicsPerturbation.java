package latte.envs.perturb;

import latte.envs.Env;
import latte.envs.Scalable;

/**
 * Scales one physical constant (mass, gravity or a length, see {@link Scalable}) of the task
 * under the wrappers by {@code factor} from step {@code at} on: before each step it sets the
 * task's factor to {@code factor} when the transition is perturbed and to 1 otherwise, and a
 * reset puts it back to 1 (or {@code factor} when {@code at} is 0). With factor 1 in force the
 * task is bit-identical to the unwrapped one.
 *
 * <p>Only one physics perturbation per constant should wrap a task: the last to step sets it.
 */
public final class PhysicsPerturbation extends Perturbation {
    private final Scalable.Constant constant;
    private final double factor;
    private final Scalable task;

    /** Throws when the task does not scale {@code constant}, naming the environments that do. */
    public PhysicsPerturbation(Env inner, int at, Scalable.Constant constant, double factor) {
        super(inner, at);
        if (constant == null) throw new IllegalArgumentException("PhysicsPerturbation: constant is null");
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("PhysicsPerturbation: " + constant.label() + " factor " + factor + ", expected a finite value > 0");
        }
        if (!(inner.unwrapped() instanceof Scalable s) || !s.scalable().containsKey(constant)) {
            throw new IllegalArgumentException("PhysicsPerturbation: " + inner.unwrapped().name() + " has no " + constant.label()
                    + " to scale; environments with one: " + String.join(", ", Perturbations.supporting(constant)));
        }
        this.constant = constant;
        this.factor = factor;
        this.task = s;
    }

    public Scalable.Constant constant() {
        return constant;
    }

    @Override
    public String kind() {
        return constant.label();
    }

    /** The scale factor. */
    @Override
    public double magnitude() {
        return factor;
    }

    @Override
    protected void episodeStarts(long seed, boolean seeded) {
        apply(activeAt(0));
    }

    @Override
    protected void beforeStep(boolean perturbed) {
        apply(perturbed);
    }

    private void apply(boolean perturbed) {
        double f = perturbed ? factor : 1;
        if (task.scale(constant) != f) task.setScale(constant, f);
    }
}
