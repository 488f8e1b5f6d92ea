package dev.latte.examples.basics;

import static latte.autodiff.LayerOps.matmul;
import static latte.autodiff.Ops.add;
import static latte.autodiff.Ops.square;
import static latte.autodiff.Ops.sub;
import static latte.autodiff.Ops.tanh;
import static latte.autodiff.ReduceOps.mean;

import java.util.Locale;
import latte.autodiff.Tape;
import latte.autodiff.Var;

/**
 * Builds a tiny network's loss on a tape and takes its gradient, then checks one entry against a
 * finite difference:
 * <pre>
 *   y = tanh(x W + b),   L = mean((y - t)^2),   dL/dW by Tape.backward
 * </pre>
 * Run: {@code java --add-modules jdk.incubator.vector -cp 'target/classes:target/lib/*' dev.latte.examples.basics.TensorGradient}
 */
public final class TensorGradient {
    private TensorGradient() {}

    public static void main(String[] args) {
        float[] w = {0.5f, -0.3f, 0.8f, 0.1f, -0.6f, 0.2f};          // [3, 2]
        float[] b = {0.05f, -0.05f};                                    // [2]
        float[] dw = new float[6];
        float loss;
        try (Tape tape = Tape.record()) {                                // every op below is recorded
            Var weight = Var.leaf(w.clone(), 3, 2), bias = Var.leaf(b.clone(), 2);
            Var l = loss(weight, bias);
            tape.backward(l);                                            // dL/d(every leaf)
            loss = l.item();
            System.arraycopy(weight.gradArray(), 0, dw, 0, 6);
        }
        // the same derivative by a central difference on W[1, 0]
        float h = 1e-2f;
        float[] up = w.clone(), down = w.clone();
        up[2] += h;
        down[2] -= h;
        double numeric;
        try (Tape.Scope ignored = Tape.noGrad()) {
            numeric = (loss(Var.of(up, 3, 2), Var.of(b, 2)).item() - loss(Var.of(down, 3, 2), Var.of(b, 2)).item()) / (2 * h);
        }
        System.out.printf(Locale.ROOT, "loss %.6f%n", loss);
        System.out.printf(Locale.ROOT, "dL/dW = [%.5f %.5f; %.5f %.5f; %.5f %.5f]%n", dw[0], dw[1], dw[2], dw[3], dw[4], dw[5]);
        System.out.printf(Locale.ROOT, "dL/dW[1,0]: tape %.5f, finite difference %.5f%n", dw[2], numeric);
    }

    /** L = mean((tanh(x W + b) - t)^2) on a fixed batch of 4 inputs. */
    static Var loss(Var weight, Var bias) {
        Var x = Var.of(new float[] {1, 0, -1, 0.5f, 2, 0, -1, 1, 1, 0, 0, 3}, 4, 3);   // [4, 3]
        Var t = Var.of(new float[] {0.2f, -0.1f, 0.9f, 0.3f, -0.5f, 0.4f, 0, 0}, 4, 2); // [4, 2]
        Var y = tanh(add(matmul(x, weight), bias));                                      // [4, 2]
        return mean(square(sub(y, t)));
    }
}
