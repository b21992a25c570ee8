package io.ncp.middlebox.proto.mysql;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Builds MySQL protocol byte streams for tests, packet by packet. */
final class MySqlBytes {

    static final int PROTOCOL_41 = 0x200;
    static final int SECURE_CONNECTION = 0x8000;
    static final int PLUGIN_AUTH = 0x80000;
    static final int DEPRECATE_EOF = 0x1000000;
    static final int AUTOCOMMIT = 0x0002;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A packet with sequence id {@code seq} around {@code payload}. */
    MySqlBytes packet(int seq, byte[] payload) {
        out.write(payload.length & 0xff);
        out.write(payload.length >> 8 & 0xff);
        out.write(payload.length >> 16 & 0xff);
        out.write(seq & 0xff);
        out.writeBytes(payload);
        return this;
    }

    MySqlBytes packet(int seq, String payload) {
        return packet(seq, payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A HandshakeResponse41 with {@code capabilities}, user {@code app}, a 20-byte auth response. */
    MySqlBytes handshake(int capabilities) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) capabilities, (byte) (capabilities >> 8), (byte) (capabilities >> 16),
            (byte) (capabilities >> 24), 0, 0, 0, 1, 45});
        p.writeBytes(new byte[23]);
        p.writeBytes("app\0".getBytes(StandardCharsets.US_ASCII));
        p.write(20);
        p.writeBytes(new byte[20]);
        p.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
        return packet(1, p.toByteArray());
    }

    /** A command packet (sequence id 0): the command byte, then {@code body}. */
    MySqlBytes command(int command, String body) {
        return packet(0, (char) command + body);
    }

    /** A statement command: the command byte and statement id (then flags and iteration count for an execute). */
    MySqlBytes statement(int command, long id) {
        String idBytes = "" + (char) (id & 0xff) + (char) (id >> 8 & 0xff) + (char) (id >> 16 & 0xff)
            + (char) (id >> 24 & 0xff);
        String rest = command == MySqlCommands.STMT_EXECUTE ? "\0\1\0\0\0\0\1\u00fe\0" : "";
        return command(command, idBytes + rest);
    }

    /** An OK packet (header {@code header}: 0x00, or 0xFE ending a result set with CLIENT_DEPRECATE_EOF). */
    MySqlBytes ok(int seq, int header, int affected, int status) {
        return packet(seq, new byte[] {(byte) header, (byte) affected, 0, (byte) status, (byte) (status >> 8), 0, 0});
    }

    /** An EOF packet. */
    MySqlBytes eof(int seq, int status) {
        return packet(seq, new byte[] {(byte) 0xfe, 0, 0, (byte) status, (byte) (status >> 8)});
    }

    /** A column definition named {@code name}. */
    MySqlBytes column(int seq, String name) {
        return packet(seq, "\3def\1d\1t\1t" + (char) name.length() + name + (char) name.length() + name
            + "\u000c\u0021\0\u00ff\0\0\0\u00fd\0\0\0\0\0");
    }

    /** A text row of {@code values}. */
    MySqlBytes row(int seq, String... values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            sb.append((char) v.length()).append(v);
        }
        return packet(seq, sb.toString());
    }

    /**
     * One result set: column count, the columns, EOF unless {@code deprecateEof}, the rows of one value each, then an
     * EOF (or an OK with header 0xFE) with {@code status}.
     */
    MySqlBytes resultSet(boolean deprecateEof, int status, String column, String... rows) {
        int seq = 1;
        packet(seq++, new byte[] {1});
        column(seq++, column);
        if (!deprecateEof) {
            eof(seq++, AUTOCOMMIT);
        }
        for (String r : rows) {
            row(seq++, r);
        }
        return deprecateEof ? ok(seq, 0xfe, 0, status) : eof(seq, status);
    }

    MySqlBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Feeds {@code data} in reads of {@code size} bytes (each buffer released after the call). */
    static void feed(byte[] data, int size, Consumer<ByteBuf> target) {
        for (int at = 0; at < data.length; at += size) {
            ByteBuf b = Unpooled.wrappedBuffer(data, at, Math.min(size, data.length - at));
            try {
                target.accept(b);
            } finally {
                b.release();
            }
        }
    }

    /** Feeds {@code data} in two reads, cut at {@code at}. */
    static void split(byte[] data, int at, Consumer<ByteBuf> target) {
        if (at > 0) {
            feed(java.util.Arrays.copyOfRange(data, 0, at), at, target);
        }
        feed(java.util.Arrays.copyOfRange(data, at, data.length), Math.max(1, data.length - at), target);
    }
}
