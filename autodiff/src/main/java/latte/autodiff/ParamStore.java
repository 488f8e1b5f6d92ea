package latte.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parameters of a model in ONE flat value array and ONE flat gradient array; each parameter
 * is a {@link Var} viewing its slice {@code [offset, offset + size)} of both. So the optimiser,
 * gradient clipping, zeroing and checkpointing are each a single loop over {@link #values()} /
 * {@link #grads()}, and {@code tape.backward(loss)} accumulates straight into {@link #grads()}.
 *
 * <p>Parameters are registered by hierarchical name ({@code encoder.conv1.weight}) through
 * {@link Params} scopes, in a fixed order (the layer constructors' order), so a seed and a config
 * determine the layout. Register every parameter before computing with them: growing the store
 * moves the arrays (existing parameter Vars are re-pointed, but values computed earlier keep
 * views of the old array).
 */
public final class ParamStore {
    /** One registered parameter: its name, its Var (a view) and where it lives in the flat arrays. */
    public record Param(String name, Var var, int offset, int size) {
        public int[] shape() {
            return var.shape();
        }
    }

    private float[] values = new float[256];
    private float[] grads = new float[256];
    private int size;
    private final Map<String, Param> params = new LinkedHashMap<>();

    /** The root scope: parameter names get no prefix. */
    public Params root() {
        return new Params(this, "");
    }

    /** A scope whose parameter names start with {@code prefix + "."}. */
    public Params scope(String prefix) {
        return root().sub(prefix);
    }

    /**
     * Registers a parameter {@code name} of {@code shape} with initial values {@code init}
     * (copied); returns its Var. Names must be unique.
     */
    public Var add(String name, float[] init, int... shape) {
        int n = Shapes.size(shape);
        if (params.containsKey(name)) throw new IllegalArgumentException("ParamStore.add: parameter '" + name + "' already exists");
        if (init.length != n)
            throw new IllegalArgumentException("ParamStore.add: '" + name + "' has shape " + Shapes.str(shape) + " (" + n + " values), init has " + init.length);
        if (size + n > values.length) grow(size + n);
        System.arraycopy(init, 0, values, size, n);
        Var v = new Var(values, size, shape.clone(), true);
        v.grad = grads;
        v.goff = size;
        v.named(name);
        params.put(name, new Param(name, v, size, n));
        size += n;
        return v;
    }

    private void grow(int need) {
        int cap = Math.max(need, values.length * 2);
        values = Arrays.copyOf(values, cap);
        grads = Arrays.copyOf(grads, cap);
        for (Param p : params.values()) {
            p.var.data = values;
            p.var.grad = grads;
        }
    }

    /** The live flat value array; only {@code [0, size())} is used. Write in place only. */
    public float[] values() {
        return values;
    }

    /** The live flat gradient array; only {@code [0, size())} is used. */
    public float[] grads() {
        return grads;
    }

    /** Total number of parameter floats. */
    public int size() {
        return size;
    }

    /** Parameters in registration order. */
    public List<Param> params() {
        return Collections.unmodifiableList(new ArrayList<>(params.values()));
    }

    /** The parameter called {@code name}, or an error listing what exists. */
    public Param param(String name) {
        Param p = params.get(name);
        if (p == null) throw new IllegalArgumentException("ParamStore: no parameter '" + name + "' (have " + params.keySet() + ")");
        return p;
    }

    public boolean contains(String name) {
        return params.containsKey(name);
    }

    /**
     * Freezes ({@code false}) or unfreezes every parameter. A frozen parameter is a constant to the
     * ops recorded while it is frozen and to the backward passes run while it is frozen: gradients
     * still flow through it to its inputs, but the weight-gradient products (a GEMM per linear layer)
     * are skipped. Dreamer's actor loss runs through the world model and the value model this way.
     * Unfreeze before recording a loss that trains the store.
     */
    public void trainable(boolean on) {
        for (Param p : params.values()) p.var.requiresGrad = on;
    }

    /** Sets every gradient to zero (call once per step, after the optimiser). */
    public void zeroGrad() {
        Arrays.fill(grads, 0, size, 0f);
    }

    /** The global L2 norm of all gradients, accumulated in double. */
    public double gradNorm() {
        double s = 0;
        for (int i = 0; i < size; i++) s += (double) grads[i] * grads[i];
        return Math.sqrt(s);
    }
}
