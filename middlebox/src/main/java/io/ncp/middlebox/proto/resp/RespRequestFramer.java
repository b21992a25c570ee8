package io.ncp.middlebox.proto.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Frames a RESP client stream into requests the way redis-server 7 parses them: a request starting with {@code *} is
 * multibulk ({@code *N\r\n} then N times {@code $len\r\n<bytes>\r\n}), anything else is an inline command (one
 * line, split on blanks, quotes as in {@code redis-cli}). Pipelined requests and requests cut anywhere by TCP are
 * framed the same. Where redis-server answers {@code -ERR Protocol error} (and closes the connection), the framer
 * stops with a framing error ({@link #failed}, {@link #error}); nothing is thrown for any input.
 *
 * <p>Not thread-safe: one instance per stream, owned by the loop that reads it. Never retains or releases buffers.
 */
public final class RespRequestFramer {

    /** Arguments kept per request (the rest are only counted). */
    public static final int KEPT_ARGS = 16;
    /** Longer arguments are not kept (values, not command words). */
    public static final int KEPT_ARG_BYTES = 128;
    /** redis-server's PROTO_INLINE_MAX_SIZE: the longest inline request and count line. */
    static final int MAX_LINE = 64 * 1024;
    /** redis-server's default proto-max-bulk-len. */
    static final long MAX_BULK = 512L * 1024 * 1024;

    /** Receives each complete request, in stream order. */
    @FunctionalInterface
    public interface Listener {
        void request(RespRequest request);
    }

    private enum State { START, INLINE, COUNT, BULK_START, BULK_LEN, BULK_DATA, SKIP, FAILED }

    private final Listener listener;
    private State state = State.START;
    /** Where to go after SKIP. */
    private State afterSkip;
    private int skip;
    private long offset;
    private long start;
    /** Whether the request being framed is a RESP array (else inline). */
    private boolean multibulk;
    private byte[] line = new byte[64];
    private int lineLen;
    private boolean sawCr;
    private long argsLeft;
    private long argc;
    private long bulkLeft;
    private byte[] bulk;
    private int bulkFill;
    private List<String> args = new ArrayList<>();
    private String error;
    private long errorOffset = -1;

    public RespRequestFramer(Listener listener) {
        this.listener = listener;
    }

    /** Frames the readable bytes of {@code buf} (indices unchanged); complete requests go to the listener. */
    public void feed(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && state != State.FAILED) {
            pos = step(buf, pos, end);
        }
    }

    private int step(ByteBuf buf, int pos, int end) {
        switch (state) {
            case START:
                start = offset;
                args = new ArrayList<>();
                argc = 0;
                lineLen = 0;
                sawCr = false;
                state = buf.getByte(pos) == '*' ? State.COUNT : State.INLINE;
                multibulk = state == State.COUNT;
                if (state == State.COUNT) {
                    offset++;
                    return pos + 1;
                }
                return pos;
            case INLINE:
                return inline(buf, pos, end);
            case COUNT:
            case BULK_LEN:
                return numberLine(buf, pos, end);
            case BULK_START:
                byte b = buf.getByte(pos);
                if (b != '$') {
                    fail("expected '$', got '" + (char) (b & 0xff) + "'");
                    return pos;
                }
                lineLen = 0;
                sawCr = false;
                state = State.BULK_LEN;
                offset++;
                return pos + 1;
            case BULK_DATA:
                return bulkData(buf, pos, end);
            case SKIP:
                int n = Math.min(skip, end - pos);
                skip -= n;
                offset += n;
                if (skip == 0) {
                    state = afterSkip;
                    if (state == State.START) {
                        complete();
                    }
                }
                return pos + n;
            default:
                return end;
        }
    }

    /** Inline: bytes up to '\n' (a '\r' before it is dropped), at most {@link #MAX_LINE}. */
    private int inline(ByteBuf buf, int pos, int end) {
        int nl = buf.indexOf(pos, end, (byte) '\n');
        int stop = nl < 0 ? end : nl;
        int n = stop - pos;
        if (lineLen + n > MAX_LINE) {
            fail("too big inline request");
            return pos;
        }
        appendLine(buf, pos, n);
        offset += n;
        if (nl < 0) {
            return end;
        }
        offset++; // the '\n'
        int len = lineLen > 0 && line[lineLen - 1] == '\r' ? lineLen - 1 : lineLen;
        List<String> split = InlineArgs.split(line, len);
        if (split == null) {
            fail("unbalanced quotes in request");
            return nl + 1;
        }
        argc = split.size();
        for (int i = 0; i < split.size() && i < KEPT_ARGS; i++) {
            String a = split.get(i);
            args.add(a.length() <= KEPT_ARG_BYTES ? a : null);
        }
        state = State.START;
        complete();
        return nl + 1;
    }

    /** A count or a length: digits up to CR, then one more byte (redis-server skips it unread). */
    private int numberLine(ByteBuf buf, int pos, int end) {
        if (!sawCr) {
            int cr = buf.indexOf(pos, end, (byte) '\r');
            int stop = cr < 0 ? end : cr;
            int n = stop - pos;
            if (lineLen + n > MAX_LINE) {
                fail(state == State.COUNT ? "too big mbulk count string" : "too big bulk count string");
                return pos;
            }
            appendLine(buf, pos, n);
            offset += n;
            if (cr < 0) {
                return end;
            }
            sawCr = true;
            offset++;
            return cr + 1;
        }
        offset++; // the byte after '\r' (normally '\n')
        long v = Numbers.parseLong(line, lineLen);
        if (state == State.COUNT) {
            if (v == Numbers.INVALID || v > Integer.MAX_VALUE) {
                fail("invalid multibulk length");
                return pos + 1;
            }
            if (v <= 0) {
                state = State.START;
                complete();
                return pos + 1;
            }
            argc = v;
            argsLeft = v;
            state = State.BULK_START;
            return pos + 1;
        }
        if (v == Numbers.INVALID || v < 0 || v > MAX_BULK) {
            fail("invalid bulk length");
            return pos + 1;
        }
        bulkLeft = v;
        boolean keep = args.size() < KEPT_ARGS && (args.size() < 3 || manyArgs());
        bulk = keep && v <= KEPT_ARG_BYTES ? new byte[(int) v] : null;
        if (keep && bulk == null) {
            args.add(null);
        }
        bulkFill = 0;
        state = State.BULK_DATA;
        if (v == 0) {
            return bulkDone(pos + 1);
        }
        return pos + 1;
    }

    private int bulkData(ByteBuf buf, int pos, int end) {
        int n = (int) Math.min(bulkLeft, end - pos);
        if (bulk != null) {
            buf.getBytes(pos, bulk, bulkFill, n);
            bulkFill += n;
        }
        bulkLeft -= n;
        offset += n;
        pos += n;
        return bulkLeft == 0 ? bulkDone(pos) : pos;
    }

    /** A bulk's bytes are in: its CRLF follows (skipped unread, as redis-server does). */
    private int bulkDone(int pos) {
        if (bulk != null) {
            args.add(new String(bulk, StandardCharsets.ISO_8859_1));
            bulk = null;
        }
        argsLeft--;
        skip = 2;
        afterSkip = argsLeft == 0 ? State.START : State.BULK_START;
        state = State.SKIP;
        return pos;
    }

    /** Whether arguments past the third are kept: CONFIG (SET names several parameters), XREAD(GROUP) (BLOCK). */
    private boolean manyArgs() {
        String a = args.get(0);
        return a != null && ("CONFIG".equalsIgnoreCase(a) || "XREAD".equalsIgnoreCase(a)
            || "XREADGROUP".equalsIgnoreCase(a)); // XREAD*: BLOCK may come late (order: service)
    }

    private void complete() {
        listener.request(new RespRequest(Collections.unmodifiableList(args), argc, start, offset, multibulk));
    }

    /** Appends {@code n} bytes of {@code buf} from {@code pos} to the line (grown as needed, up to MAX_LINE). */
    private void appendLine(ByteBuf buf, int pos, int n) {
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLen + n)));
        }
        buf.getBytes(pos, line, lineLen, n);
        lineLen += n;
    }

    private void fail(String why) {
        state = State.FAILED;
        error = "Protocol error: " + why;
        errorOffset = start;
    }

    /** Whether the stream stopped being RESP (every later byte is unframed). */
    public boolean failed() {
        return state == State.FAILED;
    }

    /** What was wrong (as redis-server words it), or null. */
    public String error() {
        return error;
    }

    /** Stream offset where the request that failed began, or -1. */
    public long errorOffset() {
        return errorOffset;
    }

    /** Stream offset of the next byte to be framed. */
    public long offset() {
        return offset;
    }

    /** Whether some bytes of a request not complete yet were framed. */
    public boolean inRequest() {
        return state != State.START && state != State.FAILED;
    }

    /** The command name (upper case) of the request being framed, once its first argument is complete; else null. */
    public String currentName() {
        if (!inRequest() || args.isEmpty() || args.get(0) == null) {
            return null;
        }
        return args.get(0).toUpperCase(java.util.Locale.ROOT);
    }
}
