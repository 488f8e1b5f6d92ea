package latte.cli.dash;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import latte.autodiff.io.Json;

/**
 * The dashboard: one page that watches the run directories under a root, served by the JDK's
 * HTTP server on 127.0.0.1 unless told otherwise. Every request runs on a virtual thread of its
 * own, so a live stream never holds up another request.
 * <pre>
 *   GET /                                  the page (index.html, dash.js, dash.css: resources of this package)
 *   GET /static/uPlot.iife.min.js|.css     the chart library, from the uPlot WebJar on the class path
 *   GET /api/runs                          the run directories under --runs, with what each holds
 *   GET /api/run/NAME/config|summary|state the run's JSON files
 *   GET /api/run/NAME/metrics?since=N      metrics.jsonl's complete lines from line N, and the next N
 *   GET /api/run/NAME/frame|kl|curve       live.png, live-kl.json ({@link LiveView}), curve.png
 *   GET /api/results                       the table of `latte results` over every run, as Markdown
 *   GET /api/stream                        Server-Sent Events: runs, metric (one per new line), frame, finished, reset
 * </pre>
 * It only reads, and only the files above: a NAME is resolved under --runs and refused (403) when
 * it leaves it, by "..", an encoded separator or a symbolic link.
 */
public final class DashServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8421;
    /** Live streams at once; more are answered 503 (each holds a file poller). */
    static final int MAX_STREAMS = 32;
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final Map<String, String> PAGE = Map.of("/", "index.html", "/index.html", "index.html", "/dash.js", "dash.js",
            "/dash.css", "dash.css");
    private static final List<String> LIBRARY = List.of("uPlot.iife.min.js", "uPlot.min.css");

    /**
     * @param runs    the folder whose run directories are served
     * @param bind    the address to listen on (127.0.0.1 unless the user says otherwise)
     * @param port    0 picks a free one
     * @param live    the run being trained by this process, selected first on the page (or null)
     * @param results the Markdown table of `latte results` for a list of run directories
     * @param pollMillis how often a live stream looks for new lines and pictures
     */
    public record Options(Path runs, String bind, int port, String live, Function<List<Path>, String> results, int pollMillis) {
        public static Options of(Path runs, Function<List<Path>, String> results) {
            return new Options(runs, "127.0.0.1", DEFAULT_PORT, null, results, 500);
        }

        public Options withBind(String b) { return new Options(runs, b, port, live, results, pollMillis); }
        public Options withPort(int p) { return new Options(runs, bind, p, live, results, pollMillis); }
        public Options withLive(String l) { return new Options(runs, bind, port, l, results, pollMillis); }
    }

    private final Options options;
    private final RunFiles files;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final InetAddress address;
    private final String uplotVersion;
    private volatile boolean closed;

    private DashServer(Options options, RunFiles files, InetAddress address) {
        this.options = options;
        this.files = files;
        this.address = address;
        this.uplotVersion = uplotVersion();
        try {
            server = HttpServer.create(new InetSocketAddress(address, options.port()), 64);
        } catch (BindException e) {
            throw new IllegalArgumentException("port " + options.port() + " is in use on " + address.getHostAddress()
                    + "; choose another port (or 0 for any free one)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard: cannot listen on " + address.getHostAddress() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts serving; errors name what is wrong (no such folder, a bad address, a port in use). */
    public static DashServer start(Options options) {
        RunFiles files = new RunFiles(options.runs());
        DashServer s = new DashServer(options, files, address(options.bind()));
        s.server.start();
        return s;
    }

    /** The address to bind: a literal address or "localhost" that belongs to this machine (no name lookups). */
    static InetAddress address(String bind) {
        String b = bind.trim();
        InetAddress a;
        try {
            if (b.equalsIgnoreCase("localhost")) a = InetAddress.getLoopbackAddress();
            else if (b.matches("\\d{1,3}(\\.\\d{1,3}){3}") || b.matches("\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?"))
                a = InetAddress.getByName(b.replace("[", "").replace("]", ""));          // a literal: no lookup is made
            else throw new UnknownHostException(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bind + " is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1)");
        }
        try {
            if (!a.isAnyLocalAddress() && !a.isLoopbackAddress() && NetworkInterface.getByInetAddress(a) == null)
                throw new IllegalArgumentException("--bind " + bind + " is not an address of this machine");
        } catch (SocketException e) {
            throw new IllegalArgumentException("--bind " + bind + ": " + e.getMessage(), e);
        }
        return a;
    }

    /** The page's address, e.g. http://127.0.0.1:8421/. */
    public URI uri() {
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Whether the server listens beyond this machine's loopback (the user asked for it with --bind). */
    public boolean exposed() {
        return !address.isLoopbackAddress();
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- requests ----------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain", "only GET and HEAD");
                return;
            }
            if (!exposed() && !hostIsLoopback(ex.getRequestHeaders().getFirst("Host"))) {
                send(ex, 403, "text/plain", "unexpected Host header");              // DNS rebinding: only loopback names
                return;
            }
            route(ex);
        } catch (RunFiles.Refused e) {
            answer(ex, 403, "refused: " + e.getMessage());
        } catch (IOException e) {
            // the client went away mid-answer
        } catch (IllegalArgumentException e) {
            answer(ex, 400, e.getMessage());
        } catch (RuntimeException e) {
            answer(ex, 500, "dashboard: " + e.getMessage());
        } finally {
            ex.close();
        }
    }

    /** An error answer, unless the headers have already gone (then the client sees the stream end). */
    private static void answer(HttpExchange ex, int code, String text) {
        if (ex.getResponseCode() != -1) return;
        try {
            send(ex, code, "text/plain", text);
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private boolean hostIsLoopback(String host) {
        if (host == null) return false;
        String h = host.replaceFirst(":" + port() + "$", "");
        return h.equals("127.0.0.1") || h.equalsIgnoreCase("localhost") || h.equals("[::1]");
    }

    private void route(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        if (PAGE.containsKey(raw)) {
            resource(ex, "/latte/cli/dash/" + PAGE.get(raw));
            return;
        }
        if (raw.startsWith("/static/") && LIBRARY.contains(raw.substring("/static/".length()))) {
            resource(ex, "/" + WEBJAR + uplotVersion + "/dist/" + raw.substring("/static/".length()));
            return;
        }
        switch (raw) {
            case "/api/runs" -> json(ex, Json.write(runs()));
            case "/api/results" -> json(ex, Json.write(Map.of("markdown", results())));
            case "/api/stream" -> stream(ex);
            default -> {
                if (!raw.startsWith("/api/run/")) {
                    send(ex, 404, "text/plain", "not found");
                    return;
                }
                List<String> segments = new ArrayList<>(Arrays.asList(raw.substring("/api/run/".length()).split("/", -1)));
                String what = segments.removeLast();
                Optional<Path> run = files.run(segments);
                if (run.isEmpty()) {
                    send(ex, 404, "text/plain", "no run directory there");
                    return;
                }
                runFile(ex, run.get(), what);
            }
        }
    }

    private void runFile(HttpExchange ex, Path run, String what) throws IOException {
        if (what.equals("metrics")) {
            long since = Math.max(0, longParam(ex, "since"));
            RunFiles.Lines l = RunFiles.metrics(run, 0, 0, since);
            json(ex, "{\"since\":" + since + ",\"next\":" + l.next() + ",\"records\":[" + String.join(",", l.lines().stream()
                    .map(s -> s == null ? "null" : s).toList()) + "]}");
            return;
        }
        Optional<Path> f = RunFiles.file(run, what);
        if (f.isEmpty()) {
            send(ex, 404, "text/plain", "no " + what + " in this run (yet)");
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f.get());
        } catch (IOException e) {
            send(ex, 404, "text/plain", "no " + what + " in this run (yet)");     // replaced while read: ask again
            return;
        }
        String name = f.get().getFileName().toString();
        send(ex, 200, name.endsWith(".png") ? "image/png" : "application/json", bytes);
    }

    private static long longParam(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) return 0;
        for (String kv : q.split("&"))
            if (kv.startsWith(name + "=")) {
                try {
                    return Long.parseLong(kv.substring(name.length() + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must be a number");
                }
            }
        return 0;
    }

    /** The runs under the root: name, agent, env, preset, seed, objective, progress, whether finished and has a live picture. */
    private Map<String, Object> runs() {
        List<Object> list = new ArrayList<>();
        for (String name : files.names()) list.add(describe(name, files.root().resolve(name)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("live", options.live());
        m.put("runs", list);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> describe(String name, Path dir) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        Map<String, Object> cfg = readJson(dir.resolve("config.json"));
        Map<String, Object> config = cfg.get("config") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
        d.put("agent", cfg.get("agent"));
        d.put("env", cfg.get("env"));
        d.put("seed", cfg.get("seed"));
        d.put("preset", config.get("preset"));
        if (config.get("model") instanceof Map<?, ?> model && model.get("loss") instanceof Map<?, ?> loss) d.put("objective", loss.get("objective"));
        Map<String, Object> state = readJson(dir.resolve("state.json"));
        d.put("episodes", state.get("episodes"));
        d.put("envSteps", state.get("envSteps"));
        d.put("finished", Files.exists(dir.resolve("summary.json")));
        d.put("frame", Files.exists(dir.resolve(LiveView.PICTURE)));
        d.put("kl", Files.exists(dir.resolve(LiveView.SURPRISE)));
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path f) {
        try {
            return Json.parse(Files.readString(f, StandardCharsets.UTF_8)) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException | IllegalArgumentException e) {
            return Map.of();                                                     // absent, or replaced while read
        }
    }

    private String results() {
        List<Path> dirs = files.names().stream().map(n -> files.root().resolve(n)).toList();
        if (dirs.isEmpty()) return "";
        try {
            return options.results().apply(dirs);
        } catch (RuntimeException e) {
            return "(the results table cannot be made: " + e.getMessage() + ")";
        }
    }

    // ---- the live stream ----------------------------------------------------------------------

    private void stream(HttpExchange ex) throws IOException {
        if (!streams.tryAcquire()) {
            send(ex, 503, "text/plain", "too many live streams (" + MAX_STREAMS + ")");
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            Watch watch = new Watch(files);
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            long beat = System.nanoTime();
            while (!closed) {
                String events = watch.poll();
                if (!events.isEmpty() || System.nanoTime() - beat > 10e9) {
                    out.write((events.isEmpty() ? ": ping\n\n" : events).getBytes(StandardCharsets.UTF_8));
                    out.flush();                                                    // a closed page ends the loop here
                    beat = System.nanoTime();
                }
                Thread.sleep(options.pollMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    // ---- answers -------------------------------------------------------------------------------

    private void resource(HttpExchange ex, String path) throws IOException {
        try (InputStream in = DashServer.class.getResourceAsStream(path)) {
            if (in == null) {
                send(ex, 404, "text/plain", "not found");
                return;
            }
            String type = path.endsWith(".js") ? "text/javascript" : path.endsWith(".css") ? "text/css" : "text/html";
            send(ex, 200, type + "; charset=utf-8", in.readAllBytes());
        }
    }

    private static void json(HttpExchange ex, String body) throws IOException {
        send(ex, 200, "application/json; charset=utf-8", body);
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        send(ex, code, type.contains("charset") ? type : type + "; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        // nothing is loaded from elsewhere: the page works offline and cannot be made to fetch from another site
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) ex.getResponseBody().write(body);
    }

    /** The uPlot version in the WebJar on the class path (read from its Maven properties). */
    private static String uplotVersion() {
        try (InputStream in = DashServer.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the class path");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
