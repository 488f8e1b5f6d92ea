package latte.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in a real browser: a debug training with {@code --dashboard} in a JVM of its own,
 * Debian's headless Chromium driven by Selenium through chromedriver. The page must load without
 * a console error, show the run, and then show a new chart point and a new picture pushed by the
 * live stream while the run trains; a path-traversal request is refused. The screenshot goes to
 * target/dashboard.png (docs/img/dashboard.png is one of these).
 *
 * <p>Chromium and chromedriver come from Debian ({@code apt-get install chromium chromium-driver};
 * .ci/run installs them when missing). Without them the test fails under CI (environment
 * variable CI set) and is skipped, saying how to install them, elsewhere.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aTrainingRunShowsLiveInTheBrowserWithoutConsoleErrorsAndTraversalIsRefused(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            String missing = "the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run installs them)";
            if (System.getenv("CI") != null) fail(missing);
            Assumptions.abort(missing);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path runs = Files.createDirectories(dir.resolve("runs"));
        Path log = dir.resolve("train.log");
        Process train = Subprocess.startLatte(dir, log, "train", "--agent", "planet", "--preset", "debug", "--episodes", "100",
                "--seed", "1", "--out", runs.resolve("live").toString(), "--dashboard", Integer.toString(port));
        ChromeDriver browser = null;
        try {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            waitFor("the dashboard to answer", log, () -> status(http, base + "/api/runs") == 200);

            browser = chromium(dir);
            browser.get(base + "/");
            JavascriptExecutor js = browser;
            waitFor("the page to list the run", log, () -> Boolean.TRUE.equals(js.executeScript(
                    "return document.querySelectorAll('#runs tbody tr').length === 1 && window.dash.primary === 'live'")));
            long points = number(js, "return window.dash.points()"), frames = number(js, "return window.dash.framesLoaded");
            waitFor("a new chart point pushed by the live stream", log, () -> number(js, "return window.dash.points()") > points);
            waitFor("a new picture pushed by the live stream", log, () -> number(js, "return window.dash.framesLoaded") > frames);
            waitFor("the return chart and a loss chart", log, () -> number(js, "return document.querySelectorAll('.chart .uplot').length") >= 2);
            assertThat(number(js, "return document.getElementById('frame').naturalWidth")).as("live.png's width").isGreaterThan(100);
            assertThat((String) js.executeScript("return document.getElementById('config').textContent")).contains("planner", "horizon");
            assertThat((String) js.executeScript("return document.getElementById('status').textContent")).isEqualTo("live");

            // the page's smoothing is curve.png's: TensorBoard's debiased exponential average
            double[] y = {3, -1, 4, 1, 5, Double.NaN, 9, 2, 6};
            @SuppressWarnings("unchecked")
            List<Object> smoothed = (List<Object>) js.executeScript("return window.dash.smooth(arguments[0], 0.6).map(v => Number.isFinite(v) ? v : null)",
                    List.of(3, -1, 4, 1, 5, "x", 9, 2, 6));
            double[] expected = CurvePlot.smooth(y, 0.6);
            for (int i = 0; i < y.length; i++)
                if (Double.isFinite(y[i])) assertThat(((Number) smoothed.get(i)).doubleValue()).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-9));

            List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
            assertThat(severe).as("console errors").isEmpty();
            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            // reading only run files under --runs: traversal, encoded or not, and unknown files are refused
            for (String path : List.of("/api/run/../../../../etc/passwd", "/api/run/%2e%2e/%2e%2e/etc/config", "/api/run/..%2F..%2Fetc/config",
                    "/api/run/%2Fetc/config", "/static/../../../../etc/passwd", "/api/run/live/..%2Fconfig.json", "/api/run/live/episodes"))
                assertThat(rawGet(port, path)).as(path).matches("HTTP/1\\.1 40[34].*");
            assertThat(rawGet(port, "/api/run/live/config")).startsWith("HTTP/1.1 200");
        } finally {
            if (browser != null) browser.quit();
            train.destroy();
            if (!train.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) train.destroyForcibly().waitFor();
        }
    }

    private static ChromeDriver chromium(Path dir) throws IOException {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        // the machine has no network: nothing may try to reach one; a profile of its own in the temporary folder
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--window-size=1400,1700", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return d;
    }

    /** The status of a GET, or -1 while nothing listens. */
    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status line of a request sent byte for byte as written (no client normalises the path); never a file's content. */
    static String rawGet(int port, String path) throws IOException {
        String answer = latte.cli.dash.RawHttp.get(port, path, "127.0.0.1:" + port);
        assertThat(answer).as("the answer to " + path).doesNotContain("root:x:");
        return answer.lines().findFirst().orElse("");
    }

    private static long number(JavascriptExecutor js, String script) {
        Object v = js.executeScript(script);
        return v instanceof Number n ? n.longValue() : -1;
    }

    private static void waitFor(String what, Path log, BooleanSupplier condition) throws IOException, InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(250);
        }
        fail("waited " + WAIT.toSeconds() + " s for " + what + "; the training's output:\n" + Files.readString(log));
    }
}
