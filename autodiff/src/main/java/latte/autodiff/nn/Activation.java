package latte.autodiff.nn;

import latte.autodiff.Ops;
import latte.autodiff.Var;

/** Elementwise activations by name (configs pick one). */
public enum Activation {
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
}
