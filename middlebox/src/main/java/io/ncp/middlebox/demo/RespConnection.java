package io.ncp.middlebox.demo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking RESP client for the demo: pipelines commands, then reads their replies. Not thread-safe. */
final class RespConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Buffers one command (sent by {@link #flush}). */
    void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Reads one reply; returns it as text (errors prefixed with "-"). */
    String read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
            case ':':
                return line;
            case '-':
                return "-" + line;
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len + 2);
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                for (int i = 0; i < n; i++) {
                    read();
                }
                return "*" + n;
            }
            default:
                throw new IOException("bad RESP reply type " + type);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            sb.append((char) c);
        }
        if (c == -1) {
            throw new IOException("connection closed");
        }
        in.read();
        return sb.toString();
    }

    /** One request/response round trip. */
    String call(String... args) throws IOException {
        send(args);
        flush();
        return read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
