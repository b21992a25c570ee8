package io.ncp.middlebox.it;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal PostgreSQL client over a plain socket, like a psql left open: a StartupMessage as {@code postgres} to
 * database {@code postgres} (trust: no password), then simple-protocol queries, each read up to its ReadyForQuery.
 * Every read is bounded by the socket timeout. One thread.
 */
final class PgWire implements AutoCloseable {

    /** What one query got back: its rows as text, its command tags, its error (or null), the ReadyForQuery status. */
    record Result(List<List<String>> rows, List<String> tags, String error, char status) {

        /** This result, which must have no error. */
        Result ok() {
            if (error != null) {
                throw new IllegalStateException("query failed: " + error);
            }
            return this;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private PgWire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    /** Connects to 127.0.0.1:{@code port} and logs in; fails when the server refuses. */
    static PgWire connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(120_000);
        PgWire w = new PgWire(s);
        byte[] params = "user\0postgres\0database\0postgres\0application_name\0pgwire\0\0"
            .getBytes(StandardCharsets.UTF_8);
        w.out.writeInt(8 + params.length);
        w.out.writeInt(196608);
        w.out.write(params);
        w.out.flush();
        Result r = w.read();
        if (r.error() != null) {
            w.close();
            throw new IOException("login refused: " + r.error());
        }
        return w;
    }

    /** Sends {@code sql} as one Query and reads the answers up to ReadyForQuery. */
    Result query(String sql) throws IOException {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeByte('Q');
        out.writeInt(4 + text.length);
        out.write(text);
        out.flush();
        return read();
    }

    private Result read() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        String error = null;
        while (true) {
            int type = in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            switch (type) {
                case 'D' -> rows.add(row(body));
                case 'C' -> tags.add(new String(body, 0, body.length - 1, StandardCharsets.UTF_8));
                case 'E' -> error = field(body, 'M');
                case 'R' -> {
                    if (body[3] != 0) {
                        throw new IOException("the server asks for a password (method " + body[3] + ")");
                    }
                }
                case 'Z' -> {
                    return new Result(rows, tags, error, (char) body[0]);
                }
                default -> { } // RowDescription, ParameterStatus, BackendKeyData, notices
            }
        }
    }

    private static List<String> row(byte[] body) {
        List<String> cols = new ArrayList<>();
        int n = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        int pos = 2;
        for (int i = 0; i < n; i++) {
            int len = ((body[pos] & 0xff) << 24) | ((body[pos + 1] & 0xff) << 16) | ((body[pos + 2] & 0xff) << 8)
                | (body[pos + 3] & 0xff);
            pos += 4;
            cols.add(len < 0 ? null : new String(body, pos, len, StandardCharsets.UTF_8));
            pos += Math.max(0, len);
        }
        return cols;
    }

    private static String field(byte[] body, char code) {
        int pos = 0;
        while (pos < body.length && body[pos] != 0) {
            int z = pos + 1;
            while (z < body.length && body[z] != 0) {
                z++;
            }
            if (body[pos] == code) {
                return new String(body, pos + 1, z - pos - 1, StandardCharsets.UTF_8);
            }
            pos = z + 1;
        }
        return "(no message)";
    }

    /** Sends Terminate and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            if (!socket.isClosed()) {
                out.writeByte('X');
                out.writeInt(4);
                out.flush();
            }
        } catch (IOException e) {
            // the server or the middlebox closed it first
        } finally {
            socket.close();
        }
    }
}
