package latte.core;

/** The {@code k} largest entries along an axis, in descending order; indices are exact small integers as floats. */
public record TopK(Tensor values, Tensor indices) {}
