package latte.autodiff;

/**
 * A naming scope inside a {@link ParamStore}: {@code store.scope("encoder").sub("conv1")
 * .param("weight", ...)} registers {@code encoder.conv1.weight}. Layers take one of these.
 */
public final class Params {
    private final ParamStore store;
    private final String prefix;

    Params(ParamStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public ParamStore store() {
        return store;
    }

    /** The dotted prefix of this scope ("" at the root). */
    public String prefix() {
        return prefix;
    }

    /** The child scope {@code prefix.name}. */
    public Params sub(String name) {
        check(name);
        return new Params(store, qualify(name));
    }

    /** Registers {@code prefix.name} with initial values {@code init} (copied). */
    public Var param(String name, float[] init, int... shape) {
        check(name);
        return store.add(qualify(name), init, shape);
    }

    /** Registers {@code prefix.name} filled with zeros. */
    public Var zeros(String name, int... shape) {
        return param(name, new float[Shapes.size(shape)], shape);
    }

    /** Registers {@code prefix.name} filled with {@code v}. */
    public Var constant(String name, float v, int... shape) {
        float[] d = new float[Shapes.size(shape)];
        java.util.Arrays.fill(d, v);
        return param(name, d, shape);
    }

    private String qualify(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private static void check(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("Params: name '" + name + "' must be non-empty and contain no '.' (use sub() for nesting)");
    }
}
