package io.ncp.middlebox.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal PostgreSQL protocol 3 client on a blocking socket (trust authentication, user and database
 * {@code postgres}): simple and extended queries, COPY FROM STDIN both ways, Flush, raw bytes. Every read is bounded
 * by the socket timeout (20 s): a stalled middlebox fails the test instead of hanging it.
 */
final class PgWire implements AutoCloseable {

    /** One backend message: its type and body. */
    record Message(char type, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;

    PgWire(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, 196608);
        for (String s : new String[] {"user", "postgres", "database", "postgres"}) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        writeInt(m, b.size() + 4);
        m.writeBytes(b.toByteArray());
        out.write(m.toByteArray());
        untilReady();
    }

    /** A simple Query; returns its reply's messages (ReadyForQuery included). */
    List<Message> query(String sql) throws IOException {
        send('Q', cstring(sql));
        return untilReady();
    }

    /** The first column of the first DataRow of a simple query, as text (null: none). */
    String value(String sql) throws IOException {
        for (Message m : query(sql)) {
            if (m.type() == 'E') {
                throw new IllegalStateException(sql + ": " + m.text());
            }
            if (m.type() == 'D') {
                int len = ((m.body()[2] & 0xff) << 24) | ((m.body()[3] & 0xff) << 16) | ((m.body()[4] & 0xff) << 8)
                    | (m.body()[5] & 0xff);
                return len < 0 ? null : new String(m.body(), 6, len, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Parse (unnamed), Bind, Describe, Execute, then {@code end} ('S' Sync or 'H' Flush). */
    void extended(String sql, char end) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(cstring(""));
        p.writeBytes(cstring(sql));
        p.writeBytes(new byte[] {0, 0});
        send('P', p.toByteArray());
        send('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
        send('D', new byte[] {'P', 0});
        send('E', new byte[] {0, 0, 0, 0, 0});
        send(end, new byte[0]);
    }

    /** COPY FROM STDIN of {@code rows} (each a line) with a simple Query. */
    List<Message> copyIn(String sql, List<String> rows) throws IOException {
        send('Q', cstring(sql));
        Message g = read();
        if (g.type() != 'G') {
            throw new IllegalStateException("expected CopyInResponse, got " + g.type() + " " + g.text());
        }
        copyData(rows);
        return untilReady();
    }

    /** COPY FROM STDIN with the extended protocol as libpq sends it: Execute + Sync, data, CopyDone + Sync. */
    List<Message> copyInExtended(String sql, List<String> rows) throws IOException {
        extended(sql, 'S');
        List<Message> seen = new ArrayList<>();
        Message m;
        do {
            m = read();
            seen.add(m);
        } while (m.type() != 'G' && m.type() != 'Z');
        if (m.type() != 'G') {
            throw new IllegalStateException("expected CopyInResponse: " + seen);
        }
        copyData(rows);
        send('S', new byte[0]);
        seen.addAll(untilReady());
        return seen;
    }

    private void copyData(List<String> rows) throws IOException {
        for (String r : rows) {
            send('d', (r + "\n").getBytes(StandardCharsets.UTF_8));
        }
        send('c', new byte[0]);
    }

    /** Messages up to and including the next ReadyForQuery. */
    List<Message> untilReady() throws IOException {
        List<Message> seen = new ArrayList<>();
        Message m;
        do {
            m = read();
            seen.add(m);
        } while (m.type() != 'Z');
        return seen;
    }

    /** Messages up to and including the next one of {@code type}. */
    List<Message> until(char type) throws IOException {
        List<Message> seen = new ArrayList<>();
        Message m;
        do {
            m = read();
            seen.add(m);
        } while (m.type() != type);
        return seen;
    }

    /** The next message (EOFException when the server closed). */
    Message read() throws IOException {
        char type = (char) in.readUnsignedByte();
        int len = in.readInt();
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return new Message(type, body);
    }

    void send(char type, byte[] body) throws IOException {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(type);
        writeInt(m, body.length + 4);
        m.writeBytes(body);
        out.write(m.toByteArray());
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Bytes until the server closes the connection. */
    byte[] rest() throws IOException {
        return in.readAllBytes();
    }

    private static byte[] cstring(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    private static void writeInt(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    @Override
    public void close() throws IOException {
        try {
            send('X', new byte[0]);
        } catch (IOException ignored) {
            // already closed by the server
        }
        socket.close();
    }
}
