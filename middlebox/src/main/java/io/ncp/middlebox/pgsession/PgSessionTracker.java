package io.ncp.middlebox.pgsession;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Follows one PostgreSQL session at the front, in both directions, to tell whether it could go on over a new
 * connection: it is <em>idle</em> when the server's last message was ReadyForQuery with status {@code 'I'} (no
 * transaction open) and every request the client sent is answered (as many ReadyForQuery as Query, Sync and the
 * StartupMessage, no extended-query message after the last Sync, both streams at a message boundary); it holds
 * <em>state</em> when it created something on the server that a new connection would not have ({@link StatefulSql},
 * a Parse of a named statement, a FunctionCall), or when it is not understood (TLS negotiated with the server, a
 * cancel or replication connection, an unknown message, a statement over {@link #MAX_TEXT} bytes). State is sticky:
 * once found, parsing stops. Keeps the StartupMessage (to open the new connection with).
 *
 * <p>A plain session SET or RESET of one parameter ({@link SessionSet}) is no state when it is a simple Query of its
 * own sent while the session was idle: it is recorded as replayable once the server answered it with CommandComplete
 * {@code SET} (or {@code RESET}) and ReadyForQuery {@code 'I'}, in order, a later SET of the same parameter replacing
 * the earlier one, a RESET removing it; one the server refused (ErrorResponse) is not recorded; any other answer
 * counts as state, and so do more than {@link #MAX_SETS} of them or one over {@link #MAX_SET_TEXT} characters.
 * {@link #login} gives the StartupMessage followed by the recorded SETs.
 *
 * <p>Threading: {@link #client} and {@link #server} on the session's front loop; {@link #idle}, {@link #state} and
 * {@link #continuable} from any thread (volatile). Never retains or releases the buffers it is given.
 */
public final class PgSessionTracker {

    /** The longest Query or Parse whose SQL is checked; a longer one counts as state (it is not read). */
    public static final int MAX_TEXT = 1 << 20;
    /** At most this many session SETs are recorded; one more counts as state. */
    public static final int MAX_SETS = 64;
    /** The longest SET text recorded (a longer one counts as state). */
    public static final int MAX_SET_TEXT = 4096;
    /** The longest StartupMessage kept. */
    public static final int MAX_STARTUP = 10_000;
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
    private static final int PROTOCOL_3 = 196608;
    private static final long MAX_MESSAGE = 1L << 30;

    // client direction
    private boolean startupDone;
    private final byte[] head = new byte[8];
    private int headFill;
    private long left;
    private byte type;
    /** The body of the current client message when it is read (StartupMessage, Query, Parse), else null. */
    private byte[] text;
    private int textFill;
    /** Client messages the server answers with one ReadyForQuery each (StartupMessage, Query, Sync). */
    private long syncs;
    /** Extended-query messages (Parse, Bind, Execute, Describe, Close, Flush) after the last Sync. */
    private int unsynced;
    /** One-byte answers to SSLRequest / GSSENCRequest still to come. */
    private int negotiations;
    private boolean terminated;
    private byte[] startup;
    /** Recorded session SETs: parameter name to the Query text that set it, oldest first (front loop). */
    private final java.util.LinkedHashMap<String, String> sets = new java.util.LinkedHashMap<>();
    /** A plain SET / RESET sent and not answered yet, or null; its text and the ReadyForQuery count answering it. */
    private SessionSet pendingSet;
    private String pendingText;
    private long pendingAt;
    private boolean pendingTagOk;
    private boolean pendingError;

    // server direction
    private final byte[] serverHead = new byte[5];
    private int serverFill;
    private long serverLeft;
    private boolean wantStatus;
    private long ready;
    private byte status;
    /** The body of the server's current CommandComplete while a SET is pending (its tag), else null. */
    private byte[] tag;
    private int tagFill;

    private volatile boolean idle;
    private volatile String state;

    /** Client bytes on their way to the server (borrowed, indices unchanged). */
    public void client(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && state == null) {
            int headLen = startupDone ? 5 : 8;
            if (left == 0 && headFill < headLen) {
                head[headFill++] = buf.getByte(pos++);
                if (headFill == headLen) {
                    header();
                }
                continue;
            }
            int n = (int) Math.min(left, end - pos);
            if (text != null) {
                buf.getBytes(pos, text, textFill, n);
                textFill += n;
            }
            pos += n;
            left -= n;
            if (left == 0) {
                message();
            }
        }
        update();
    }

    private void header() {
        if (!startupDone) {
            int len = readInt(head, 0);
            int code = readInt(head, 4);
            if (len == 8 && (code == SSL_REQUEST || code == GSSENC_REQUEST)) {
                negotiations++;
                headFill = 0;
            } else if (code == CANCEL_REQUEST) {
                stateful("cancel request");
            } else if (code != PROTOCOL_3) {
                stateful("protocol version " + (code >>> 16) + "." + (code & 0xffff));
            } else if (len < 8 || len > MAX_STARTUP) {
                stateful("StartupMessage of " + len + " bytes");
            } else {
                type = 0;
                text = new byte[len];
                System.arraycopy(head, 0, text, 0, 8);
                textFill = 8;
                left = len - 8;
                if (left == 0) {
                    message();
                }
            }
            return;
        }
        type = head[0];
        long len = readInt(head, 1) & 0xffffffffL;
        if (len < 4 || len > MAX_MESSAGE) {
            stateful("malformed message");
            return;
        }
        left = len - 4;
        if (type == 'Q' || type == 'P') {
            if (left > MAX_TEXT) {
                stateful("statement over " + MAX_TEXT + " bytes (not checked)");
                return;
            }
            text = new byte[(int) left];
            textFill = 0;
        }
        if (left == 0) {
            message();
        }
    }

    /** A whole client message went by. */
    private void message() {
        headFill = 0;
        byte[] body = text;
        text = null;
        if (!startupDone) {
            startupDone = true;
            startup = body;
            syncs++;
            if (startupParam(body, "replication") != null) {
                stateful("replication connection");
            }
            return;
        }
        switch (type) {
            case 'Q' -> {
                // nothing unanswered and no transaction open before it: a plain SET here is outside a transaction
                boolean quiet = ready == syncs && unsynced == 0 && status == 'I' && pendingSet == null;
                syncs++;
                query(cString(body, 0), quiet);
            }
            case 'P' -> {
                unsynced++;
                int nameEnd = cEnd(body, 0);
                if (nameEnd > 0) {
                    stateful("named prepared statement");
                    return;
                }
                sql(cString(body, nameEnd + 1));
            }
            case 'S' -> {
                syncs++;
                unsynced = 0;
            }
            case 'B', 'E', 'D', 'C', 'H' -> unsynced++;
            case 'd', 'c', 'f', 'p' -> { } // COPY data, password / SASL messages: answered within their request
            case 'X' -> terminated = true;
            case 'F' -> stateful("function call");
            default -> stateful("unknown message type " + (type & 0xff));
        }
    }

    /** A simple Query's text: a plain SET / RESET sent while {@code quiet} waits for its answer, else checked. */
    private void query(String text, boolean quiet) {
        SessionSet set = quiet && text.length() <= MAX_SET_TEXT ? SessionSet.parse(text) : null;
        if (set == null) {
            sql(text);
            return;
        }
        pendingSet = set;
        pendingText = text;
        pendingAt = syncs;
        pendingTagOk = false;
        pendingError = false;
    }

    private void sql(String text) {
        String why = StatefulSql.reason(text);
        if (why != null) {
            stateful(why);
        }
    }

    /** Server bytes on their way to the client (borrowed, indices unchanged). */
    public void server(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && state == null) {
            if (negotiations > 0 && serverFill == 0 && serverLeft == 0) {
                byte b = buf.getByte(pos++);
                negotiations--;
                if (b == 'S') {
                    stateful("TLS negotiated with the primary");
                } else if (b != 'N') {
                    stateful("encryption negotiated with the primary");
                }
                continue;
            }
            if (serverLeft == 0 && serverFill < 5) {
                serverHead[serverFill++] = buf.getByte(pos++);
                if (serverFill == 5) {
                    long len = readInt(serverHead, 1) & 0xffffffffL;
                    if (len < 4 || len > MAX_MESSAGE) {
                        stateful("malformed server message");
                        break;
                    }
                    serverLeft = len - 4;
                    wantStatus = serverHead[0] == 'Z';
                    tag = pendingSet != null && serverHead[0] == 'C' && serverLeft <= 16 ? new byte[(int) serverLeft]
                        : null;
                    tagFill = 0;
                    if (serverLeft == 0) {
                        serverMessage();
                    }
                }
                continue;
            }
            if (wantStatus) {
                status = buf.getByte(pos);
                wantStatus = false;
            }
            int n = (int) Math.min(serverLeft, end - pos);
            if (tag != null) {
                buf.getBytes(pos, tag, tagFill, n);
                tagFill += n;
            }
            pos += n;
            serverLeft -= n;
            if (serverLeft == 0) {
                serverMessage();
            }
        }
        update();
    }

    private void serverMessage() {
        serverFill = 0;
        byte t = serverHead[0];
        if (pendingSet != null && ready == pendingAt - 1) { // an answer to the pending SET's Query
            if (t == 'C') {
                pendingTagOk = !pendingTagOk && tag != null
                    && cString(tag, 0).equals(pendingSet.reset() ? "RESET" : "SET");
            } else if (t == 'E') {
                pendingError = true;
            } else if (t != 'Z' && t != 'N' && t != 'S') { // a notice or a ParameterStatus may come with a SET
                pendingTagOk = false;
                pendingError = true;
                stateful("session SET");
            }
        }
        tag = null;
        if (t == 'Z') {
            ready++;
            if (pendingSet != null && ready == pendingAt) {
                setAnswered();
            }
        }
    }

    /** The pending SET's ReadyForQuery came: recorded when it succeeded, ignored when refused, else state. */
    private void setAnswered() {
        SessionSet set = pendingSet;
        pendingSet = null;
        if (pendingError && state == null && status == 'I') {
            return; // refused: the server did not change the parameter
        }
        if (!pendingTagOk || status != 'I') {
            stateful(set.reset() ? "session RESET" : "session SET");
            return;
        }
        sets.remove(set.name());
        if (!set.reset()) {
            sets.put(set.name(), pendingText);
        }
        if (sets.size() > MAX_SETS) {
            stateful("session SET");
        }
    }

    private void update() {
        boolean now = state == null && startupDone && !terminated && headFill == 0 && left == 0 && negotiations == 0
            && serverFill == 0 && serverLeft == 0 && ready == syncs && unsynced == 0 && status == 'I';
        if (idle != now) {
            idle = now;
        }
    }

    private void stateful(String why) {
        if (state == null) {
            state = why;
            idle = false;
            text = null;
        }
    }

    /** Whether the session is idle now (see the class comment); any thread. */
    public boolean idle() {
        return idle;
    }

    /** The session state found (e.g. {@code named prepared statement}), or null: none so far. Any thread. */
    public String state() {
        return state;
    }

    /** Idle and without state: a new connection opened with {@link #startupMessage} could go on with it. */
    public boolean continuable() {
        return idle && state == null;
    }

    /** The session SETs recorded so far, oldest first, as the Query texts that set them (front loop). */
    public java.util.List<String> sessionSets() {
        return java.util.List.copyOf(sets.values());
    }

    /**
     * What a new connection must send to stand where this session stands (front loop): the StartupMessage, then one
     * simple Query message per recorded session SET, oldest first; null before the StartupMessage.
     */
    public byte[] login() {
        if (startup == null) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(startup);
        for (String q : sets.values()) {
            byte[] sql = q.getBytes(StandardCharsets.UTF_8);
            int len = 4 + sql.length + 1;
            out.write('Q');
            out.write(len >>> 24);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
            out.writeBytes(sql);
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The session's StartupMessage (length and protocol included; not to be modified), or null before it. */
    public byte[] startupMessage() {
        return startup;
    }

    /** The value of StartupMessage parameter {@code name}, or null. */
    static String startupParam(byte[] msg, String name) {
        int pos = 8;
        while (pos < msg.length && msg[pos] != 0) {
            String key = cString(msg, pos);
            pos = cEnd(msg, pos) + 1;
            String value = cString(msg, pos);
            pos = cEnd(msg, pos) + 1;
            if (key.equals(name)) {
                return value;
            }
        }
        return null;
    }

    /** The index of the zero byte ending the string at {@code from} (or the array's length). */
    private static int cEnd(byte[] b, int from) {
        int z = Math.min(from, b.length);
        while (z < b.length && b[z] != 0) {
            z++;
        }
        return z;
    }

    private static String cString(byte[] b, int from) {
        int start = Math.min(from, b.length);
        return new String(b, start, cEnd(b, start) - start, StandardCharsets.UTF_8);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
