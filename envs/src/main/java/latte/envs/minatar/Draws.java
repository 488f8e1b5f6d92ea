package latte.envs.minatar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The one random source of a MinAtar game (MINATAR.md, "Conventions"): every random choice of
 * the game and of the sticky-action wrapper goes through it, in the order the page gives.
 * A seeded source draws from {@link SplittableRandom}; a {@link DrawRecorder} logs the draws of
 * another source; {@link #replay} plays a recorded list back, so that an episode replays bit for
 * bit.
 */
public interface Draws {
    /** A uniform draw in [0, 1). */
    double rand();

    /** A uniform integer in [low, high); needs {@code low < high}. */
    int randint(int low, int high);

    /** A uniform integer in [0, n). */
    default int randint(int n) {
        return randint(0, n);
    }

    /** Draws from {@code SplittableRandom(seed)}. */
    static Draws seeded(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Draws() {
            @Override
            public double rand() {
                return rng.nextDouble();
            }

            @Override
            public int randint(int low, int high) {
                if (low >= high) throw new IllegalArgumentException("randint(" + low + ", " + high + "): empty range");
                return rng.nextInt(low, high);
            }
        };
    }

    /** Plays {@code draws} back in order; see {@link ReplayDraws} for the checks. */
    static ReplayDraws replay(List<Draw> draws) {
        return new ReplayDraws(draws);
    }

    /**
     * Reads a draws file: one draw per line ({@link Draw#parse}); blank lines and lines starting
     * with {@code #} are skipped. A bad line throws an {@link IllegalArgumentException} naming the
     * file and the line.
     */
    static List<Draw> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("draws file " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        List<Draw> draws = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                draws.add(Draw.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("draws file " + file + ", line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return draws;
    }

    /** Writes a draws file that {@link #read} reads back exactly (a comment line first). */
    static void write(Path file, List<Draw> draws, String comment) {
        StringBuilder sb = new StringBuilder();
        if (comment != null && !comment.isBlank()) sb.append("# ").append(comment.strip().replace("\n", "\n# ")).append('\n');
        for (Draw d : draws) sb.append(d.line()).append('\n');
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("draws file " + file + ": cannot write", e);
        }
    }
}
