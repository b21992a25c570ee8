package io.ncp.middlebox.proto.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Test helpers: RESP commands as bytes, and feeding a stream cut into reads of a given size. */
final class RespTestBytes {

    private RespTestBytes() {
    }

    /** A multibulk request. */
    static String cmd(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a)
                .append("\r\n");
        }
        return b.toString();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
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
}
