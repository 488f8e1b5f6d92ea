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
    /** Gradient buffers of shards 1 .. K-1 ({@link #shard}); shard 0 is {@link #grads}. */
    private float[][] shards = new float[0][];
    private int size;
    /** The shard the current thread is computing ({@link #shard}); 0 outside data-parallel steps. */
    private static final ThreadLocal<int[]> SHARD = ThreadLocal.withInitial(() -> new int[1]);
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
        v.store = this;
        v.named(name);
        params.put(name, new Param(name, v, size, n));
        size += n;
        return v;
    }

    private void grow(int need) {
        int cap = Math.max(need, values.length * 2);
        values = Arrays.copyOf(values, cap);
        grads = Arrays.copyOf(grads, cap);
        for (int k = 0; k < shards.length; k++) shards[k] = Arrays.copyOf(shards[k], cap);
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

    /**
     * Sets every gradient to zero (call once per step, after the optimiser). The shard buffers are
     * left alone: {@link #reduceShards()} empties them, so outside a data-parallel step they are zero.
     */
    public void zeroGrad() {
        Arrays.fill(grads, 0, size, 0f);
    }

    /** Zeroes the shard buffers without adding them up (a data-parallel step that failed). */
    void discardShards() {
        for (float[] s : shards) Arrays.fill(s, 0, size, 0f);
    }

    // ---------------------------------------------------------------- data-parallel gradients

    /**
     * Gives the store {@code k} gradient buffers (shard 0 is {@link #grads()}), so that {@code k}
     * threads can each backpropagate one shard of a batch at once: inside {@link #shard(int)}
     * every parameter's gradient accumulates into that shard's buffer, and {@link #reduceShards()}
     * adds them up afterwards. Call before the threads start (this allocates).
     */
    public void shards(int k) {
        if (k < 1) throw new IllegalArgumentException("ParamStore.shards: " + k + " shards (>= 1 expected)");
        if (shards.length >= k - 1) return;
        float[][] grown = Arrays.copyOf(shards, k - 1);
        for (int i = shards.length; i < k - 1; i++) grown[i] = new float[values.length];
        shards = grown;
    }

    /**
     * Makes this thread's parameter gradients, in every store, accumulate into shard {@code k}'s
     * buffers until the scope closes (one shard per thread at a time; stores must have
     * {@link #shards(int) k + 1 buffers}).
     */
    public static Tape.Scope shard(int k) {
        int[] current = SHARD.get();
        int previous = current[0];
        current[0] = k;
        return () -> current[0] = previous;
    }

    /** The gradient buffer of the shard the current thread is computing. */
    float[] shardGrads() {
        int k = SHARD.get()[0];
        if (k == 0) return grads;
        if (k > shards.length)
            throw new IllegalStateException("ParamStore: shard " + k + " of a store prepared for " + (shards.length + 1)
                    + " shards; call shards(K) before the data-parallel step");
        return shards[k - 1];
    }

    /**
     * Adds the gradients of shards 1 .. K-1 into {@link #grads()} in shard order (so the sum
     * does not depend on which thread ran which shard) and zeroes them.
     */
    public void reduceShards() {
        for (float[] s : shards) {
            for (int i = 0; i < size; i++) grads[i] += s[i];
            Arrays.fill(s, 0, size, 0f);
        }
    }

    /** The global L2 norm of all gradients, accumulated in double. */
    public double gradNorm() {
        double s = 0;
        for (int i = 0; i < size; i++) s += (double) grads[i] * grads[i];
        return Math.sqrt(s);
    }
}
