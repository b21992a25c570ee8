package io.ncp.middlebox.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a Redis for its connection count from source address 127.0.0.2, which the live mirror test's capture filter
 * excludes: the test's own probes of the primary must not become mirrored sessions. Counts its connections.
 */
final class UncapturedProbe {

    static final String SOURCE = "127.0.0.2";

    private final int port;
    private int connections;

    UncapturedProbe(int port) {
        this.port = port;
    }

    /** Connections the server accepted from anything but this probe ({@code INFO stats}, itself excluded). */
    long otherConnections() {
        String info = askBulk("INFO stats");
        for (String l : info.split("\r\n")) {
            if (l.startsWith("total_connections_received:")) {
                return Long.parseLong(l.substring(l.indexOf(':') + 1).trim()) - connections;
            }
        }
        throw new IllegalStateException("no total_connections_received in INFO stats");
    }

    /** Sends an inline command whose answer is a bulk string, and returns it. */
    private String askBulk(String command) {
        try (Socket s = new Socket()) {
            connections++;
            s.bind(new InetSocketAddress(SOURCE, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            var in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                head.append((char) c);
            }
            int len = Integer.parseInt(head.substring(1).trim());
            byte[] body = in.readNBytes(len);
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
