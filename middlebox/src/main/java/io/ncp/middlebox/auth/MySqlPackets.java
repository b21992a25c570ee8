package io.ncp.middlebox.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** MySQL wire-protocol pieces for the authentication phase: packet framing, the greeting's scramble, ERR text. */
final class MySqlPackets {

    private MySqlPackets() {
    }

    /** The payload (a slice, indices of {@code in} unchanged) of the complete packet at its head, or null. */
    static ByteBuf payload(ByteBuf in) {
        if (in.readableBytes() < 4) {
            return null;
        }
        int len = in.getUnsignedMediumLE(in.readerIndex());
        if (in.readableBytes() < 4 + len) {
            return null;
        }
        return in.slice(in.readerIndex() + 4, len);
    }

    /** A packet with sequence id {@code seq} around {@code payload} (taken over). */
    static ByteBuf packet(int seq, ByteBuf payload) {
        ByteBuf header = Unpooled.buffer(4).writeMediumLE(payload.readableBytes()).writeByte(seq & 0xff);
        return Unpooled.wrappedBuffer(header, payload);
    }

    /** The 20-byte scramble of a protocol-10 greeting payload, or null when it is not one. */
    static byte[] greetingScramble(ByteBuf g) {
        int at = g.readerIndex();
        int end = g.writerIndex();
        if (end - at < 1 || g.getByte(at) != 10) {
            return null;
        }
        int z = g.indexOf(at + 1, end, (byte) 0);
        int part1 = z + 1 + 4;
        int part2 = part1 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
        if (z < 0 || part2 + 12 > end) {
            return null;
        }
        byte[] s = new byte[20];
        g.getBytes(part1, s, 0, 8);
        g.getBytes(part2, s, 8, 12);
        return s;
    }

    /** The capability flags (lower and upper 16 bits) of a protocol-10 greeting payload, or 0 when it is not one. */
    static int greetingCapabilities(ByteBuf g) {
        int at = g.readerIndex();
        int end = g.writerIndex();
        if (end - at < 1 || g.getByte(at) != 10) {
            return 0;
        }
        int z = g.indexOf(at + 1, end, (byte) 0);
        int low = z + 1 + 4 + 8 + 1;
        int high = low + 2 + 1 + 2;
        if (z < 0 || high + 2 > end) {
            return 0;
        }
        return g.getUnsignedShortLE(low) | g.getUnsignedShortLE(high) << 16;
    }

    /** An ERR packet's message (and SQL state), printable ASCII, at most 200 characters. */
    static String errorText(ByteBuf p) {
        int pos = p.readerIndex() + 3;
        String state = "";
        if (pos < p.writerIndex() && p.getByte(pos) == '#' && pos + 6 <= p.writerIndex()) {
            state = p.toString(pos + 1, 5, StandardCharsets.US_ASCII);
            pos += 6;
        }
        int len = Math.max(0, Math.min(200, p.writerIndex() - pos));
        String msg = p.toString(pos, len, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", "?");
        return state.isEmpty() ? msg : msg + " (SQLSTATE " + state + ")";
    }

    /** Reads a length-encoded integer at {@code pos} into {@code out[0]}; the index after it. */
    static int lenenc(ByteBuf b, int pos, long[] out) {
        int first = b.getUnsignedByte(pos);
        if (first < 0xfb) {
            out[0] = first;
            return pos + 1;
        }
        if (first == 0xfc) {
            out[0] = b.getUnsignedShortLE(pos + 1);
            return pos + 3;
        }
        if (first == 0xfd) {
            out[0] = b.getUnsignedMediumLE(pos + 1);
            return pos + 4;
        }
        throw new IllegalArgumentException("malformed HandshakeResponse41 (length)");
    }
}
