package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/basics, built with Maven against the installed jars (see {@link ExampleProject}), each
 * program run and its output checked: the tape's gradient equals the finite difference, the GIF
 * is written, CEM finds the best first action of the toy problem.
 */
class BasicsExamplesTest {
    @Test
    void theSmallExamplesBuildAndDoWhatTheySay(@TempDir Path dir) throws IOException {
        ExampleProject project = ExampleProject.build("basics", dir);

        Subprocess gradient = project.run(dir, "dev.latte.examples.basics.TensorGradient");
        assertThat(gradient.code()).as(gradient.err()).isZero();
        Matcher m = Pattern.compile("tape (-?[0-9.]+), finite difference (-?[0-9.]+)").matcher(gradient.out());
        assertThat(m.find()).as(gradient.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isCloseTo(Double.parseDouble(m.group(2)), org.assertj.core.data.Offset.offset(2e-4))
                .isNotZero();

        Subprocess gif = project.run(dir, "dev.latte.examples.basics.EnvGif", dir.resolve("pendulum.gif").toString(), "Pendulum-v1", "3");
        assertThat(gif.code()).as(gif.err()).isZero();
        assertThat(gif.out()).startsWith("Pendulum-v1: 61 frames of 64x64, return ");
        assertThat(new String(Files.readAllBytes(dir.resolve("pendulum.gif")), 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GIF89a");

        Subprocess cem = project.run(dir, "dev.latte.examples.basics.CemToy");
        assertThat(cem.code()).as(cem.err()).isZero();
        Matcher first = Pattern.compile("first planned action (-?[0-9.]+)").matcher(cem.out());
        assertThat(first.find()).as(cem.out()).isTrue();
        assertThat(Double.parseDouble(first.group(1))).isGreaterThan(0.95);
    }
}
