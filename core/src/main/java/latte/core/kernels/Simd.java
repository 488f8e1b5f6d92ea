package latte.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place the vector width is chosen. Every kernel reads {@link #F}.
 *
 * <p>Default: the machine's preferred species (512-bit, 16 floats, on AVX-512). Override with
 * {@code -Dlatte.vectorBits=128|256|512} so the tests can run every width's code path on one
 * machine.
 */
public final class Simd {
    /** The float species every kernel uses. */
    public static final VectorSpecies<Float> F = choose(System.getProperty("latte.vectorBits"));
    /** Lanes of {@link #F}. */
    public static final int LANES = F.length();

    private Simd() {}

    static VectorSpecies<Float> choose(String bits) {
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        return switch (bits.trim()) {
            case "64" -> FloatVector.SPECIES_64;
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            case "max" -> FloatVector.SPECIES_MAX;
            default -> throw new IllegalArgumentException(
                    "latte.vectorBits: '" + bits + "' is not one of 64, 128, 256, 512, max");
        };
    }

    /** A one-line description for logs and benchmark reports. */
    public static String describe() {
        return F.vectorBitSize() + "-bit (" + LANES + " floats), preferred "
                + VectorShape.preferredShape().vectorBitSize() + "-bit";
    }
}
