package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import latte.core.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curve.png: smoothed curves over the raw ones, legends outside the data. */
class CurvePlotTest {
    @Test
    void smoothingIsTensorBoardsDebiasedMovingAverage() {
        double[] y = {10, 20, 30};
        double w = 0.5;
        double[] s = CurvePlot.smooth(y, w);
        // debiased: the first point is itself, not pulled towards zero
        assertThat(s[0]).isEqualTo(10);
        assertThat(s[1]).isCloseTo((0.5 * 0.5 * 10 + 0.5 * 20) / (1 - 0.25), within(1e-12));
        assertThat(s[2]).isCloseTo((0.125 * 10 + 0.25 * 20 + 0.5 * 30) / (1 - 0.125), within(1e-12));
        assertThat(CurvePlot.smooth(new double[] {7, 7, 7, 7}, 0.9)).containsExactly(new double[] {7, 7, 7, 7}, within(1e-12));
        assertThat(CurvePlot.smooth(y, 0)).containsExactly(10, 20, 30);
        assertThat(CurvePlot.weightFor(10)).isEqualTo(0.6);
        assertThat(CurvePlot.weightFor(100)).isCloseTo(0.9, within(1e-12));
        assertThat(CurvePlot.weightFor(10_000)).isEqualTo(0.95);
    }

    @Test
    void theLegendSitsRightOfTheDataAndTheSmoothedCurveIsDrawn(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> metrics = new ArrayList<>();
        Rng rng = new Rng(1);
        for (int e = 1; e <= 120; e++) {
            long steps = 200L * e;
            double ret = -1600 + 12 * e + 300 * rng.normal();
            metrics.add(Map.of("type", "episode", "kind", e <= 5 ? "seed" : "train", "envSteps", steps, "return", ret));
            if (e > 5) metrics.add(Map.of("type", "train", "envSteps", steps, "reconstruction", 3000.0 / e, "kl", 3.0 + rng.uniform(0f, 1f),
                    "reward", 0.5));
            if (e % 5 == 0) metrics.add(Map.of("type", "eval", "envSteps", steps, "returnMean", ret));
        }
        Map<String, Object> summary = new LinkedHashMap<>(Map.of("envSteps", 24_000, "evalReturnMean", -150.0, "evalReturnStd", 40.0,
                "randomReturnMean", -1100.0));
        Path png = Path.of(System.getProperty("latte.curvePlotTest.out", dir.resolve("curve.png").toString()));
        CurvePlot.write(metrics, summary, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        int plotRight = 90 + 820;
        // the training curve's blue, bold in the data area and again in the legend right of it
        assertThat(count(img, 90, plotRight, 40, 110, 180)).isGreaterThan(100);
        assertThat(count(img, plotRight + 2, img.getWidth(), 40, 110, 180)).isGreaterThan(10);
        // and its faint version (the raw returns) under it
        java.awt.Color faint = CurvePlot.faint(new java.awt.Color(40, 110, 180));
        assertThat(count(img, 90, plotRight, faint.getRed(), faint.getGreen(), faint.getBlue())).isGreaterThan(100);
    }

    @Test
    void aRunWithoutRecordsStillGivesAPicture(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("empty.png");
        CurvePlot.write(List.of(), null, png);
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(760);
    }

    /** Pixels of exactly this colour in the columns [x0, x1). */
    private static int count(BufferedImage img, int x0, int x1, int r, int g, int b) {
        int n = 0, rgb = (r << 16) | (g << 8) | b;
        for (int x = x0; x < x1; x++)
            for (int y = 0; y < img.getHeight(); y++)
                if ((img.getRGB(x, y) & 0xffffff) == rgb) n++;
        return n;
    }
}
