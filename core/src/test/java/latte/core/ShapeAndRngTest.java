package latte.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShapeAndRngTest {
    @Test
    void shapeBasics() {
        Shape s = Shape.of(3, 4);
        assertThat(s.numel()).isEqualTo(12);
        assertThat(s.rank()).isEqualTo(2);
        assertThat(s.dim(-1)).isEqualTo(4);
        assertThat(s).isEqualTo(Shape.of(3, 4)).hasSameHashCodeAs(Shape.of(3, 4)).isNotEqualTo(Shape.of(4, 3));
        assertThat(s.toString()).isEqualTo("[3, 4]");
        assertThat(Shape.scalar().numel()).isEqualTo(1);
        assertThat(Shape.scalar().toString()).isEqualTo("[]");
        assertThat(Shape.of(2, 0, 5).numel()).isZero();
        assertThat(s.contiguousStrides()).containsExactly(4, 1);
    }

    @Test
    void shapeRejectsBadDims() {
        assertThatThrownBy(() -> Shape.of(3, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Shape.of").hasMessageContaining("-1");
        assertThatThrownBy(() -> Shape.of(65536, 65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[65536, 65536]");
        assertThatThrownBy(() -> Shape.of(3, 4).dim(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("axis 2").hasMessageContaining("[3, 4]");
    }

    @Test
    void broadcastRules() {
        assertThat(Shape.broadcast("t", Shape.of(3, 1, 5), Shape.of(4, 1))).isEqualTo(Shape.of(3, 4, 5));
        assertThat(Shape.broadcast("t", Shape.scalar(), Shape.of(2, 3))).isEqualTo(Shape.of(2, 3));
        assertThat(Shape.broadcast("t", Shape.of(0, 1), Shape.of(1, 7))).isEqualTo(Shape.of(0, 7));
        assertThatThrownBy(() -> Shape.broadcast("Tensor.add", Shape.of(2, 3), Shape.of(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tensor.add").hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
    }

    @Test
    void sameSeedSameStream() {
        Rng a = new Rng(42), b = new Rng(42), c = new Rng(43);
        long[] x = new long[100], y = new long[100], z = new long[100];
        for (int i = 0; i < 100; i++) {
            x[i] = a.nextLong();
            y[i] = b.nextLong();
            z[i] = c.nextLong();
        }
        assertThat(x).isEqualTo(y);
        assertThat(Arrays.equals(x, z)).isFalse();
    }

    @Test
    void splitIsDeterministicAndIndependent() {
        Rng a = new Rng(7), b = new Rng(7);
        Rng ca = a.split(), cb = b.split();
        for (int i = 0; i < 50; i++) assertThat(ca.nextLong()).isEqualTo(cb.nextLong());
        // The child does not replay the parent and the parent's continuation is unaffected by the child.
        Rng p = new Rng(7);
        Rng child = p.split();
        long[] pc = new long[64], cc = new long[64];
        for (int i = 0; i < 64; i++) {
            pc[i] = p.nextLong();
            cc[i] = child.nextLong();
        }
        assertThat(Arrays.equals(pc, cc)).isFalse();
        Rng q = new Rng(7);
        q.nextLong(); // what split consumed
        for (int i = 0; i < 64; i++) assertThat(q.nextLong()).isEqualTo(pc[i]);
        // Crude independence: correlation of child and parent uniforms is near zero.
        Rng r = new Rng(11);
        Rng s = r.split();
        int n = 20000;
        double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(), v = s.nextDouble();
            sx += u; sy += v; sxy += u * v; sxx += u * u; syy += v * v;
        }
        double corr = (sxy / n - sx / n * sy / n) / Math.sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
        assertThat(Math.abs(corr)).isLessThan(0.03);
    }

    @Test
    void distributionsHaveTheRightMoments() {
        Rng r = new Rng(1);
        int n = 200_000;
        double s = 0, ss = 0, s4 = 0;
        for (int i = 0; i < n; i++) {
            double x = r.normal();
            s += x; ss += x * x; s4 += x * x * x * x;
        }
        assertThat(s / n).isBetween(-0.01, 0.01);
        assertThat(ss / n).isBetween(0.98, 1.02);
        assertThat(s4 / n).isBetween(2.9, 3.1); // kurtosis of a normal
        double us = 0;
        for (int i = 0; i < n; i++) {
            float u = r.uniform(-2f, 6f);
            assertThat(u).isGreaterThanOrEqualTo(-2f).isLessThan(6f);
            us += u;
        }
        assertThat(us / n).isBetween(1.97, 2.03);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[r.integers(7)]++;
        for (int c : counts) assertThat(c).isBetween(9600, 10400);
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = new Rng(3).permutation(1000);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) assertThat(sorted[i]).isEqualTo(i);
        assertThat(p).isNotEqualTo(sorted);
        assertThat(new Rng(3).permutation(1000)).isEqualTo(p);
    }

    @Test
    void rngRejectsBadArguments() {
        Rng r = new Rng(0);
        assertThatThrownBy(() -> r.integers(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rng.integers");
        assertThatThrownBy(() -> r.uniform(2f, 1f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rng.uniform");
        assertThatThrownBy(() -> r.permutation(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rng.permutation");
    }
}
