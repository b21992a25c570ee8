package io.ncp.middlebox.proto.resp;

import io.netty.buffer.ByteBuf;

/**
 * Frames a RESP answer stream into top-level replies: RESP2 ({@code + - : $ *}) and RESP3 ({@code _ , # ( ! = ~ % >}
 * and attributes {@code |}, which belong to the reply that follows them). A reply's end is reported once its last
 * byte is framed, however TCP cut it. Bad input (an unknown type byte, a bad length, nesting deeper than
 * {@link #MAX_DEPTH}) stops the framer with a framing error; nothing is thrown for any input.
 *
 * <p>Not thread-safe: one instance per stream. Never retains or releases buffers.
 */
public final class RespReplyFramer {

    /** Deepest nesting accepted. */
    static final int MAX_DEPTH = 64;
    private static final int MAX_LINE = 64 * 1024;

    /** Receives reply boundaries, in stream order (stream offsets). */
    public interface Listener {
        /** A top-level reply of type {@code type} (its first byte) starts at {@code offset}. */
        void replyStart(long offset, byte type);

        /** The reply that started last ends before {@code offset}. */
        void replyEnd(long offset);
    }

    private enum State { TYPE, LINE, BULK, CRLF, FAILED }

    private final Listener listener;
    private State state = State.TYPE;
    private long offset;
    private byte type;
    private final byte[] line = new byte[24];
    private int lineLen;
    private boolean lineTooLong;
    private int lineSeen;
    private long bulkLeft;
    private int crlfLeft;
    /** Elements still expected at each open aggregate level (depth entries). */
    private final long[] left = new long[MAX_DEPTH];
    /** Whether the level is an attribute (completing it does not complete an element of its parent). */
    private final boolean[] attribute = new boolean[MAX_DEPTH];
    private int depth;
    /** Whether a top-level reply has started and not ended (an attribute alone does not end it). */
    private boolean inReply;
    private String error;

    public RespReplyFramer(Listener listener) {
        this.listener = listener;
    }

    /** Frames the readable bytes of {@code buf} (indices unchanged). */
    public void feed(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && state != State.FAILED) {
            switch (state) {
                case TYPE:
                    type = buf.getByte(pos);
                    if (!inReply) {
                        inReply = true;
                        listener.replyStart(offset, type);
                    }
                    if (!known(type)) {
                        fail("unknown reply type byte 0x" + Integer.toHexString(type & 0xff));
                        return;
                    }
                    lineLen = 0;
                    lineSeen = 0;
                    lineTooLong = false;
                    state = State.LINE;
                    pos++;
                    offset++;
                    break;
                case LINE:
                    pos = line(buf, pos, end);
                    break;
                case BULK:
                    int n = (int) Math.min(bulkLeft, end - pos);
                    bulkLeft -= n;
                    offset += n;
                    pos += n;
                    if (bulkLeft == 0) {
                        crlfLeft = 2;
                        state = State.CRLF;
                    }
                    break;
                case CRLF:
                    byte c = buf.getByte(pos);
                    if (c != (crlfLeft == 2 ? '\r' : '\n')) {
                        fail("bulk reply not ended by CRLF");
                        return;
                    }
                    pos++;
                    offset++;
                    if (--crlfLeft == 0) {
                        state = State.TYPE;
                        elementDone();
                    }
                    break;
                default:
                    return;
            }
        }
    }

    /** The rest of a header or simple line, up to "\r\n". */
    private int line(ByteBuf buf, int pos, int end) {
        int nl = buf.indexOf(pos, end, (byte) '\n');
        int stop = nl < 0 ? end : nl;
        int n = stop - pos;
        lineSeen += n;
        if (lineSeen > MAX_LINE && !simple(type)) {
            fail("reply header line too long");
            return end;
        }
        if (lineLen + n <= line.length) {
            buf.getBytes(pos, line, lineLen, n);
            lineLen += n;
        } else {
            lineTooLong = true;
        }
        offset += n;
        if (nl < 0) {
            return end;
        }
        offset++;
        if (lineLen == 0 && !lineTooLong || !lineTooLong && line[lineLen - 1] != '\r') {
            if (!simple(type)) {
                fail("reply line not ended by CRLF");
                return nl + 1;
            }
        }
        state = State.TYPE;
        if (!simple(type)) {
            header();
        } else {
            elementDone();
        }
        return nl + 1;
    }

    /** A length or count line complete: what follows. */
    private void header() {
        long v = lineTooLong ? Numbers.INVALID : Numbers.parseLong(line, lineLen - 1);
        if (v == Numbers.INVALID || v < -1) {
            fail("bad length in reply header");
            return;
        }
        switch (type) {
            case '$':
            case '!':
            case '=':
                if (v == -1) {
                    elementDone();
                } else {
                    bulkLeft = v;
                    state = v == 0 ? State.CRLF : State.BULK;
                    crlfLeft = 2;
                }
                return;
            default:
                long count = type == '%' || type == '|' ? 2 * v : v;
                if (count <= 0) {
                    if (type == '|') {
                        return; // an empty attribute: the value follows
                    }
                    elementDone();
                    return;
                }
                if (depth == MAX_DEPTH) {
                    fail("replies nested deeper than " + MAX_DEPTH);
                    return;
                }
                left[depth] = count;
                attribute[depth] = type == '|';
                depth++;
        }
    }

    /** An element (or a top-level reply) is complete. */
    private void elementDone() {
        while (depth > 0) {
            if (--left[depth - 1] > 0) {
                return;
            }
            depth--;
            if (attribute[depth]) {
                return; // the attribute is done; the value it describes follows
            }
        }
        inReply = false;
        listener.replyEnd(offset);
    }

    private void fail(String why) {
        state = State.FAILED;
        error = why;
    }

    private static boolean simple(byte t) {
        return t == '+' || t == '-' || t == ':' || t == '_' || t == ',' || t == '#' || t == '(';
    }

    private static boolean known(byte t) {
        return simple(t) || "$!=*~%>|".indexOf(t) >= 0;
    }

    /** Whether the stream stopped being RESP. */
    public boolean failed() {
        return state == State.FAILED;
    }

    /** What was wrong, or null. */
    public String error() {
        return error;
    }

    /** Stream offset of the next byte. */
    public long offset() {
        return offset;
    }

    /** Whether a reply has started and not ended. */
    public boolean inReply() {
        return inReply;
    }
}
