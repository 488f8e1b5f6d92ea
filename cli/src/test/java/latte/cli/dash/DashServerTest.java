package latte.cli.dash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's server without a browser: what it serves, what it refuses, and the live stream. */
class DashServerTest {
    @TempDir
    Path dir;
    private Path root;
    private DashServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void runs() throws IOException {
        root = Files.createDirectories(dir.resolve("runs"));
        run(root.resolve("a"));
        run(root.resolve("sweep/s0"));
        Files.createDirectories(root.resolve("a/episodes"));
        Files.writeString(root.resolve("a/episodes/000001.ep"), "not served");
        run(dir.resolve("secret"));                                           // outside --runs
        Files.createSymbolicLink(root.resolve("link"), dir.resolve("secret"));
        server = DashServer.start(DashServer.Options.of(root, dirs -> "| runs |\n|---|\n| " + dirs.size() + " |\n").withPort(0).withLive("a"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void run(Path d) throws IOException {
        Files.createDirectories(d);
        Files.writeString(d.resolve("config.json"), "{\"agent\":\"planet\",\"env\":\"Pendulum-v1\",\"seed\":3,\"version\":\"2\","
                + "\"config\":{\"preset\":\"debug\",\"model\":{\"loss\":{\"objective\":\"VARIATIONAL\"}}}}\n");
        Files.writeString(d.resolve("metrics.jsonl"), "{\"type\":\"episode\",\"episode\":1,\"envSteps\":200,\"return\":-900.5}\n"
                + "{\"type\":\"train\",\"episode\":1,\"envSteps\":200,\"trainStep\":2,\"reconstruction\":812.0}\n"
                + "{\"type\":\"episode\",\"epis");                          // a record being appended
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsTheRunsUnderTheRootAndServesTheirFiles() throws Exception {
        assertThat(server.uri().toString()).startsWith("http://127.0.0.1:");
        assertThat(server.exposed()).isFalse();
        String runs = get("/api/runs").body();
        assertThat(runs).startsWith("{\"live\":\"a\",\"runs\":[{\"name\":\"a\",\"agent\":\"planet\",\"env\":\"Pendulum-v1\",\"seed\":3,"
                + "\"preset\":\"debug\",\"objective\":\"VARIATIONAL\"");
        assertThat(runs).contains("\"name\":\"sweep/s0\"").doesNotContain("link", "secret");
        assertThat(get("/api/run/a/config").body()).contains("\"preset\":\"debug\"");
        assertThat(get("/api/run/sweep/s0/config").statusCode()).isEqualTo(200);

        // complete lines only: the record being appended is left for later
        assertThat(get("/api/run/a/metrics").body()).isEqualTo("{\"since\":0,\"next\":2,\"records\":["
                + "{\"type\":\"episode\",\"episode\":1,\"envSteps\":200,\"return\":-900.5},"
                + "{\"type\":\"train\",\"episode\":1,\"envSteps\":200,\"trainStep\":2,\"reconstruction\":812.0}]}");
        Files.writeString(root.resolve("a/metrics.jsonl"), "ode\":2,\"envSteps\":400,\"return\":-700}\n", StandardOpenOption.APPEND);
        assertThat(get("/api/run/a/metrics?since=2").body())
                .isEqualTo("{\"since\":2,\"next\":3,\"records\":[{\"type\":\"episode\",\"episode\":2,\"envSteps\":400,\"return\":-700}]}");

        assertThat(get("/api/run/a/frame").statusCode()).isEqualTo(404);        // no live picture yet
        Files.write(root.resolve("a/live.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        HttpResponse<String> frame = get("/api/run/a/frame");
        assertThat(frame.statusCode()).isEqualTo(200);
        assertThat(frame.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(get("/api/results").body()).isEqualTo("{\"markdown\":\"| runs |\\n|---|\\n| 2 |\\n\"}");
    }

    @Test
    void servesThePageAndTheChartLibraryFromTheClassPath() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.body()).contains("<script src=\"/static/uPlot.iife.min.js\"></script>", "/dash.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'self'"));
        assertThat(get("/static/uPlot.iife.min.js").body()).contains("uPlot");
        assertThat(get("/static/uPlot.min.css").statusCode()).isEqualTo(200);
        assertThat(get("/static/uPlot.esm.js").statusCode()).isEqualTo(404);
        assertThat(get("/dash.js").body()).contains("EventSource('/api/stream')");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesPathsOutsideTheRootAndFilesThatAreNotARunsOwn() throws Exception {
        for (String path : List.of("/api/run/../secret/config", "/api/run/%2e%2e/secret/config", "/api/run/..%2Fsecret/config",
                "/api/run/%2F" + dir.toString().substring(1).replace("/", "%2F") + "%2Fsecret/config", "/api/run/a/%2e%2e/%2e%2e/secret/config",
                "/api/run/link/config", "/api/run//config", "/api/run/a%00/config", "/api/run/C:%5Csecret/config"))
            assertThat(raw(path)).as(path).startsWith("HTTP/1.1 403");
        for (String path : List.of("/api/run/a/episodes", "/api/run/a/model.safetensors", "/api/run/nothing/config", "/api/run/sweep/config",
                "/static/../../../etc/passwd", "/api/run/a/..%2Fconfig"))
            assertThat(raw(path)).as(path).matches("HTTP/1\\.1 40[34].*");
        assertThat(raw("/api/run/a/config")).startsWith("HTTP/1.1 200");
    }

    @Test
    void answersOnlyReadsAddressedToThisMachine() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/api/runs")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/api/runs")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // a page elsewhere that resolves its own name to 127.0.0.1 (DNS rebinding) sends its own Host
        assertThat(raw("/api/runs", "evil.example:" + server.port())).startsWith("HTTP/1.1 403");
        assertThat(raw("/api/runs", "localhost:" + server.port())).startsWith("HTTP/1.1 200");
        assertThat(raw("/api/run/a/metrics?since=x")).startsWith("HTTP/1.1 400");
    }

    @Test
    void theStreamPushesNewLinesPicturesAndRuns() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        var stream = http.sendAsync(HttpRequest.newBuilder(server.uri().resolve("/api/stream")).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> {
                    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
                    r.body().forEach(lines::add);
                });
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("retry: 2000");
        // the record being appended is completed, another follows; a picture is drawn; a run appears
        Files.writeString(root.resolve("a/metrics.jsonl"), "ode\":2,\"envSteps\":400,\"return\":-700}\n{\"type\":\"eval\",\"returnMean\":-650}\n",
                StandardOpenOption.APPEND);
        Files.write(root.resolve("a/live.png"), new byte[] {1});
        run(root.resolve("b"));
        collect(lines, "event: metric\ndata: {\"run\":\"a\",\"index\":2,\"record\":{\"type\":\"episode\",\"episode\":2,\"envSteps\":400,\"return\":-700}}",
                "event: metric\ndata: {\"run\":\"a\",\"index\":3,\"record\":{\"type\":\"eval\",\"returnMean\":-650}}",
                "event: frame\ndata: {\"run\":\"a\",\"version\":", "event: runs\ndata: {\"runs\":[\"a\",\"b\",\"sweep/s0\"]}",
                "event: metric\ndata: {\"run\":\"b\",\"index\":0,");
        // a resume rewrites metrics.jsonl shorter: the page is told to read it again
        Files.writeString(root.resolve("a/metrics.jsonl"), "{\"type\":\"episode\",\"episode\":1,\"envSteps\":200,\"return\":-1}\n");
        assertThat(collect(lines, "event: reset")).contains("event: reset\ndata: {\"run\":\"a\"}");
        Files.writeString(root.resolve("a/summary.json"), "{}");
        assertThat(collect(lines, "event: finished")).contains("event: finished\ndata: {\"run\":\"a\"}");
        stream.cancel(true);
    }

    @Test
    void startErrorsSayWhatIsWrong() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> DashServer.start(DashServer.Options.of(root, d -> "").withPort(taken.getLocalPort())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("port " + taken.getLocalPort()
                            + " is in use on 127.0.0.1; choose another port (or 0 for any free one)");
        }
        assertThatThrownBy(() -> DashServer.address("example.com")).hasMessageContaining("--bind example.com is not an IP address");
        assertThatThrownBy(() -> DashServer.address("192.0.2.7")).hasMessage("--bind 192.0.2.7 is not an address of this machine");
        assertThat(DashServer.address("localhost").isLoopbackAddress()).isTrue();
        assertThat(DashServer.address("0.0.0.0").isAnyLocalAddress()).isTrue();
        assertThatThrownBy(() -> DashServer.start(DashServer.Options.of(dir.resolve("none"), d -> "")))
                .hasMessageContaining("--runs " + dir.resolve("none") + " is not a directory");
    }

    /** Lines from the stream until each of {@code wanted} has been seen (10 s at most), joined. */
    private static String collect(BlockingQueue<String> lines, String... wanted) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        long end = System.nanoTime() + 10_000_000_000L;
        // to the end of an event (a blank line) in which each of them has been seen
        while (System.nanoTime() < end && !(sb.toString().endsWith("\n\n") && List.of(wanted).stream().allMatch(w -> sb.toString().contains(w)))) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l != null) sb.append(l).append('\n');
        }
        assertThat(sb.toString()).as("the stream").contains(wanted);
        return sb.toString();
    }

    private String raw(String path) throws IOException {
        return raw(path, "127.0.0.1:" + server.port());
    }

    private String raw(String path, String host) throws IOException {
        String answer = RawHttp.get(server.port(), path, host);
        assertThat(answer).as(path).doesNotContain("\"seed\":3,\"version\":\"2\",\"config\":{\"preset\":\"debug\"}}x");
        return answer.lines().findFirst().orElse("");
    }
}
