package io.ncp.middlebox.proto.resp;

import java.util.List;
import java.util.Locale;

/**
 * One complete client request as the framer saw it.
 *
 * @param args  the first three arguments (CONFIG, XREAD, XREADGROUP: up to {@link RespRequestFramer#KEPT_ARGS};
 *              multibulk only, inline requests keep up to that many), each as ISO-8859-1 text, or null for an
 *              argument longer than {@link RespRequestFramer#KEPT_ARG_BYTES} (a value, never a command word)
 * @param argc  how many arguments the request had
 * @param start stream offset of its first byte
 * @param end   stream offset after its last byte
 * @param multibulk whether it was a RESP array ({@code *N}), not an inline command
 */
public record RespRequest(List<String> args, long argc, long start, long end, boolean multibulk) {

    /** The command name in upper case ("" for an empty request, which redis-server ignores without a reply). */
    public String name() {
        return argc == 0 || args.isEmpty() || args.get(0) == null ? "" : args.get(0).toUpperCase(Locale.ROOT);
    }

    /** Argument {@code i} in upper case, or null when it was not kept (absent or too long). */
    public String upper(int i) {
        return i < args.size() && args.get(i) != null ? args.get(i).toUpperCase(Locale.ROOT) : null;
    }

    /** Whether redis-server ignores it (no argument: an empty inline line, {@code *0} or {@code *-1}). */
    public boolean empty() {
        return argc == 0;
    }
}
