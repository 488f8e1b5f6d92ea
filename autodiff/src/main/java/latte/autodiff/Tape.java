package latte.autodiff;

import java.util.ArrayList;
import java.util.List;

/**
 * A Wengert list: every op whose inputs need a gradient appends one record (its output and a
 * backward closure) while the tape is current. Recording order is a topological order, so
 * {@link #backward} is a plain reverse loop over the records.
 *
 * <p>One tape per training step:
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *     Var loss = model.loss(batch);        // ops record onto the current tape
 *     tape.backward(loss);                 // d loss / d p accumulates into the store's grads
 * }
 * clip; adam.step(); store.zeroGrad();
 * }</pre>
 * Acting and planning run under {@link #noGrad()}: ops compute values only and allocate no graph.
 * Tapes and scopes nest per thread; closing restores the enclosing one.
 */
public final class Tape implements AutoCloseable {
    /** Restores the previously current tape on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Backward closure of one record: reads its output's grad, accumulates into input grads. */
    @FunctionalInterface
    interface Backward {
        void run();
    }

    private record Node(String op, Var out, Backward backward) {}

    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();

    private final List<Node> nodes = new ArrayList<>();
    private final Tape previous;
    private boolean closed;
    private boolean backwardDone;

    private Tape(Tape previous) {
        this.previous = previous;
    }

    /** Opens a tape and makes it current on this thread until {@link #close()}. */
    public static Tape record() {
        Tape t = new Tape(CURRENT.get());
        CURRENT.set(t);
        return t;
    }

    /** A scope in which nothing is recorded: op results carry no gradient. */
    public static Scope noGrad() {
        Tape prev = CURRENT.get();
        CURRENT.remove();
        return () -> CURRENT.set(prev);
    }

    /** The tape ops record onto, or null inside {@link #noGrad()} or outside any tape. */
    static Tape current() {
        return CURRENT.get();
    }

    /** Whether an op on this thread would record now. */
    public static boolean recording() {
        return CURRENT.get() != null;
    }

    /** Number of records so far. */
    public int size() {
        return nodes.size();
    }

    void add(String op, Var out, Backward backward) {
        if (backwardDone)
            throw new IllegalStateException(op + ": recording onto a tape whose backward has already run; open a new Tape per step");
        out.tape = this;
        nodes.add(new Node(op, out, backward));
    }

    /** Backpropagates from a scalar {@code loss}, seeding d loss / d loss = 1. */
    public void backward(Var loss) {
        if (loss.size != 1)
            throw new IllegalArgumentException("Tape.backward: loss has shape " + Shapes.str(loss.shape)
                    + " (" + loss.size + " elements); a scalar is expected, or pass a seed gradient of that shape");
        backward(loss, new float[] {1f});
    }

    /**
     * Backpropagates from {@code out} with the given seed gradient (a vector-Jacobian product:
     * every leaf receives {@code seed^T d out / d leaf}). Runs once per tape. Afterwards only
     * leaves hold gradients: each recorded result's gradient is released once it has been passed
     * on to the result's inputs.
     */
    public void backward(Var out, float[] seed) {
        if (backwardDone) throw new IllegalStateException("Tape.backward: already called on this tape; open a new Tape per step");
        if (seed.length != out.size)
            throw new IllegalArgumentException("Tape.backward: seed has " + seed.length + " elements, output "
                    + Shapes.str(out.shape) + " has " + out.size);
        if (!out.requiresGrad || out.tape != this)
            throw new IllegalArgumentException("Tape.backward: " + (out.name() == null ? "output" : out.name())
                    + " was not recorded on this tape (computed under noGrad, from constants only, or on another tape)");
        backwardDone = true;
        float[] g = out.g();
        for (int i = 0; i < out.size; i++) g[out.goff + i] += seed[i];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.set(i, null);
            if (n.out.grad != null) n.backward.run();
            // Every consumer of n.out has run, so its gradient is final and no longer needed: as in
            // PyTorch, intermediate results keep no gradient (leaves and parameters do). Dropping
            // it and the record (whose closure holds the activations) lets both be collected
            // during the backward pass instead of after it.
            n.out.grad = null;
        }
        nodes.clear();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        nodes.clear();
        if (CURRENT.get() == this) {
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }
}
