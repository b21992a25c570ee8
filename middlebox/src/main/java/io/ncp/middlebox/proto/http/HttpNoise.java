package io.ncp.middlebox.proto.http;

import io.ncp.middlebox.digest.BlockDigester;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The HTTP noise model: response headers whose values legitimately differ between two servers holding the same data
 * (by default {@code Date} and {@code Age}, which each server sets from its own clock). Their values are left out of
 * the digest (the header names and line ends are kept, so a header present on one server only is still a
 * divergence). Immutable.
 */
public final class HttpNoise {

    /** The default noisy headers. */
    public static final List<String> DEFAULT_HEADERS = List.of("Date", "Age");
    /** The defaults. */
    public static final HttpNoise DEFAULTS = new HttpNoise(DEFAULT_HEADERS);

    private final Set<String> names;

    /** @param headers header names, any case */
    public HttpNoise(List<String> headers) {
        this.names = headers.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /**
     * Digests the head {@code head[0, len)} ({@code h} wraps the same bytes) into {@code d}, leaving out the values of
     * the noisy headers.
     */
    void digestMasked(ByteBuf h, byte[] head, int len, BlockDigester d) {
        int from = 0;
        int lineStart = 0;
        while (lineStart < len) {
            int nl = HttpHead.indexOf(head, lineStart, len, (byte) '\n');
            int lineEnd = nl < 0 ? len : nl;
            int colon = HttpHead.indexOf(head, lineStart, lineEnd, (byte) ':');
            if (colon > lineStart && noisy(head, lineStart, colon)) {
                int valueEnd = lineEnd > colon + 1 && head[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
                d.update(h, from, colon + 1 - from);
                from = valueEnd;
            }
            lineStart = lineEnd + 1;
        }
        if (len > from) {
            d.update(h, from, len - from);
        }
    }

    private boolean noisy(byte[] head, int from, int to) {
        String name = new String(head, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        return names.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The noisy header names (lower case). */
    public Set<String> headers() {
        return names;
    }
}
