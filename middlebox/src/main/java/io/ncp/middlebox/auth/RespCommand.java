package io.ncp.middlebox.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes commands the middlebox itself sends to a Redis server (authentication, probes) as RESP arrays. */
public final class RespCommand {

    private RespCommand() {
    }

    /** {@code args} as one RESP array of bulk strings. */
    public static byte[] encode(List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append(out, args);
        return out.toByteArray();
    }

    /** Appends {@code args} to {@code out} as one RESP array of bulk strings (pipelining several commands). */
    public static void append(ByteArrayOutputStream out, List<byte[]> args) {
        out.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(a);
            out.writeBytes(CRLF);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
