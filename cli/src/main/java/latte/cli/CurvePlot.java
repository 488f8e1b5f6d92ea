package latte.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import latte.autodiff.io.AtomicFile;
import latte.models.run.RunDir;

/**
 * curve.png of a run: episode returns (training episodes, evaluations, the random policy's
 * mean) and the model losses against environment steps. Plain Java2D, headless.
 */
final class CurvePlot {
    private record Series(String name, Color color, List<double[]> points, boolean dots) {}

    private CurvePlot() {}

    static void write(RunDir run) {
        System.setProperty("java.awt.headless", "true");
        List<Map<String, Object>> metrics = run.readMetrics();
        List<double[]> train = new ArrayList<>(), seed = new ArrayList<>(), eval = new ArrayList<>();
        Map<String, List<double[]>> losses = new java.util.LinkedHashMap<>();
        for (Map<String, Object> m : metrics) {
            double x = num(m.get("envSteps"));
            switch (String.valueOf(m.get("type"))) {
                case "episode" -> ("seed".equals(m.get("kind")) ? seed : train).add(new double[] {x, num(m.get("return"))});
                case "eval" -> eval.add(new double[] {x, num(m.get("returnMean"))});
                case "train" -> {
                    for (String k : List.of("reconstruction", "reward", "kl", "transitionNll", "overshooting", "actor", "value"))
                        if (m.get(k) instanceof Number n) losses.computeIfAbsent(k, q -> new ArrayList<>()).add(new double[] {x, n.doubleValue()});
                }
                default -> {}
            }
        }
        List<Series> top = new ArrayList<>(List.of(
                new Series("seed episodes (random)", new Color(150, 150, 150), seed, true),
                new Series("training episodes (with noise)", new Color(70, 130, 180), train, false),
                new Series("evaluation (no noise)", new Color(200, 60, 40), eval, false)));
        if (java.nio.file.Files.exists(run.summary())) {
            Map<String, Object> s = RunDir.readJson(run.summary());
            double steps = num(s.get("envSteps"));
            top.add(new Series("final eval mean", new Color(200, 60, 40), List.<double[]>of(new double[] {steps, num(s.get("evalReturnMean"))}), true));
            top.add(new Series("random policy mean", Color.BLACK, List.of(new double[] {0, num(s.get("randomReturnMean"))},
                    new double[] {steps, num(s.get("randomReturnMean"))}), false));
        }
        Color[] palette = {new Color(46, 139, 87), new Color(218, 112, 214), new Color(255, 140, 0), new Color(100, 100, 220),
                new Color(160, 82, 45), new Color(0, 150, 150), Color.DARK_GRAY};
        List<Series> bottom = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : losses.entrySet())
            bottom.add(new Series(e.getKey(), palette[i++ % palette.length], log10(e.getValue()), false));

        // the legends sit right of the panels: inside, they hid the late episodes near the top right,
        // where a run that learns puts its best returns
        BufferedImage img = new BufferedImage(1130, 720, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1130, 720);
        panel(g, 70, 40, 800, 280, "Episode return vs environment steps", top, false);
        panel(g, 70, 400, 800, 260, "Model losses (log10) vs environment steps", bottom, true);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFile.write(run.curve(), bytes.toByteArray());
    }

    private static List<double[]> log10(List<double[]> pts) {
        List<double[]> out = new ArrayList<>();
        for (double[] p : pts) if (p[1] > 0) out.add(new double[] {p[0], Math.log10(p[1])});
        return out;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void panel(Graphics2D g, int x0, int y0, int w, int h, String title, List<Series> series, boolean logY) {
        double xmin = 0, xmax = 1, ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[1])) continue;
                xmax = Math.max(xmax, p[0]);
                ymin = Math.min(ymin, p[1]);
                ymax = Math.max(ymax, p[1]);
            }
        if (!Double.isFinite(ymin)) { ymin = 0; ymax = 1; }
        if (ymax - ymin < 1e-9) { ymin -= 1; ymax += 1; }
        double pad = 0.05 * (ymax - ymin);
        ymin -= pad;
        ymax += pad;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, x0, y0 - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(x0, y0, w, h);
        for (int k = 0; k <= 4; k++) {
            double yv = ymin + (ymax - ymin) * k / 4;
            int yy = y0 + h - (int) Math.round(h * (yv - ymin) / (ymax - ymin));
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x0 + 1, yy, x0 + w - 1, yy);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, logY ? "1e%.1f" : "%.0f", yv), x0 - 55, yy + 4);
            double xv = xmin + (xmax - xmin) * k / 4;
            int xx = x0 + (int) Math.round(w * k / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.0f", xv), xx - 10, y0 + h + 16);
        }
        for (Series s : series) {
            if (s.points().isEmpty()) continue;
            g.setColor(s.color());
            g.setStroke(new BasicStroke(1.8f));
            int px = -1, py = -1;
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[1])) continue;
                int xx = x0 + (int) Math.round(w * (p[0] - xmin) / (xmax - xmin));
                int yy = y0 + h - (int) Math.round(h * (p[1] - ymin) / (ymax - ymin));
                if (s.dots() || s.points().size() == 1) g.fillOval(xx - 3, yy - 3, 6, 6);
                else if (px >= 0) g.drawLine(px, py, xx, yy);
                px = xx;
                py = yy;
            }
        }
        // legend right of the panel
        int lx = x0 + w + 14, ly = y0 + 12;
        for (Series s : series) {
            if (s.points().isEmpty()) continue;
            g.setColor(s.color());
            g.fillRect(lx, ly - 5, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), lx + 20, ly);
            ly += 15;
        }
    }
}
