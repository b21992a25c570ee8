package io.ncp.middlebox.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough RESP for the authentication phase: reading one client command (an array of bulk strings), measuring
 * one server reply (RESP2 and RESP3 types, nested), writing a command. Reads never move the buffer's indices.
 * Stateless.
 */
final class Resp {

    /**
     * Not an authentication command (or an inline command, or not RESP): the authentication phase ends there. Its
     * length is not measured.
     */
    static final Command OTHER = new Command(List.of(), 0);
    /** Largest command or reply measured while authenticating; beyond it the phase ends. */
    static final int MAX = 64 * 1024;
    static final int MAX_ARGS = 16;

    private Resp() {
    }

    /**
     * A parsed client command.
     *
     * @param args   its arguments (the name first)
     * @param length its length in bytes on the wire
     */
    record Command(List<byte[]> args, int length) {

        /** The command name, upper-cased, or "" for {@link #OTHER}. */
        String name() {
            return args.isEmpty() ? "" : new String(args.get(0), StandardCharsets.US_ASCII)
                .toUpperCase(java.util.Locale.ROOT);
        }

        /** Argument {@code i} as text. */
        String arg(int i) {
            return new String(args.get(i), StandardCharsets.UTF_8);
        }

        /** Whether it belongs to the authentication phase: {@code AUTH} or {@code HELLO}. */
        boolean isAuthPhase() {
            String n = name();
            return n.equals("AUTH") || n.equals("HELLO");
        }
    }

    /**
     * The client command at the head of {@code in}: null while incomplete; {@link #OTHER} when it is not an
     * authentication command (known as soon as its name is read), not an array of at most {@link #MAX_ARGS} bulk
     * strings, or longer than {@link #MAX} bytes.
     */
    static Command readCommand(ByteBuf in) {
        int pos = in.readerIndex();
        int end = in.writerIndex();
        if (pos >= end) {
            return null;
        }
        if (in.getByte(pos) != '*') {
            return OTHER;
        }
        long[] line = new long[1];
        int next = readLine(in, pos + 1, end, line);
        if (next == -1) {
            return incomplete(pos, end);
        }
        if (next == -2 || line[0] < 1 || line[0] > MAX_ARGS) {
            return OTHER;
        }
        long count = line[0];
        List<byte[]> args = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (next >= end) {
                return incomplete(pos, end);
            }
            if (in.getByte(next) != '$') {
                return OTHER;
            }
            int after = readLine(in, next + 1, end, line);
            if (after == -1) {
                return incomplete(pos, end);
            }
            if (after == -2 || line[0] < 0 || line[0] > MAX) {
                return OTHER;
            }
            if (after + line[0] + 2 > end) {
                return incomplete(pos, end);
            }
            byte[] a = new byte[(int) line[0]];
            in.getBytes(after, a);
            if (i == 0 && !isAuthName(a)) {
                return OTHER;
            }
            args.add(a);
            next = after + (int) line[0] + 2;
        }
        return new Command(args, next - pos);
    }

    private static Command incomplete(int pos, int end) {
        return end - pos > MAX ? OTHER : null;
    }

    private static boolean isAuthName(byte[] name) {
        String n = new String(name, StandardCharsets.US_ASCII);
        return n.equalsIgnoreCase("AUTH") || n.equalsIgnoreCase("HELLO");
    }

    /**
     * The length of the complete reply at the head of {@code in}, or -1 while incomplete, or -2 when it cannot be
     * measured (malformed, or deeper / longer than the phase allows).
     */
    static int replyLength(ByteBuf in) {
        int n = reply(in, in.readerIndex(), in.writerIndex(), 0);
        return n < 0 ? n : n - in.readerIndex();
    }

    private static int reply(ByteBuf in, int pos, int end, int depth) {
        if (pos >= end) {
            return -1;
        }
        if (depth > 8) {
            return -2;
        }
        byte type = in.getByte(pos);
        long[] line = new long[1];
        switch (type) {
            case '+': case '-': case ':': case '_': case '#': case ',': case '(':
                int eol = lineEnd(in, pos + 1, end);
                return eol < 0 ? (end - pos > MAX ? -2 : -1) : eol + 2;
            case '$': case '!': case '=': {
                int after = readLine(in, pos + 1, end, line);
                if (after < 0) {
                    return after;
                }
                if (line[0] < 0) {
                    return after;
                }
                if (line[0] > MAX) {
                    return -2;
                }
                return after + line[0] + 2 > end ? -1 : after + (int) line[0] + 2;
            }
            case '*': case '~': case '>': case '%': case '|': {
                int after = readLine(in, pos + 1, end, line);
                if (after < 0) {
                    return after;
                }
                long count = line[0] < 0 ? 0 : (type == '%' || type == '|' ? 2 * line[0] : line[0]);
                if (count > 1024) {
                    return -2;
                }
                int at = after;
                for (long i = 0; i < count; i++) {
                    at = reply(in, at, end, depth + 1);
                    if (at < 0) {
                        return at;
                    }
                }
                return type == '|' ? reply(in, at, end, depth + 1) : at;
            }
            default:
                return -2;
        }
    }

    /** Index of the CR of the CRLF ending the line from {@code from}, or -1. */
    private static int lineEnd(ByteBuf in, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads a decimal line from {@code from} into {@code out[0]}: the index after its CRLF, -1 incomplete, -2 bad. */
    private static int readLine(ByteBuf in, int from, int end, long[] out) {
        int eol = lineEnd(in, from, end);
        if (eol < 0) {
            return end - from > 24 ? -2 : -1;
        }
        try {
            out[0] = Long.parseLong(in.toString(from, eol - from, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -2;
        }
        return eol + 2;
    }

    /** The first line of the reply at the head of {@code in} (an error's text), at most 200 characters. */
    static String firstLine(ByteBuf in) {
        int eol = lineEnd(in, in.readerIndex(), in.writerIndex());
        int len = Math.min(200, (eol < 0 ? in.writerIndex() : eol) - in.readerIndex());
        return in.toString(in.readerIndex(), len, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A command as a RESP array of bulk strings. */
    static ByteBuf command(List<byte[]> args) {
        return Unpooled.wrappedBuffer(RespCommand.encode(args));
    }
}
