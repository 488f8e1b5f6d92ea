package latte.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoTest {
    @TempDir
    Path dir;

    @Test
    void pngRoundTripsExactly() throws Exception {
        Task t = Envs.task("reacher-easy", 64, 48);
        t.reset(1);
        Frame f = t.render();
        Path p = dir.resolve("f.png");
        Video.writePng(f, p);
        BufferedImage img = ImageIO.read(p.toFile());
        assertThat(img.getWidth()).isEqualTo(64);
        assertThat(img.getHeight()).isEqualTo(48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int rgb = img.getRGB(x, y);
                assertThat((rgb >> 16) & 0xff).isEqualTo(f.at(y, x, 0));
                assertThat((rgb >> 8) & 0xff).isEqualTo(f.at(y, x, 1));
                assertThat(rgb & 0xff).isEqualTo(f.at(y, x, 2));
            }
        }
    }

    @Test
    void gifHoldsEveryFrameWithCloseColours() throws Exception {
        Env env = Envs.make("cartpole-swingup");
        env.reset(0);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            frames.add(env.render());
            env.step(new float[] {1});
        }
        Path p = dir.resolve("e.gif");
        Video.writeGif(frames, p, 40);
        assertThat(Files.size(p)).isLessThan(40_000);
        try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(12);
            BufferedImage last = reader.read(11);
            Frame f = frames.get(11);
            double err = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int rgb = last.getRGB(x, y);
                    err += Math.abs(((rgb >> 16) & 0xff) - f.at(y, x, 0)) + Math.abs(((rgb >> 8) & 0xff) - f.at(y, x, 1))
                            + Math.abs((rgb & 0xff) - f.at(y, x, 2));
                }
            }
            assertThat(err / (64 * 64 * 3)).isCloseTo(0, within(3.0)); // mean error under 3 levels of 255
        }
    }
}
