package latte.autodiff.nn;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.Params;
import latte.autodiff.Var;
import latte.core.Rng;

/**
 * A multi-layer perceptron: Linear layers named {@code 0, 1, ..} with {@code act} after every
 * layer except the last (which is linear). {@code Mlp(p, 30, [200, 200], 1, ELU)} is PlaNet's
 * reward model.
 */
public final class Mlp {
    private final List<Linear> layers = new ArrayList<>();
    private final Activation act;

    public Mlp(Params p, int in, int[] hidden, int out, Activation act, Rng rng) {
        this.act = act;
        int prev = in;
        for (int i = 0; i <= hidden.length; i++) {
            int next = i < hidden.length ? hidden[i] : out;
            layers.add(new Linear(p.sub(Integer.toString(i)), prev, next, rng));
            prev = next;
        }
    }

    /** x [.., in] -> [.., out]. */
    public Var apply(Var x) {
        for (int i = 0; i < layers.size(); i++) x = layers.get(i).apply(x, i < layers.size() - 1 ? act : Activation.NONE);
        return x;
    }

    /** Every layer's output for x [.., in]; the last is {@link #apply}'s result. */
    public List<Var> applyLayers(Var x) {
        List<Var> outs = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) outs.add(x = layers.get(i).apply(x, i < layers.size() - 1 ? act : Activation.NONE));
        return outs;
    }

    /**
     * {@code apply(x)} rebuilt from {@code outputs}, an earlier {@link #applyLayers} on inputs whose
     * first rows are x's, under the same parameters: the same values and gradients without the
     * forward GEMMs (a second loss on activations a first pass already computed).
     */
    public Var replay(Var x, List<Var> outputs) {
        if (outputs.size() != layers.size())
            throw new IllegalArgumentException("Mlp.replay: " + outputs.size() + " outputs for " + layers.size() + " layers");
        for (int i = 0; i < layers.size(); i++) x = layers.get(i).applyFrom(x, i < layers.size() - 1 ? act : Activation.NONE, outputs.get(i));
        return x;
    }

    public List<Linear> layers() {
        return List.copyOf(layers);
    }
}
