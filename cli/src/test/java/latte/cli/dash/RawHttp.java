package latte.cli.dash;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A GET sent byte for byte as written: HTTP clients normalise "..", so traversal tests need a socket. */
public final class RawHttp {
    private RawHttp() {}

    /** The whole answer to {@code GET path} on 127.0.0.1:{@code port} with the given Host header. */
    public static String get(int port, String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The status line of the answer. */
    public static String status(int port, String path, String host) throws IOException {
        return get(port, path, host).lines().findFirst().orElse("");
    }
}
