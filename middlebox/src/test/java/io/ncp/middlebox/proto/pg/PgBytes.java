package io.ncp.middlebox.proto.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test helpers: PostgreSQL protocol 3 messages as bytes, and feeding a stream cut at given offsets. */
final class PgBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A typed message: {@code type}, length, then {@code parts} (strings NUL-terminated, byte arrays as they are). */
    PgBytes msg(char type, Object... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            } else {
                body.writeBytes((byte[]) p);
            }
        }
        out.write(type);
        writeInt(out, body.size() + 4);
        out.writeBytes(body.toByteArray());
        return this;
    }

    /** A StartupMessage (protocol 3.0) with {@code params} (name, value, ...). */
    PgBytes startup(String... params) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeInt(body, 196608);
        for (String p : params) {
            body.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        writeInt(out, body.size() + 4);
        out.writeBytes(body.toByteArray());
        return this;
    }

    /** An SSLRequest. */
    PgBytes sslRequest() {
        writeInt(out, 8);
        writeInt(out, 80877103);
        return this;
    }

    /** Raw bytes. */
    PgBytes raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    /** Bind of {@code statement} to the unnamed portal, no parameters, text results. */
    PgBytes bind(String statement) {
        return msg('B', "", statement, new byte[] {0, 0, 0, 0, 0, 0});
    }

    /** Parse of {@code sql} as {@code statement}, no parameter types. */
    PgBytes parse(String statement, String sql) {
        return msg('P', statement, sql, new byte[] {0, 0});
    }

    /** Execute of the unnamed portal, all rows. */
    PgBytes execute() {
        return msg('E', "", new byte[] {0, 0, 0, 0});
    }

    /** Sync. */
    PgBytes sync() {
        return msg('S');
    }

    /** ReadyForQuery (idle). */
    PgBytes ready() {
        return msg('Z', new byte[] {'I'});
    }

    /** A RowDescription of one text column named {@code name}. */
    PgBytes row(String name) {
        return msg('T', new byte[] {0, 1}, name, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 25, -1, -1, -1, -1, -1, -1,
            0, 0});
    }

    /** A DataRow of one text value. */
    PgBytes data(String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(1);
        writeInt(b, v.length);
        b.writeBytes(v);
        return msg('D', b.toByteArray());
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    /** Feeds {@code data} in reads of {@code size} bytes; every buffer is released after the call. */
    static void feed(byte[] data, int size, Consumer<ByteBuf> target) {
        List<ByteBuf> bufs = new ArrayList<>();
        try {
            for (int at = 0; at < data.length; at += size) {
                ByteBuf b = Unpooled.copiedBuffer(data, at, Math.min(size, data.length - at));
                bufs.add(b);
                target.accept(b);
            }
        } finally {
            bufs.forEach(ByteBuf::release);
        }
    }

    /** Feeds {@code data} as two reads cut at {@code at} (0: one read); both buffers released after the call. */
    static void split(byte[] data, int at, Consumer<ByteBuf> target) {
        List<ByteBuf> bufs = new ArrayList<>();
        try {
            if (at > 0) {
                bufs.add(Unpooled.copiedBuffer(data, 0, at));
            }
            bufs.add(Unpooled.copiedBuffer(data, at, data.length - at));
            for (ByteBuf b : bufs) {
                target.accept(b);
            }
        } finally {
            bufs.forEach(ByteBuf::release);
        }
    }
}
