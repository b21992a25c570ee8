package io.ncp.middlebox.proto.pg;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Frames a PostgreSQL client stream (protocol 3) and numbers the requests that end a reply, as the server answers
 * them: a Query ('Q') and a FunctionCall ('F') each get one ReadyForQuery, and so does a Sync ('S'), except a Sync
 * the server ignores because it reached it in copy-in mode (libpq sends Execute + Sync for a COPY FROM STDIN sent with
 * the extended protocol, then CopyData..., CopyDone and another Sync: the first one is ignored). The startup phase
 * (SSLRequest, GSSENCRequest, CancelRequest, StartupMessage, PasswordMessage) numbers nothing. Each request is named
 * by the first words of its SQL: a Query's, or for a Sync the first statement its group parsed or bound (named
 * statements are remembered from their Parse, at most {@link #STATEMENTS}), and marked noisy when that SQL calls a
 * per-server function ({@link PgNoise}).
 *
 * <p>Never throws on any input: a message type the protocol does not have, a length out of range or a startup code
 * that is not protocol 3 is a framing error ({@link #failed()}), after which nothing more is framed. Not thread-safe;
 * never retains the buffers it reads.
 */
public final class PgRequestFramer {

    /** What the framer found, each with the stream offset just past the message. */
    public interface Listener {
        /** The StartupMessage ended; {@code replication}: its {@code replication} parameter (null: none). */
        void startup(long end, String replication);

        /** Request {@code number} (its ReadyForQuery will end reply {@code number}) ended. */
        void request(long number, boolean noisy, String name, long end);

        /** A Flush ('H') outside copy-in mode ended: the client may wait for answers without a ReadyForQuery. */
        void flush(long end);
    }

    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;
    /** PostgreSQL refuses longer startup packets. */
    static final int MAX_STARTUP = 10_000;
    /** PostgreSQL's largest message (MaxAllocSize). */
    static final long MAX_MESSAGE = 0x3fffffffL;
    /** Body bytes kept of a Query, Parse, Bind or Close (enough for the SQL's noise and name). */
    static final int CAPTURE = 64 * 1024;
    /** Named prepared statements remembered. */
    static final int STATEMENTS = 1024;
    private static final String TYPES = "BCdcfDEHFPpQSX";

    private final Listener listener;
    private final Map<String, Statement> statements = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Statement> e) {
            return size() > STATEMENTS;
        }
    };
    private long offset;
    private boolean started;
    private final byte[] header = new byte[8];
    private int headerFill;
    private long bodyLeft;
    private byte type;
    private byte[] body = new byte[64];
    private int bodyFill;
    private boolean capturing;
    private String error;
    // request numbering
    private long number;
    private boolean executed;
    private int pendingSyncs;
    private boolean firstSyncNoisy;
    private String firstSyncName;
    private boolean inCopy;
    private boolean groupNoisy;
    private String groupName;

    /** A statement's noise and name, from its Parse. */
    private record Statement(boolean noisy, String name) {
    }

    public PgRequestFramer(Listener listener) {
        this.listener = listener;
    }

    /** Frames the readable bytes of {@code buf} (indices unchanged). */
    public void feed(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && error == null) {
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, end - pos);
                if (capturing) {
                    capture(buf, pos, n);
                }
                pos += n;
                offset += n;
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    message();
                }
                continue;
            }
            header[headerFill++] = buf.getByte(pos++);
            offset++;
            if (headerFill == (started ? 5 : 8)) {
                headerFill = 0;
                if (started) {
                    typedHeader();
                } else {
                    startupHeader();
                }
            }
        }
    }

    private void startupHeader() {
        long len = int32(0);
        int code = (int) int32(4);
        if (len == 8 && (code == SSL_REQUEST || code == GSSENC_REQUEST)) {
            return;
        }
        if (code == CANCEL_REQUEST && len == 16) {
            type = 'K';
        } else if ((code >>> 16) == 3 && len > 8 && len <= MAX_STARTUP) {
            type = 0;
        } else {
            error = "not a PostgreSQL 3 startup message (length " + len + ", code " + code + ")";
            return;
        }
        begin(len - 8, type == 0);
    }

    private void typedHeader() {
        type = header[0];
        long len = int32(1);
        if (TYPES.indexOf(type) < 0) {
            error = "unknown message type 0x" + Integer.toHexString(type & 0xff);
        } else if (len < 4 || len > MAX_MESSAGE) {
            error = "message '" + (char) type + "' with length " + len;
        } else {
            begin(len - 4, type == 'Q' || type == 'P' || type == 'B' || type == 'C');
        }
    }

    private void begin(long bodyLength, boolean capture) {
        bodyLeft = bodyLength;
        bodyFill = 0;
        capturing = capture;
        if (bodyLeft == 0) {
            message();
        }
    }

    private long int32(int at) {
        return ((header[at] & 0xffL) << 24) | ((header[at + 1] & 0xff) << 16) | ((header[at + 2] & 0xff) << 8)
            | (header[at + 3] & 0xff);
    }

    private void capture(ByteBuf buf, int pos, int n) {
        int k = Math.min(n, CAPTURE - bodyFill);
        if (k <= 0) {
            return;
        }
        if (bodyFill + k > body.length) {
            byte[] bigger = new byte[Math.min(CAPTURE, Math.max(body.length * 2, bodyFill + k))];
            System.arraycopy(body, 0, bigger, 0, bodyFill);
            body = bigger;
        }
        buf.getBytes(pos, body, bodyFill, k);
        bodyFill += k;
    }

    /** The message whose header is in {@link #header} and whose (captured) body is in {@link #body} ended. */
    private void message() {
        if (!started) {
            if (type == 0) {
                started = true;
                listener.startup(offset, replication());
            }
            return;
        }
        switch (type) {
            case 'Q' -> {
                reset();
                String sql = cstring(0);
                number++;
                listener.request(number, PgNoise.noisy(sql), PgNoise.name(sql), offset);
            }
            case 'F' -> {
                reset();
                number++;
                listener.request(number, false, "function call", offset);
            }
            case 'P' -> parse();
            case 'B' -> bind();
            case 'C' -> {
                if (bodyFill > 0 && body[0] == 'S') {
                    statements.remove(cstring(1));
                }
            }
            case 'E' -> {
                executed = true;
                pendingSyncs = 0;
            }
            case 'S' -> sync();
            case 'H' -> {
                if (!inCopy) {
                    listener.flush(offset);
                }
            }
            case 'd', 'c', 'f' -> copy();
            default -> { }
        }
    }

    /** A simple-protocol request: the extended protocol's state starts over. */
    private void reset() {
        executed = false;
        pendingSyncs = 0;
        inCopy = false;
        groupNoisy = false;
        groupName = null;
    }

    private void parse() {
        String name = cstring(0);
        String sql = cstring(name.length() + 1);
        Statement s = new Statement(PgNoise.noisy(sql), PgNoise.name(sql));
        statements.put(name, s);
        join(s);
    }

    private void bind() {
        String portal = cstring(0);
        Statement s = statements.get(cstring(portal.length() + 1));
        if (s != null) {
            join(s);
        }
    }

    private void join(Statement s) {
        groupNoisy |= s.noisy();
        if (groupName == null) {
            groupName = s.name();
        }
    }

    private void sync() {
        if (inCopy) {
            return; // ignored by the server in copy-in mode
        }
        if (executed && pendingSyncs == 0) {
            firstSyncNoisy = groupNoisy;
            firstSyncName = groupName;
        }
        if (executed) {
            pendingSyncs++;
        }
        number++;
        listener.request(number, groupNoisy, groupName != null ? groupName : "sync", offset);
        groupNoisy = false;
        groupName = null;
    }

    /**
     * CopyData, CopyDone or CopyFail: the first one after an Execute means the server entered copy-in mode there, so
     * the Syncs sent since that Execute were ignored; the next Sync outside copy-in mode ends that reply instead.
     */
    private void copy() {
        if (!inCopy && executed && pendingSyncs > 0) {
            number -= pendingSyncs;
            groupNoisy = firstSyncNoisy;
            groupName = firstSyncName;
        }
        pendingSyncs = 0;
        executed = false;
        inCopy = type == 'd';
    }

    /** The {@code replication} parameter of the StartupMessage in {@link #body}, or null. */
    private String replication() {
        int pos = 0;
        while (pos < bodyFill && body[pos] != 0) {
            String key = cstring(pos);
            pos += key.length() + 1;
            String value = cstring(pos);
            pos += value.length() + 1;
            if (key.equals("replication")) {
                return value;
            }
        }
        return null;
    }

    /** The NUL-terminated string of the captured body at {@code from} (to the end of what was captured). */
    private String cstring(int from) {
        if (from >= bodyFill) {
            return "";
        }
        int z = from;
        while (z < bodyFill && body[z] != 0) {
            z++;
        }
        return new String(body, from, z - from, StandardCharsets.ISO_8859_1);
    }

    /** Stream offset: bytes framed so far. */
    public long offset() {
        return offset;
    }

    /** Whether a framing error stopped the framer. */
    public boolean failed() {
        return error != null;
    }

    /** The framing error, or null. */
    public String error() {
        return error;
    }

    /** Whether the StartupMessage went by. */
    public boolean started() {
        return started;
    }
}
