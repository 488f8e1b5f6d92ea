package latte.autodiff;

/**
 * An elementwise activation that {@link LayerOps#linear(Var, Var, Var, FusedActivation)} applies in
 * place to its own output and differentiates from that output alone, writing f'(z) as a function
 * of y = f(z) (ELU: {@code y > 0 ? 1 : y + alpha}; tanh: {@code 1 - y^2}). The layer then keeps
 * one array, y, where a matmul, a bias add and an activation op would keep three.
 * {@link latte.autodiff.nn.Activation} implements it.
 */
public interface FusedActivation {
    /** f(z) = z. */
    FusedActivation IDENTITY = new FusedActivation() {
        @Override public void apply(float[] y, int off, int n) { }
        @Override public void chain(float[] y, int yOff, float[] dy, int dyOff, int n) { }
    };

    /** {@code y = f(y)} in place on {@code y[off, off + n)}. */
    void apply(float[] y, int off, int n);

    /** {@code dy = dy f'(z)} in place on {@code dy[dyOff, ..)}, given {@code y = f(z)} at {@code y[yOff, ..)}. */
    void chain(float[] y, int yOff, float[] dy, int dyOff, int n);
}
