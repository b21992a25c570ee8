package io.ncp.middlebox.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw HTTP/1.1 client for admin API tests: sets any Host and Authorization header, one request per connection. */
final class AdminClient {

    private final InetSocketAddress address;

    AdminClient(InetSocketAddress address) {
        this.address = address;
    }

    /** Sends one request; returns the whole response (status line, headers, body). */
    String call(String method, String path, String host, String token, String body) {
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (host != null) {
            req.append("Host: ").append(host).append("\r\n");
        }
        if (token != null) {
            req.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        req.append("Content-Type: application/json\r\nContent-Length: ").append(content.length)
            .append("\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(content);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status code of {@code response}. */
    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
