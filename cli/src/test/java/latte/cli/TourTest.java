package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/tour cannot rot: every page in the index exists in order; every step has an equation, a
 * link to code and a link to a test, and a command; every link leads to a file that exists, a
 * "File.java#method" link to a file that still has that method (a test link: that test), and every
 * {@code ./latte} command of a page still parses (its subcommand and options exist).
 */
class TourTest {
    private static final Path ROOT = Path.of(System.getProperty("latte.root", "..")).toAbsolutePath().normalize();
    private static final Path TOUR = ROOT.resolve("docs/tour");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern BASH = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theIndexListsTheNineStepsInTheSeedsOrder() throws IOException {
        String index = Files.readString(TOUR.resolve("README.md"));
        List<String> steps = steps();
        assertThat(steps).hasSize(9);
        int last = -1;
        for (int i = 0; i < steps.size(); i++) {
            String file = steps.get(i);
            assertThat(file).startsWith(String.format("%02d-", i + 1));
            int at = index.indexOf("(" + file + ")");
            assertThat(at).as("the index links %s", file).isGreaterThan(last);
            last = at;
            assertThat(Files.readString(TOUR.resolve(file))).as(file).startsWith("# " + (i + 1) + ". ");
        }
    }

    @Test
    void everyStepHasAnEquationItsCodeItsTestAndACommand() throws IOException {
        for (String file : steps()) {
            String page = Files.readString(TOUR.resolve(file));
            assertThat(page).as("%s: an equation", file).containsPattern("\\$\\$\\n[^$]+\\n\\$\\$");
            List<String> links = links(page);
            assertThat(links).as("%s: a link to code", file).anyMatch(l -> l.contains("/src/main/java/") && l.contains(".java#"));
            assertThat(links).as("%s: a link to a test", file).anyMatch(l -> l.contains("/src/test/java/") && l.contains(".java#"));
            assertThat(BASH.matcher(page).find()).as("%s: a command", file).isTrue();
        }
    }

    @Test
    void everyLinkLeadsToAFileAndEveryMethodOrTestStillExists() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (String link : links(Files.readString(page))) {
                if (link.startsWith("http://") || link.startsWith("https://") || link.startsWith("#")) continue;
                String path = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
                String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
                Path target = page.getParent().resolve(path).normalize();
                checked++;
                if (!Files.exists(target)) {
                    broken.add(page.getFileName() + ": " + link + " (no such file)");
                    continue;
                }
                if (!path.endsWith(".java") || anchor.isEmpty()) continue;
                String source = Files.readString(target);
                boolean found = path.contains("/src/test/")
                        ? Pattern.compile("void\\s+" + Pattern.quote(anchor) + "\\s*\\(").matcher(source).find()
                        : Pattern.compile("\\b" + Pattern.quote(anchor) + "\\s*\\(").matcher(source).find();
                if (!found) broken.add(page.getFileName() + ": " + link + (path.contains("/src/test/") ? " (no such test)" : " (no such method)"));
            }
        }
        assertThat(checked).isGreaterThan(60);
        assertThat(broken).as("broken links in docs/tour").isEmpty();
    }

    @Test
    void everyLatteCommandStillParses() throws IOException {
        List<String> failures = new ArrayList<>();
        int commands = 0;
        for (Path page : pages()) {
            Matcher m = BASH.matcher(Files.readString(page));
            while (m.find())
                for (String line : m.group(1).split("\\n"))
                    for (String part : line.split("&&|;")) {
                        String c = part.strip().replaceAll("\\$s\\b", "0");
                        if (!c.startsWith("./latte ")) continue;
                        commands++;
                        String[] args = Arrays.stream(c.substring("./latte ".length()).split("\\s+")).filter(a -> !a.isEmpty())
                                .map(a -> a.replaceAll("^'|'$", "")).toArray(String[]::new);
                        try {
                            Main.commandLine().parseArgs(args);
                        } catch (CommandLine.ParameterException e) {
                            failures.add(page.getFileName() + ": " + c + " -> " + e.getMessage());
                        }
                    }
        }
        assertThat(commands).isGreaterThanOrEqualTo(9);
        assertThat(failures).as("commands in docs/tour that no longer parse").isEmpty();
    }

    /** The step pages, in order: NN-name.md. */
    private static List<String> steps() throws IOException {
        try (Stream<Path> s = Files.list(TOUR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d-.*\\.md")).sorted().toList();
        }
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> s = Files.list(TOUR)) {
            return s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    private static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(markdown);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
