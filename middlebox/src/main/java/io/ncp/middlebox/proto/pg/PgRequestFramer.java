package io.ncp.middlebox.proto.pg;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Frames a PostgreSQL client stream (protocol 3) into messages and hands the ones that matter to a
 * {@link PgRequestNumbers}, which numbers the requests that end a reply as the server answers them (a Query, a
 * FunctionCall, a Sync that the server does not ignore) and names them. The startup phase (SSLRequest,
 * GSSENCRequest, CancelRequest, StartupMessage) numbers nothing; the StartupMessage's {@code replication} parameter is
 * reported. Of a Query, Parse, Bind or Close the first {@link #CAPTURE} body bytes are kept (the SQL's noise and name).
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
    private static final String TYPES = "BCdcfDEHFPpQSX";

    private final Listener listener;
    private final PgRequestNumbers numbers;
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

    public PgRequestFramer(Listener listener) {
        this.listener = listener;
        this.numbers = new PgRequestNumbers(listener);
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
            case 'Q' -> numbers.query(cstring(0), offset);
            case 'F' -> numbers.functionCall(offset);
            case 'P' -> {
                String name = cstring(0);
                numbers.parse(name, cstring(name.length() + 1));
            }
            case 'B' -> numbers.bind(cstring(cstring(0).length() + 1));
            case 'C' -> {
                if (bodyFill > 0 && body[0] == 'S') {
                    numbers.close(cstring(1));
                }
            }
            case 'E' -> numbers.execute();
            case 'S' -> numbers.sync(offset);
            case 'H' -> numbers.flush(offset);
            case 'd', 'c', 'f' -> numbers.copy(type);
            default -> { }
        }
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
