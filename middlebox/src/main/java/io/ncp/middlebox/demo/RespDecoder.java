package io.ncp.middlebox.demo;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes RESP commands (arrays of bulk strings, or inline commands) into {@code List<String>}. Consumes only whole
 * commands; the input buffers are released by {@link ByteToMessageDecoder}.
 */
final class RespDecoder extends ByteToMessageDecoder {

    private static final int MAX_LINE = 64 * 1024;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            List<String> cmd = in.getByte(start) == '*' ? array(in) : inline(in);
            if (cmd == null) {
                in.readerIndex(start);
                return;
            }
            if (!cmd.isEmpty()) {
                out.add(cmd);
            }
        }
    }

    private static List<String> inline(ByteBuf in) {
        String line = line(in);
        if (line == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String p : line.trim().split("\\s+")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts;
    }

    private static List<String> array(ByteBuf in) {
        in.skipBytes(1);
        String count = line(in);
        if (count == null) {
            return null;
        }
        int n = number(count);
        List<String> parts = new ArrayList<>(Math.max(0, Math.min(n, 16))); // n is the peer's claim: grow as data comes
        for (int i = 0; i < n; i++) {
            if (!in.isReadable()) {
                return null;
            }
            if (in.readByte() != '$') {
                throw new CorruptedFrameException("expected a bulk string");
            }
            String len = line(in);
            if (len == null) {
                return null;
            }
            int size = number(len);
            if (size < 0) {
                throw new CorruptedFrameException("negative bulk string length " + size);
            }
            if (in.readableBytes() < (long) size + 2) { // long: size + 2 overflows for sizes near Integer.MAX_VALUE
                return null;
            }
            parts.add(in.toString(in.readerIndex(), size, StandardCharsets.UTF_8));
            in.skipBytes(size + 2);
        }
        return parts;
    }

    /** The decimal number of a {@code *} or {@code $} line; anything else is a corrupt frame, not a crash. */
    private static int number(String line) {
        try {
            return Integer.parseInt(line);
        } catch (NumberFormatException e) {
            throw new CorruptedFrameException("not a length: '" + line + "'");
        }
    }

    /** Reads up to CRLF (consumed), or returns null when no full line is buffered. */
    private static String line(ByteBuf in) {
        int eol = in.indexOf(in.readerIndex(), Math.min(in.writerIndex(), in.readerIndex() + MAX_LINE), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() >= MAX_LINE) {
                throw new CorruptedFrameException("line too long");
            }
            return null;
        }
        int end = eol > in.readerIndex() && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        String s = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
        in.readerIndex(eol + 1);
        return s;
    }
}
