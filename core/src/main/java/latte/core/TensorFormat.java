package latte.core;

/** {@link Tensor#toString()}: the shape, then the values nested by axis, long axes summarised. */
final class TensorFormat {
    private TensorFormat() {}

    /** {@code Tensor[2, 3] [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}; axes longer than 6 show 3 + ... + 3 once the tensor exceeds 100 elements. */
    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("Tensor").append(t.shape).append(' ');
        if (t.rank() == 0) return sb.append(t.data[t.offset]).toString();
        appendValues(t, sb, 0, t.offset, t.numel() > 100);
        return sb.toString();
    }

    private static void appendValues(Tensor t, StringBuilder sb, int axis, int pos, boolean summarize) {
        int n = t.shape.dim(axis);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 6 && i == 3) {
                sb.append("..., ");
                i = n - 3;
            }
            if (axis == t.rank() - 1) sb.append(t.data[pos + i * t.strides[axis]]);
            else appendValues(t, sb, axis + 1, pos + i * t.strides[axis], summarize);
            if (i < n - 1) sb.append(", ");
        }
        sb.append(']');
    }
}
