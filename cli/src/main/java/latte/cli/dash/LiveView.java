package latte.cli.dash;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import latte.autodiff.io.AtomicFile;
import latte.autodiff.io.Json;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.family.AgentFamily;
import latte.models.family.Families;
import latte.models.loop.Learner;
import latte.models.loop.Trainer;
import latte.models.run.EpisodeFile;
import latte.models.run.RunDir;
import latte.models.world.Surprise;
import latte.models.world.WorldModel;

/**
 * What the dashboard shows of a model while it trains, written into the run directory after a
 * collected episode:
 * <pre>
 *   live.png      the family's dream of the episode just collected, {@link #COLUMNS} steps of it:
 *                 row 1 the real frames, row 2 the reconstructions, row 3 the open-loop imagination
 *   live-kl.json  the per-step surprise KL(q || p) of that episode ({@link Surprise}), for families
 *                 with a latent world model
 * </pre>
 * It runs on the trainer's thread between two pieces of work (the model is not being updated),
 * reads the episode from its file (no extra acting), and draws at most {@code share} of the time;
 * that time is reported to the trainer as time outside its clock, so the run's budget still
 * covers the whole command.
 */
public final class LiveView {
    public static final String PICTURE = "live.png", SURPRISE = "live-kl.json";
    /** Steps of the dream shown side by side, evenly spaced over the dream. */
    static final int COLUMNS = 10;
    /** Pictures drawn at consecutive episodes before the pace is set by their cost (see {@link #around}). */
    static final int WARM_UP = 3;
    /** Steps of the episode the surprise is computed over (the dream's length). */
    static final int STEPS = 60;

    private LiveView() {}

    /**
     * Draws the pictures of collected episode {@code episode} into the run directory; returns
     * whether there was anything to draw (a family without pictures draws nothing).
     */
    public static boolean write(RunDir run, Learner learner, int episode, long seed) {
        if (!Files.exists(run.episode(episode))) return false;
        EpisodeFile.Episode ep = EpisodeFile.read(run.episode(episode));
        AgentFamily<?> family = Families.get(learner.family());
        Rng rng = new Rng(seed * 31 + episode);                       // its own draws: the run's are untouched
        List<Frame> dream = family.dream(learner, ep, rng);
        if (dream.isEmpty()) return false;
        Optional<WorldModel> model = family.worldModel(learner);
        if (model.isPresent()) {
            float[] kl = Surprise.perStep(model.get(), ep, STEPS, rng);
            List<Double> values = new ArrayList<>(kl.length);
            for (float k : kl) values.add(Float.isFinite(k) ? (double) k : null);
            AtomicFile.write(run.path().resolve(SURPRISE), Json.write(RunDir.record("episode", episode, "kl", values)) + "\n");
        }
        AtomicFile.write(run.path().resolve(PICTURE), png(grid(dream, COLUMNS)));
        return true;
    }

    /**
     * The dream's rows (each one step: panels side by side) as a grid of {@code columns} steps:
     * panel p of the step in column c goes to row p, column c.
     */
    static BufferedImage grid(List<Frame> dream, int columns) {
        Frame first = dream.getFirst();
        int panels = 3, h = first.height(), w = first.width() / panels, cols = Math.min(columns, dream.size()), gap = 2;
        BufferedImage img = new BufferedImage(cols * w + (cols - 1) * gap, panels * h + (panels - 1) * gap, BufferedImage.TYPE_INT_RGB);
        for (int c = 0; c < cols; c++) {
            Frame f = dream.get(cols == 1 ? 0 : (int) Math.round(c * (dream.size() - 1.0) / (cols - 1)));
            byte[] d = f.data();
            for (int p = 0; p < panels; p++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        int i = (y * f.width() + p * w + x) * f.channels();
                        int r = d[i] & 0xff, g = f.channels() > 1 ? d[i + 1] & 0xff : r, b = f.channels() > 2 ? d[i + 2] & 0xff : r;
                        img.setRGB(c * (w + gap) + x, p * (h + gap) + y, (r << 16) | (g << 8) | b);
                    }
        }
        return img;
    }

    private static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code inner} plus the live pictures: after a newly collected episode, once the time since the
     * last picture is at least a picture's cost divided by {@code share} (the cheapest so far; the
     * first {@link #WARM_UP}, which pay the JIT's warm-up, at consecutive episodes). The time they
     * take is added to {@code inner}'s {@link Trainer.Listener#outsideSeconds()}.
     */
    public static Trainer.Listener around(Trainer.Listener inner, RunDir run, Learner learner, long seed, double share) {
        return new Trainer.Listener() {
            private int drawn = -1;
            private double spent, lastAt = Double.NEGATIVE_INFINITY, pace;
            private int pictures;
            private boolean failed;

            @Override
            public void progress(Trainer.Progress p) {
                inner.progress(p);
                boolean ending = p.phase().equals("final evaluation") || p.phase().equals("done");
                // the next picture waits until a picture's cost is `share` of the time since the last: a slow model
                // is drawn less often
                if (failed || ending || p.episode() < 1 || p.episode() == drawn || pace > 0 && p.elapsedSeconds() - lastAt < pace / share) return;
                long t0 = System.nanoTime();
                try {
                    write(run, learner, p.episode(), seed);
                } catch (RuntimeException e) {
                    inner.message("dashboard: cannot draw the live pictures (" + e.getMessage() + "); training goes on");
                    failed = true;                                          // said once; the run matters more
                    return;
                }
                double cost = (System.nanoTime() - t0) / 1e9;
                spent += cost;
                // the first pictures pay for class loading and the JIT's warm-up (seconds, then a tenth of that),
                // which later ones do not: the first WARM_UP are drawn at consecutive episodes, and from then on the
                // cheapest picture so far sets the pace
                pictures++;
                pace = pictures < WARM_UP ? 0 : pictures == WARM_UP ? cost : Math.min(pace, cost);
                lastAt = p.elapsedSeconds() + cost;
                drawn = p.episode();
            }

            @Override
            public void message(String line) {
                inner.message(line);
            }

            @Override
            public double outsideSeconds() {
                return inner.outsideSeconds() + spent;
            }
        };
    }
}
