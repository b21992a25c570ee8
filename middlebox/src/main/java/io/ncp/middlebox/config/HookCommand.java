package io.ncp.middlebox.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One resync hook: a command (argv, run with a clear environment) or a request the middlebox sends to the backend
 * itself ({@code send}, answered with a prefix {@code expect}: no process to start, so the shortest pause).
 *
 * @param argv   the command, or null for a request
 * @param send   the request's bytes, or null for a command
 * @param expect the prefix its answer must start with (empty: any answer), or null for a command
 */
public record HookCommand(List<String> argv, byte[] send, byte[] expect) {

    public HookCommand {
        argv = argv == null ? null : List.copyOf(argv);
    }

    /** A command. */
    public static HookCommand command(List<String> argv) {
        return new HookCommand(argv, null, null);
    }

    /** A request sent by the middlebox. */
    public static HookCommand request(byte[] send, byte[] expect) {
        return new HookCommand(null, send.clone(), expect == null ? new byte[0] : expect.clone());
    }

    /** Whether the middlebox sends it itself. */
    public boolean isRequest() {
        return argv == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HookCommand h && java.util.Objects.equals(argv, h.argv) && Arrays.equals(send, h.send)
            && Arrays.equals(expect, h.expect);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(argv, Arrays.hashCode(send), Arrays.hashCode(expect));
    }

    @Override
    public String toString() {
        return argv != null ? argv.toString() : "{send: " + new String(send, StandardCharsets.ISO_8859_1).strip()
            + ", expect: " + new String(expect, StandardCharsets.ISO_8859_1) + "}";
    }
}
