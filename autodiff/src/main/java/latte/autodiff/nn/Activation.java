package latte.autodiff.nn;

import latte.autodiff.FusedActivation;
import latte.autodiff.Ops;
import latte.autodiff.Var;
import latte.core.kernels.Elementwise;

/**
 * Elementwise activations by name (configs pick one). Each is also a {@link FusedActivation}:
 * {@link Linear#apply(Var, Activation)} runs it in place on the layer's output.
 */
public enum Activation implements FusedActivation {
    NONE, RELU, ELU, TANH, SIGMOID, SOFTPLUS;

    public Var apply(Var x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> Ops.relu(x);
            case ELU -> Ops.elu(x, 1f);
            case TANH -> Ops.tanh(x);
            case SIGMOID -> Ops.sigmoid(x);
            case SOFTPLUS -> Ops.softplus(x);
        };
    }

    /** The same activation in place on {@code a[off, off + n)}, without a tape (fused layers, inference buffers). */
    @Override
    public void apply(float[] a, int off, int n) {
        switch (this) {
            case NONE -> { }
            case RELU -> Elementwise.relu(a, off, a, off, n);
            case ELU -> Elementwise.elu(a, off, 1f, a, off, n);
            case TANH -> Elementwise.tanh(a, off, a, off, n);
            case SIGMOID -> Elementwise.sigmoid(a, off, a, off, n);
            case SOFTPLUS -> Elementwise.softplus(a, off, a, off, n);
        }
    }

    @Override
    public void chain(float[] y, int yOff, float[] dy, int dyOff, int n) {
        switch (this) {
            case NONE -> { }
            case RELU -> Elementwise.reluChain(y, yOff, dy, dyOff, n);
            case ELU -> Elementwise.eluChain(y, yOff, 1f, dy, dyOff, n);
            case TANH -> Elementwise.tanhChain(y, yOff, dy, dyOff, n);
            case SIGMOID -> Elementwise.sigmoidChain(y, yOff, dy, dyOff, n);
            case SOFTPLUS -> Elementwise.softplusChain(y, yOff, dy, dyOff, n);
        }
    }
}
