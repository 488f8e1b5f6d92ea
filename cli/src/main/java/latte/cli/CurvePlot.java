package latte.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import latte.autodiff.io.AtomicFile;
import latte.models.run.RunDir;

/**
 * curve.png of a run, two panels against environment steps: the episode returns (training
 * episodes, evaluations, the final evaluation and the random policy) and the model's losses on a
 * log scale. Each noisy series is drawn faint as recorded with its smoothed curve over it;
 * ticks are round numbers ({@link Ticks}); the legends sit right of the panels, outside the
 * data. Plain Java2D, headless.
 */
final class CurvePlot {
    /**
     * A curve: dots, a dashed line, a mean with its std, a faint raw line under its smoothed line, a
     * line through dots, or a line with a shaded band (points {x, y, lower, upper}).
     */
    record Series(String name, Color color, List<double[]> points, Style style) {}

    enum Style { DOTS, SMOOTHED, DASHED, MEAN_AND_STD, LINE, BAND }

    /** One panel of a figure of panels stacked vertically ({@link #writePanels}). */
    record Panel(String title, String xTitle, String yTitle, List<Series> series, boolean logY) {}

    /** Colours for series that are not one of a run's own curves (groups of runs, losses). */
    static final Color[] PALETTE = {new Color(46, 139, 87), new Color(190, 80, 190), new Color(230, 130, 0), new Color(90, 90, 210),
            new Color(150, 82, 45), new Color(0, 150, 150), new Color(220, 60, 100), Color.DARK_GRAY};

    private static final int WIDTH = 1200, HEIGHT = 760, LEFT = 90, PLOT_W = 820;
    private static final Color GRID = new Color(232, 232, 232), TEXT = new Color(40, 40, 40);
    /** The losses a family may report, in the order their colours are given. */
    static final List<String> LOSSES = List.of("reconstruction", "reward", "kl", "transitionNll", "overshooting", "continuation",
            "actor", "value", "vReconstruction", "vKl", "mNll", "mReward", "mDone");

    private CurvePlot() {}

    static void write(RunDir run) {
        Map<String, Object> summary = Files.exists(run.summary()) ? RunDir.readJson(run.summary()) : null;
        write(run.readMetrics(), summary, run.curve());
    }

    /** Draws the curves of {@code metrics} (metrics.jsonl's records) and, when given, summary.json's final figures. */
    static void write(List<Map<String, Object>> metrics, Map<String, Object> summary, Path png) {
        System.setProperty("java.awt.headless", "true");
        writePng(render(metrics, summary), png);
    }

    static BufferedImage render(List<Map<String, Object>> metrics, Map<String, Object> summary) {
        List<double[]> train = new ArrayList<>(), seed = new ArrayList<>(), eval = new ArrayList<>();
        List<double[]> best = new ArrayList<>(), median = new ArrayList<>(), sigma = new ArrayList<>();   // an evolution strategy's generations
        Map<String, List<double[]>> losses = new LinkedHashMap<>();
        for (String k : LOSSES) losses.put(k, new ArrayList<>());
        double xmax = 1;
        for (Map<String, Object> m : metrics) {
            double x = num(m.get("envSteps"));
            if (Double.isFinite(x)) xmax = Math.max(xmax, x);
            switch (String.valueOf(m.get("type"))) {
                case "episode" -> ("seed".equals(m.get("kind")) ? seed : train).add(new double[] {x, num(m.get("return"))});
                case "eval" -> eval.add(new double[] {x, num(m.get("returnMean"))});
                case "generation" -> {
                    double gen = num(m.get("generation"));
                    best.add(new double[] {gen, -num(m.get("bestFitness"))});
                    median.add(new double[] {gen, -num(m.get("medianFitness"))});
                    sigma.add(new double[] {gen, num(m.get("sigma"))});
                }
                case "train" -> {
                    for (String k : LOSSES)
                        if (m.get(k) instanceof Number n && n.doubleValue() > 0)
                            losses.get(k).add(new double[] {x, n.doubleValue(), num(m.get("trainStep"))});
                }
                default -> {}
            }
        }
        Color red = new Color(200, 50, 40), blue = new Color(40, 110, 180);
        List<Series> top = new ArrayList<>(List.of(
                new Series("seed episodes (random actions)", new Color(150, 150, 150), seed, Style.DOTS),
                new Series("training episodes (with noise)", blue, train, Style.SMOOTHED),
                new Series("evaluation episodes (no noise)", red, eval, Style.SMOOTHED)));
        if (summary != null) {
            double steps = num(summary.get("envSteps")), random = num(summary.get("randomReturnMean"));
            xmax = Math.max(xmax, steps);
            top.add(new Series("final evaluation (mean, std)", red,
                    List.of(new double[] {steps, num(summary.get("evalReturnMean")), num(summary.get("evalReturnStd"))}), Style.MEAN_AND_STD));
            top.add(new Series("random policy (mean)", Color.BLACK, List.of(new double[] {0, random}, new double[] {steps, random}), Style.DASHED));
        }
        // a staged family trains its models before it acts again (all at one environment step):
        // its losses are drawn against the training step instead
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, steps = 1;
        for (List<double[]> l : losses.values())
            for (double[] p : l) { lo = Math.min(lo, p[0]); hi = Math.max(hi, p[0]); steps = Math.max(steps, p[2]); }
        boolean byStep = hi == lo;
        Color[] palette = PALETTE;
        List<Series> bottom = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : losses.entrySet()) {
            Color c = palette[i++ % palette.length];
            List<double[]> pts = new ArrayList<>();
            for (double[] p : e.getValue()) pts.add(new double[] {byStep ? p[2] : p[0], p[1]});
            if (!pts.isEmpty()) bottom.add(new Series(e.getKey(), c, pts, Style.SMOOTHED));
        }

        boolean evolves = !best.isEmpty();
        BufferedImage img = new BufferedImage(WIDTH, evolves ? HEIGHT + 2 * 380 : HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        panel(g, 50, 300, "Episode return", "environment steps", "return", top, xmax, false);
        panel(g, 430, 260, "Model losses (training batches)", byStep ? "training step" : "environment steps", "loss, log scale", bottom,
                byStep ? steps : xmax, true);
        if (evolves) {
            double gens = best.getLast()[0];
            panel(g, 810, 260, "Evolution: each generation's candidates (fitness: return minus the weight penalty)", "generation",
                    "return", List.of(new Series("best candidate", red, best, Style.SMOOTHED),
                            new Series("median candidate", blue, median, Style.SMOOTHED)), Math.max(gens, 1), false);
            panel(g, 1190, 260, "Evolution: CMA-ES step size", "generation", "sigma, log scale",
                    List.of(new Series("sigma", PALETTE[0], sigma, Style.SMOOTHED)), Math.max(gens, 1), true);
        }
        g.dispose();
        return img;
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** Panels one under the other, each with its own x axis from 0 to its largest x, as a PNG. */
    static void writePanels(List<Panel> panels, Path png) {
        System.setProperty("java.awt.headless", "true");
        int h = 300, step = h + 120;
        BufferedImage img = new BufferedImage(WIDTH, 50 + step * panels.size() - 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            double xmax = p.series().stream().flatMap(s -> s.points().stream()).mapToDouble(q -> q[0]).filter(Double::isFinite).max().orElse(1);
            panel(g, 50 + i * step, h, p.title(), p.xTitle(), p.yTitle(), p.series(), Math.max(xmax, 1e-9), p.logY());
        }
        g.dispose();
        writePng(img, png);
    }

    private static void writePng(BufferedImage img, Path png) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFile.write(png, bytes.toByteArray());
    }

    /**
     * A sweep's curves.png: a panel per task, a curve per row of its results table (agent, preset,
     * settings): the mean over its seeds of the evaluation returns at each step (the episode returns
     * where a run evaluated nothing yet), smoothed over the faint means.
     */
    static void sweep(List<ResultsCommand.Run> runs, Path png) {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<Series>> panels = new LinkedHashMap<>();
        Color[] palette = {new Color(200, 50, 40), new Color(40, 110, 180), new Color(46, 139, 87), new Color(190, 80, 190),
                new Color(230, 130, 0), new Color(90, 90, 210), new Color(150, 82, 45), new Color(0, 150, 150)};
        double xmax = 1;
        for (Map.Entry<String, List<ResultsCommand.Run>> row : ResultsCommand.groups(runs).entrySet()) {
            String[] key = row.getKey().split("\t");
            List<double[]> eval = new ArrayList<>(), episodes = new ArrayList<>();
            for (ResultsCommand.Run r : row.getValue())
                for (Map<String, Object> m : new RunDir(r.dir()).readMetrics()) {
                    double x = num(m.get("envSteps"));
                    if ("eval".equals(m.get("type"))) eval.add(new double[] {x, num(m.get("returnMean"))});
                    if ("episode".equals(m.get("type"))) episodes.add(new double[] {x, num(m.get("return"))});
                    if (Double.isFinite(x)) xmax = Math.max(xmax, x);
                }
            java.util.TreeMap<Double, double[]> at = new java.util.TreeMap<>();          // x -> {sum, count}: the seeds' mean
            for (double[] p : eval.isEmpty() ? episodes : eval)
                if (Double.isFinite(p[1])) at.merge(p[0], new double[] {p[1], 1}, (u, v) -> new double[] {u[0] + v[0], u[1] + v[1]});
            List<double[]> pts = new ArrayList<>();
            at.forEach((x, sc) -> pts.add(new double[] {x, sc[0] / sc[1]}));
            List<Series> panel = panels.computeIfAbsent(key[1], k -> new ArrayList<>());
            String label = key[0] + " " + key[2] + " (" + row.getValue().size() + " seed" + (row.getValue().size() == 1 ? "" : "s")
                    + (eval.isEmpty() ? ", episodes" : "") + ")";
            panel.add(new Series(label, palette[panel.size() % palette.length], pts, Style.SMOOTHED));
        }
        int h = 300, gap = 110, height = Math.max(1, panels.size()) * (h + gap) + 40;
        BufferedImage img = new BufferedImage(WIDTH + 200, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        int y = 50;
        for (Map.Entry<String, List<Series>> p : panels.entrySet()) {
            panel(g, y, h, p.getKey() + ": evaluation return (mean over seeds)", "environment steps", "return", p.getValue(), xmax, false);
            y += h + gap;
        }
        g.dispose();
        writePng(img, png);
    }

    /**
     * TensorBoard's smoothing: an exponential moving average debiased for its start, so the first
     * points are not pulled towards zero. {@code weight} 0 returns the series unchanged.
     */
    static double[] smooth(double[] y, double weight) {
        double[] out = new double[y.length];
        double last = 0;
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                out[i] = y[i];
                continue;
            }
            last = last * weight + (1 - weight) * y[i];
            n++;
            out[i] = last / (1 - Math.pow(weight, n));
        }
        return out;
    }

    /** The smoothing weight for n points: the average spans about a tenth of the curve (0.6 to 0.95). */
    static double weightFor(int n) {
        return Math.clamp(1 - 10.0 / Math.max(1, n), 0.6, 0.95);
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void panel(Graphics2D g, int y0, int h, String title, String xTitle, String yTitle, List<Series> series, double xmax,
                              boolean logY) {
        int x0 = LEFT, w = PLOT_W;
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (double[] p : s.points()) {
                double lo = p[1], hi = p[1];
                if (s.style() == Style.MEAN_AND_STD && Double.isFinite(p[2])) {
                    lo -= p[2];
                    hi += p[2];
                }
                if (s.style() == Style.BAND && Double.isFinite(p[2]) && Double.isFinite(p[3])) {
                    lo = Math.min(lo, p[2]);
                    hi = Math.max(hi, p[3]);
                }
                if (!Double.isFinite(lo) || !Double.isFinite(hi)) continue;
                ymin = Math.min(ymin, lo);
                ymax = Math.max(ymax, hi);
            }
        boolean empty = !Double.isFinite(ymin);
        if (empty) {
            ymin = logY ? 1 : 0;
            ymax = logY ? 10 : 1;
        }
        // padding: 5% of the range, or of the decades on a log axis
        double a = logY ? Math.log10(ymin) : ymin, b = logY ? Math.log10(ymax) : ymax;
        if (b - a < 1e-9) {
            double d = logY ? 0.5 : Math.max(1, Math.abs(a) * 0.1);
            a -= d;
            b += d;
        }
        double pad = 0.05 * (b - a);
        final double lo = a - pad, hi = b + pad;
        Ticks yt = logY ? Ticks.log(Math.pow(10, lo), Math.pow(10, hi)) : Ticks.linear(lo, hi, 6);
        Ticks xt = Ticks.linear(0, xmax, 7);
        double xend = 1.02 * xmax;                                            // room for the final evaluation's marker
        java.util.function.DoubleUnaryOperator sx = x -> x0 + w * x / xend;
        java.util.function.DoubleUnaryOperator sy = y -> y0 + h - h * ((logY ? Math.log10(y) : y) - lo) / (hi - lo);

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12), bold = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        g.setFont(bold);
        g.setColor(TEXT);
        g.drawString(title, x0, y0 - 14);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (int k = 0; k < yt.values().size(); k++) {
            int yy = (int) Math.round(sy.applyAsDouble(yt.values().get(k)));
            if (yy < y0 || yy > y0 + h) continue;
            g.setColor(GRID);
            g.drawLine(x0 + 1, yy, x0 + w - 1, yy);
            g.setColor(TEXT);
            String l = yt.labels().get(k);
            g.drawString(l, x0 - 8 - fm.stringWidth(l), yy + fm.getAscent() / 2 - 1);
        }
        for (int k = 0; k < xt.values().size(); k++) {
            int xx = (int) Math.round(sx.applyAsDouble(xt.values().get(k)));
            g.setColor(GRID);
            g.drawLine(xx, y0 + 1, xx, y0 + h - 1);
            g.setColor(TEXT);
            String l = xt.labels().get(k);
            g.drawString(l, xx - fm.stringWidth(l) / 2, y0 + h + 6 + fm.getAscent());
        }
        g.setColor(TEXT);
        g.drawRect(x0, y0, w, h);
        g.drawString(xTitle, x0 + (w - fm.stringWidth(xTitle)) / 2, y0 + h + 2 * fm.getHeight() + 8);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yTitle, -(y0 + (h + fm.stringWidth(yTitle)) / 2), x0 - 62);
        g.setTransform(saved);
        if (empty) {
            g.drawString("(nothing recorded yet)", x0 + w / 2 - 60, y0 + h / 2);
            return;
        }

        g.setClip(x0 + 1, y0 + 1, w - 1, h - 1);
        for (Series s : series) {
            if (s.points().isEmpty()) continue;
            List<double[]> pts = s.points().stream().filter(p -> Double.isFinite(p[1])).toList();
            switch (s.style()) {
                case DOTS -> {
                    g.setColor(s.color());
                    for (double[] p : pts) dot(g, sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1]), 5);
                }
                case DASHED -> line(g, pts, sx, sy, s.color(), new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                        new float[] {8, 6}, 0));
                case LINE -> {
                    line(g, pts, sx, sy, s.color(), new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.setColor(s.color());
                    for (double[] p : pts) dot(g, sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1]), 7);
                }
                case SMOOTHED -> {
                    line(g, pts, sx, sy, faint(s.color()), new BasicStroke(1f));
                    if (pts.size() == 1) {
                        g.setColor(s.color());
                        dot(g, sx.applyAsDouble(pts.getFirst()[0]), sy.applyAsDouble(pts.getFirst()[1]), 6);
                    }
                    double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
                    if (logY) for (int i = 0; i < y.length; i++) y[i] = Math.log10(y[i]);         // smooth what the eye sees
                    double[] sm = smooth(y, weightFor(y.length));
                    List<double[]> smoothed = new ArrayList<>();
                    for (int i = 0; i < sm.length; i++) smoothed.add(new double[] {pts.get(i)[0], logY ? Math.pow(10, sm[i]) : sm[i]});
                    line(g, smoothed, sx, sy, s.color(), new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                }
                case BAND -> {
                    java.awt.geom.Path2D.Double band = new java.awt.geom.Path2D.Double();
                    for (int i = 0; i < pts.size(); i++) {
                        double[] p = pts.get(i);
                        if (i == 0) band.moveTo(sx.applyAsDouble(p[0]), sy.applyAsDouble(p[3]));
                        else band.lineTo(sx.applyAsDouble(p[0]), sy.applyAsDouble(p[3]));
                    }
                    for (int i = pts.size() - 1; i >= 0; i--) band.lineTo(sx.applyAsDouble(pts.get(i)[0]), sy.applyAsDouble(pts.get(i)[2]));
                    band.closePath();
                    g.setColor(new Color(s.color().getRed(), s.color().getGreen(), s.color().getBlue(), 60));
                    g.fill(band);
                    line(g, pts, sx, sy, s.color(), new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                }
                case MEAN_AND_STD -> {
                    g.setColor(s.color());
                    for (double[] p : pts) {
                        double xx = sx.applyAsDouble(p[0]);
                        if (Double.isFinite(p[2]) && p[2] > 0) {
                            g.setStroke(new BasicStroke(2f));
                            int top = (int) Math.round(sy.applyAsDouble(p[1] + p[2])), bottom = (int) Math.round(sy.applyAsDouble(p[1] - p[2]));
                            g.drawLine((int) Math.round(xx), top, (int) Math.round(xx), bottom);
                            g.drawLine((int) Math.round(xx) - 5, top, (int) Math.round(xx) + 5, top);
                            g.drawLine((int) Math.round(xx) - 5, bottom, (int) Math.round(xx) + 5, bottom);
                        }
                        dot(g, xx, sy.applyAsDouble(p[1]), 9);
                    }
                }
            }
        }
        g.setClip(null);

        // legend right of the panel, outside the data: inside, it would hide the late, best returns
        int lx = x0 + w + 18, ly = y0 + 14;
        for (Series s : series) {
            if (s.points().isEmpty()) continue;
            g.setColor(s.color());
            switch (s.style()) {
                case DOTS -> dot(g, lx + 10, ly - 4, 6);
                case MEAN_AND_STD -> {
                    g.setStroke(new BasicStroke(2f));
                    g.drawLine(lx + 10, ly - 10, lx + 10, ly + 2);
                    dot(g, lx + 10, ly - 4, 8);
                }
                case DASHED -> {
                    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
                    g.drawLine(lx, ly - 4, lx + 20, ly - 4);
                }
                default -> {
                    g.setStroke(new BasicStroke(2.2f));
                    g.drawLine(lx, ly - 4, lx + 20, ly - 4);
                }
            }
            g.setColor(TEXT);
            g.drawString(s.name(), lx + 28, ly);
            ly += 18;
        }
        if (series.stream().anyMatch(s -> s.style() == Style.SMOOTHED && !s.points().isEmpty())) {
            g.setColor(new Color(110, 110, 110));
            g.drawString("faint: as recorded; bold: smoothed", lx, ly + 6);
        }
    }

    /** The colour of a raw series under its smoothed line: a third of the colour on white. */
    static Color faint(Color c) {
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }

    private static void dot(Graphics2D g, double x, double y, int d) {
        g.fillOval((int) Math.round(x - d / 2.0), (int) Math.round(y - d / 2.0), d, d);
    }

    private static void line(Graphics2D g, List<double[]> pts, java.util.function.DoubleUnaryOperator sx,
                             java.util.function.DoubleUnaryOperator sy, Color c, Stroke stroke) {
        if (pts.isEmpty()) return;
        Path2D.Double path = new Path2D.Double();
        boolean first = true;
        for (double[] p : pts) {
            double x = sx.applyAsDouble(p[0]), y = sy.applyAsDouble(p[1]);
            if (!Double.isFinite(y)) continue;
            if (first) path.moveTo(x, y);
            else path.lineTo(x, y);
            first = false;
        }
        g.setColor(c);
        g.setStroke(stroke);
        g.draw(path);
    }
}
