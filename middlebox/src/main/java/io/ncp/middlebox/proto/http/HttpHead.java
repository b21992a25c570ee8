package io.ncp.middlebox.proto.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parsed head (start line and the headers that decide framing) of one HTTP/1.1 message, read from the bytes of
 * the head without its final empty line. Only what framing needs is kept: the method or status, the body length
 * rules ({@code Content-Length}, {@code Transfer-Encoding}) and whether the connection switches protocols. Lines may
 * end with CRLF or a bare LF (as nginx and most servers accept). Parsing never throws: a malformed head yields
 * {@link #error()}.
 */
final class HttpHead {

    /** Body length when no {@code Content-Length} was given. */
    static final long NONE = -1;

    /** Request method (requests), else null. */
    String method;
    /** Request target, truncated (requests), else null. */
    String target;
    /** Status code (responses), else 0. */
    int status;
    long contentLength = NONE;
    boolean chunked;
    /** A {@code Transfer-Encoding} other than one ending in chunked. */
    boolean otherCoding;
    boolean upgrade;
    String error;

    private static final int MAX_TARGET = 48;

    /** Parses {@code head[0, len)} as a request ({@code request}) or a response head. */
    static HttpHead parse(byte[] head, int len, boolean request) {
        HttpHead h = new HttpHead();
        int lineStart = 0;
        boolean first = true;
        while (lineStart < len) {
            int nl = indexOf(head, lineStart, len, (byte) '\n');
            int lineEnd = nl < 0 ? len : nl;
            int e = lineEnd > lineStart && head[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            String line = new String(head, lineStart, e - lineStart, StandardCharsets.ISO_8859_1);
            if (first) {
                if (request ? !h.requestLine(line) : !h.statusLine(line)) {
                    return h;
                }
                first = false;
            } else if (!line.isEmpty() && !h.header(line)) {
                return h;
            }
            lineStart = lineEnd + 1;
        }
        if (first) {
            h.error = "empty message head";
        }
        return h;
    }

    private boolean requestLine(String line) {
        String[] p = line.split(" ", -1);
        if (p.length != 3 || p[0].isEmpty() || !token(p[0]) || !p[2].startsWith("HTTP/1.")) {
            error = "not an HTTP/1.x request line: " + clip(line);
            return false;
        }
        method = p[0];
        target = p[1].length() > MAX_TARGET ? p[1].substring(0, MAX_TARGET) + "..." : p[1];
        return true;
    }

    private boolean statusLine(String line) {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            error = "not an HTTP/1.x status line: " + clip(line);
            return false;
        }
        int s = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                error = "bad status code: " + clip(line);
                return false;
            }
            s = s * 10 + (c - '0');
        }
        if (line.length() > 12 && line.charAt(12) != ' ') {
            error = "bad status code: " + clip(line);
            return false;
        }
        status = s;
        return true;
    }

    private boolean header(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || !token(line.substring(0, colon))) {
            error = "malformed header line: " + clip(line);
            return false;
        }
        String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        switch (name) {
            case "content-length":
                long n = parseLength(value);
                if (n < 0 || contentLength != NONE && contentLength != n) {
                    error = "bad or conflicting Content-Length: " + clip(value);
                    return false;
                }
                contentLength = n;
                break;
            case "transfer-encoding":
                String v = value.toLowerCase(Locale.ROOT);
                int comma = v.lastIndexOf(',');
                String last = (comma < 0 ? v : v.substring(comma + 1)).trim();
                chunked = last.equals("chunked");
                otherCoding = !chunked;
                break;
            case "upgrade":
                upgrade = true;
                break;
            default:
                break;
        }
        return true;
    }

    private static long parseLength(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** RFC 9110 token characters only. */
    private static boolean token(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
