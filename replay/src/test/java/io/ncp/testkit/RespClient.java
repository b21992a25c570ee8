package io.ncp.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal blocking Redis (RESP2) client for tests: one connection, one command at a time. */
public final class RespClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RespClient(String host, int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to redis at " + host + ":" + port, e);
        }
    }

    /**
     * Sends one command and returns its reply: a String for simple/bulk strings (null for nil),
     * Long for integers, List for arrays.
     *
     * @throws IllegalStateException on an error reply
     */
    public Object call(String... args) {
        try {
            StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply();
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + String.join(" ", args), e);
        }
    }

    private Object readReply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len + 2);
                return new String(data, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(readReply());
                }
                return items;
            }
            case -1:
                throw new IOException("redis closed the connection");
            default:
                throw new IOException("bad RESP type byte " + type);
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /**
     * Ends the session gracefully: sends the FIN and waits for the server's (bounded by the read timeout), so that
     * whoever relays the connection has seen its end before the caller opens the next one.
     *
     * @throws IllegalStateException when the server sends more bytes instead of closing
     */
    public void finish() {
        try {
            socket.shutdownOutput();
            int b = in.read();
            if (b != -1) {
                throw new IllegalStateException("unexpected byte " + b + " instead of the end of the session");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("finishing the session", e);
        } finally {
            close();
        }
    }

    /** Ends the session with a reset (SO_LINGER 0): the peer gets an RST, not a FIN. */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("setting SO_LINGER", e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }
}
