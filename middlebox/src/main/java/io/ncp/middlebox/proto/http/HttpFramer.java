package io.ncp.middlebox.proto.http;

import io.netty.buffer.ByteBuf;
import java.util.function.LongFunction;

/**
 * Frames one direction of an HTTP/1.1 connection into messages: the client's requests, or the server's responses
 * (RFC 9112 section 6: a body is delimited by {@code Content-Length}, by chunked transfer coding with its trailers,
 * or, for a response only, by the connection's close). The end of every message is reported once its last byte is
 * framed, however TCP cut the stream.
 *
 * <p>A response framer pairs responses with the methods of their requests (a function of the response's number: the
 * n-th final response answers the n-th request): a response to {@code HEAD}, an interim {@code 1xx}, {@code 204} and
 * {@code 304} have no body.
 * Interim responses are reported (status 100-199) but answer no request. Where the stream stops being a sequence of
 * framed messages the framer reports {@link Listener#opaque} once and frames nothing more: {@code 101 Switching
 * Protocols}, a {@code 2xx} answer to {@code CONNECT}, a response whose body ends only with the connection, a head
 * larger than {@link #MAX_HEAD}, or malformed input. Nothing is thrown for any input.
 *
 * <p>Not thread-safe: one instance per stream, owned by the loop that reads it. Never retains or releases buffers.
 */
public final class HttpFramer {

    /** Largest message head accepted (start line and headers). */
    public static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_CHUNK_LINE = 4096;

    /** Receives message ends, in stream order (stream offsets). */
    public interface Listener {
        /**
         * A message ended before stream offset {@code end}: a request ({@code status} 0, {@code name} its method and
         * target, e.g. {@code GET /index.html}) or a response ({@code status} its code, {@code name} null).
         */
        void messageEnd(long end, int status, String name);

        /** From {@code offset} on the stream is not framed any more ({@code why}); nothing more is reported. */
        void opaque(long offset, String why);

        /**
         * A message's head is complete: {@code head[0, len)} (start line and headers, ending with the empty line; the
         * array is the framer's, valid during the call), {@code status} its status (0 for a request). Told before the
         * message's content and end.
         */
        default void head(byte[] head, int len, int status) {
        }

        /**
         * Bytes {@code [from, from + len)} of {@code buf} (borrowed) are content of the current message after its
         * head (body, chunk lines, trailers), in stream order, told before the message's end.
         */
        default void content(ByteBuf buf, int from, int len) {
        }
    }

    private enum State { HEAD, FIXED, CHUNK_LINE, CHUNK_DATA, CHUNK_CRLF, TRAILER, OPAQUE }

    private final boolean requests;
    private final Listener listener;
    /** Responses: the method of request n (null: one whose response has the usual body rules). */
    private final LongFunction<String> methodOf;
    /** Responses: final responses framed so far. */
    private long responses;
    private final byte[] head = new byte[MAX_HEAD];
    private int headLen;
    private State state = State.HEAD;
    private long offset;
    private long left;
    private int lineLen;
    private boolean lineHasData;
    /** In a chunk-size line, past the size (a chunk extension or whitespace: ignored). */
    private boolean inExtension;
    private int status;
    private String name;

    private HttpFramer(boolean requests, Listener listener, LongFunction<String> methodOf) {
        this.requests = requests;
        this.listener = listener;
        this.methodOf = methodOf;
    }

    /** A framer of a client's request stream. */
    public static HttpFramer requests(Listener listener) {
        return new HttpFramer(true, listener, n -> null);
    }

    /**
     * A framer of a server's response stream; {@code methodOf} gives the method of request n (1, 2, ...) when it
     * matters ({@code HEAD}, {@code CONNECT}), else null.
     */
    public static HttpFramer responses(Listener listener, LongFunction<String> methodOf) {
        return new HttpFramer(false, listener, methodOf);
    }

    /** Bytes framed so far. */
    public long offset() {
        return offset;
    }

    /** Whether the stream is no longer framed. */
    public boolean opaque() {
        return state == State.OPAQUE;
    }

    /** Frames the readable bytes of {@code buf} (indices unchanged). */
    public void feed(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && state != State.OPAQUE) {
            switch (state) {
                case HEAD:
                    pos = head(buf, pos, end);
                    break;
                case FIXED:
                case CHUNK_DATA:
                    int n = (int) Math.min(left, end - pos);
                    listener.content(buf, pos, n);
                    left -= n;
                    offset += n;
                    pos += n;
                    if (left == 0) {
                        if (state == State.FIXED) {
                            messageDone();
                        } else {
                            state = State.CHUNK_CRLF;
                            lineLen = 0;
                        }
                    }
                    break;
                default:
                    pos = line(buf, pos, end);
                    break;
            }
        }
    }

    /** Head bytes up to the empty line that ends the head. */
    private int head(ByteBuf buf, int pos, int end) {
        while (pos < end) {
            byte b = buf.getByte(pos++);
            offset++;
            if (headLen == 0 && (b == '\r' || b == '\n')) {
                continue; // empty lines before a message are ignored (RFC 9112 section 2.2)
            }
            if (headLen == MAX_HEAD) {
                fail("message head larger than " + MAX_HEAD + " bytes");
                return end;
            }
            head[headLen++] = b;
            if (b == '\n' && endsHead()) {
                headDone();
                return pos;
            }
        }
        return pos;
    }

    /** Whether the head so far ends with an empty line ("\n\n" or "\n\r\n"). */
    private boolean endsHead() {
        return headLen >= 2 && head[headLen - 2] == '\n'
            || headLen >= 3 && head[headLen - 2] == '\r' && head[headLen - 3] == '\n';
    }

    private void headDone() {
        HttpHead h = HttpHead.parse(head, headLen, requests);
        if (h.error != null) {
            headLen = 0;
            fail(h.error);
            return;
        }
        listener.head(head, headLen, h.status);
        headLen = 0;
        status = h.status;
        name = requests ? h.method + " " + h.target : null;
        if (requests) {
            if (h.otherCoding) {
                fail("request with a Transfer-Encoding other than chunked");
            } else {
                body(h.chunked, h.contentLength == HttpHead.NONE ? 0 : h.contentLength);
            }
            return;
        }
        String method = status >= 200 || status == 101 ? methodOf.apply(++responses) : null;
        if (status == 101 || "CONNECT".equals(method) && status >= 200 && status < 300) {
            listener.messageEnd(offset, status, null);
            fail(status == 101 ? "101 Switching Protocols" : "CONNECT tunnel");
        } else if (status < 200 || status == 204 || status == 304 || "HEAD".equals(method)) {
            messageDone();
        } else if (h.chunked) {
            body(true, 0);
        } else if (h.otherCoding || h.contentLength == HttpHead.NONE) {
            fail("response body delimited by the connection's close");
        } else {
            body(false, h.contentLength);
        }
    }

    private void body(boolean chunked, long length) {
        if (chunked) {
            state = State.CHUNK_LINE;
            lineLen = 0;
            lineHasData = false;
            left = 0;
        } else if (length == 0) {
            messageDone();
        } else {
            state = State.FIXED;
            left = length;
        }
    }

    /** A chunk-size line, the CRLF after chunk data, or a trailer line. */
    private int line(ByteBuf buf, int pos, int end) {
        int from = pos;
        while (pos < end) {
            byte b = buf.getByte(pos++);
            offset++;
            if (b == '\n') {
                listener.content(buf, from, pos - from);
                lineDone();
                return pos;
            }
            if (++lineLen > MAX_CHUNK_LINE) {
                fail("chunk line too long");
                return end;
            }
            if (state == State.CHUNK_LINE) {
                chunkSizeByte(b);
            } else if (b != '\r') {
                lineHasData = true;
            }
            if (state == State.OPAQUE) {
                return end;
            }
        }
        listener.content(buf, from, pos - from);
        return pos;
    }

    private void chunkSizeByte(byte b) {
        if (inExtension || b == '\r') {
            return;
        }
        if (b == ';' || b == ' ' || b == '\t') {
            inExtension = lineHasData;
            if (!lineHasData) {
                fail("chunk size missing");
            }
            return;
        }
        int d = Character.digit(b, 16);
        if (d < 0 || left > (Long.MAX_VALUE >> 4)) {
            fail("bad chunk size");
            return;
        }
        left = left * 16 + d;
        lineHasData = true;
    }

    private void lineDone() {
        switch (state) {
            case CHUNK_LINE:
                if (!lineHasData) {
                    fail("chunk size missing");
                    return;
                }
                inExtension = false;
                state = left == 0 ? State.TRAILER : State.CHUNK_DATA;
                break;
            case CHUNK_CRLF:
                if (lineHasData || lineLen > 1) {
                    fail("chunk data not followed by CRLF");
                    return;
                }
                state = State.CHUNK_LINE;
                left = 0;
                break;
            default: // TRAILER: an empty line ends the message
                if (!lineHasData) {
                    messageDone();
                    return;
                }
                break;
        }
        lineLen = 0;
        lineHasData = false;
    }

    private void messageDone() {
        state = State.HEAD;
        left = 0;
        lineLen = 0;
        lineHasData = false;
        listener.messageEnd(offset, status, name);
    }

    private void fail(String why) {
        state = State.OPAQUE;
        listener.opaque(offset, why);
    }
}
