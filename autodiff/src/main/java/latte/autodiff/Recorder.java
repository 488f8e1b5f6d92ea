package latte.autodiff;

/**
 * What every differentiable primitive does around its arithmetic: decide whether it records, wrap
 * its fresh output, and add its backward closure to the current {@link Tape}. The op classes
 * ({@link Ops}, {@link ShapeOps}, {@link ReduceOps}, {@link LayerOps}) import these statically.
 */
final class Recorder {
    private Recorder() {}

    /** Whether an op with these inputs records: a tape is current and an input needs a gradient. */
    static boolean needs(Var... in) {
        if (Tape.current() == null) return false;
        for (Var v : in) if (v.requiresGrad) return true;
        return false;
    }

    static Var result(float[] data, int[] shape, Var... in) {
        return new Var(data, 0, shape, needs(in));
    }

    static Var record(String op, Var y, Tape.Backward backward) {
        if (y.requiresGrad) Tape.current().add(op, y, backward);
        return y;
    }
}
