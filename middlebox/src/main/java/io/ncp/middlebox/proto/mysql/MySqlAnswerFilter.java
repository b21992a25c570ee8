package io.ncp.middlebox.proto.mysql;

import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RecentReplies;
import io.ncp.middlebox.proto.ReplyLedger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One answer stream of a MySQL / MariaDB session (the primary's, or one replica copy's), framed into replies: reply
 * <i>n</i> answers command <i>n</i> as {@link MySqlRequestFramer} numbers them. A reply is an OK, an ERR, an EOF, or
 * result sets (column count, column definitions, EOF unless CLIENT_DEPRECATE_EOF, rows, then an EOF or an OK with
 * header 0xFE), several while the status says SERVER_MORE_RESULTS_EXISTS; a COM_STMT_PREPARE's is a prepare OK with
 * its parameter and column definitions. A LOCAL INFILE request (0xFB) also ends a frame (the client must see it before
 * it sends the file), on every server alike; the OK or ERR after the file ends the reply. The shape of a reply comes
 * from its request's {@link Exchange} bits ({@code MYSQL_*}); {@code expect(0, capabilities)} tells the client's
 * capability flags (CLIENT_DEPRECATE_EOF), before any reply.
 *
 * <p>Digest: every byte, except in OK and EOF packets the status bits that say how the server ran a query rather
 * than what it answered (SERVER_QUERY_NO_GOOD_INDEX_USED, SERVER_QUERY_NO_INDEX_USED, SERVER_QUERY_WAS_SLOW: masked
 * to 0), and an OK packet's session state changes are digested sorted (their order is the server's own); a
 * {@link Exchange#NOISE} reply by its first packet's first byte only (OK, ERR or a column count).
 *
 * <p>The primary's stream starts with the greeting (random scramble, connection id) and the authentication exchange
 * up to its OK or ERR, which the replicas' authentication handlers swallow on their side: not digested, each packet
 * reported as a skipped frame. A replica's stream starts after it. A packet a reply cannot have there is a framing
 * error, and so is the reply to a COM_CHANGE_USER (a new authentication exchange): the rest is digested as bytes and
 * {@link FrameListener#framingFailed} is told. Not thread-safe: owned by the loop that reads the stream. Never retains
 * or releases buffers.
 */
public final class MySqlAnswerFilter implements FramingAnswerFilter {

    static final int CLIENT_DEPRECATE_EOF = 1 << 24;
    static final int MORE_RESULTS = 0x0008;
    static final int CURSOR_EXISTS = 0x0040;
    /** Status bits about how the query ran: not compared. */
    static final int EXECUTION_BITS = 0x0010 | 0x0020 | 0x0800;
    /** Payload bytes read before a packet is digested: enough for an OK packet's status (1 + 9 + 9 + 2). */
    static final int HEAD = 24;
    static final int SESSION_STATE_CHANGED = 0x4000;
    /** An OK packet with session state changes up to this size is digested with its changes in a canonical order. */
    static final int SESSION_OK_MAX = 64 * 1024;
    /** Prepared statements whose SQL is noisy remembered (the primary's stream). */
    static final int STATEMENTS = 16384;

    private enum State { FIRST, COLUMNS, COLUMNS_EOF, ROWS, PREPARED, PARAMS, PARAMS_EOF, PREP_COLUMNS,
        PREP_COLUMNS_EOF, FIELDS, TEXT }

    private boolean auth;
    private int authPackets;
    private boolean deprecateEof;
    // packet
    private final byte[] header = new byte[4];
    private int headerFill;
    private final byte[] head = new byte[HEAD];
    private int headFill;
    private int headWant;
    private long payloadLeft;
    private int payloadLength;
    private boolean continuation;
    private boolean nextContinues;
    private final ByteBuf scratch = Unpooled.wrappedBuffer(new byte[HEAD]);
    /** An OK packet with session state changes being collected (digested at its end), from its payload's start. */
    private boolean collecting;
    private byte[] collected = new byte[256];
    private int collectedFill;
    /** Where that packet's status flags are. */
    private int collectedStatusAt;
    private long offset;
    // reply
    private boolean inReply;
    private boolean firstPacket;
    private State state = State.FIRST;
    private long left;
    private int prepColumns;
    private int disposition;
    private final ReplyLedger ledger = new ReplyLedger();
    private final RecentReplies recent = new RecentReplies();
    private final Set<Long> noisyStatements = new LinkedHashSet<>();

    /** @param primary whether the stream still holds the greeting and the authentication exchange (the primary's) */
    public MySqlAnswerFilter(boolean primary) {
        this.auth = primary;
    }

    @Override
    public void listener(FrameListener l) {
        ledger.listener(l);
    }

    @Override
    public void expect(long ordinal, int exchange) {
        if (ordinal == 0) {
            deprecateEof = (exchange & CLIENT_DEPRECATE_EOF) != 0;
            return;
        }
        ledger.expect(ordinal, exchange);
    }

    /** Whether prepared statement {@code id}'s SQL is noisy (the primary's stream: ids its prepare OKs gave). */
    public boolean noisyStatement(long id) {
        return noisyStatements.contains(id);
    }

    @Override
    public void feed(ByteBuf buf, BlockDigester d) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && !ledger.failed()) {
            if (headerFill < 4) {
                header[headerFill++] = buf.getByte(pos++);
                offset++;
                if (headerFill == 4) {
                    packetHeader(d);
                }
                continue;
            }
            if (headFill < headWant) {
                int k = Math.min(headWant - headFill, end - pos);
                buf.getBytes(pos, head, headFill, k);
                headFill += k;
                pos += k;
                offset += k;
                payloadLeft -= k;
                if (headFill == headWant) {
                    packetHead(d);
                }
                continue;
            }
            int n = (int) Math.min(payloadLeft, end - pos);
            if (collecting) {
                buf.getBytes(pos, collected, collectedFill, n);
                collectedFill += n;
            } else if (digesting(d) && (disposition & Exchange.NOISE) == 0) {
                d.update(buf, pos, n);
            }
            pos += n;
            offset += n;
            payloadLeft -= n;
            if (payloadLeft == 0) {
                packetEnd(d);
            }
        }
        if (ledger.failed() && pos < end && d != null) {
            d.update(buf, pos, end - pos);
        }
    }

    private boolean digesting(BlockDigester d) {
        return d != null && !auth && (disposition & Exchange.SKIPPED) == 0;
    }

    private void packetHeader(BlockDigester d) {
        payloadLength = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        payloadLeft = payloadLength;
        continuation = nextContinues;
        nextContinues = payloadLength == MySqlRequestFramer.MAX_PAYLOAD;
        headFill = 0;
        headWant = continuation ? 0 : Math.min(payloadLength, HEAD);
        if (!auth && !inReply) {
            replyStart(d);
        }
        if (ledger.failed()) {
            return;
        }
        if (digesting(d) && (disposition & Exchange.NOISE) == 0) {
            scratch.setBytes(0, header);
            d.update(scratch, 0, 4);
        }
        if (headWant == 0) {
            packetHead(d);
        }
    }

    private void replyStart(BlockDigester d) {
        inReply = true;
        firstPacket = true;
        disposition = ledger.next();
        if (d != null && (disposition & Exchange.SKIPPED) == 0) {
            recent.started(d.total(), ledger.last());
        }
        if ((disposition & Exchange.MYSQL_AUTH) != 0) {
            fail(); // the bytes of this reply on are digested as bytes
            return;
        }
        state = (disposition & Exchange.MYSQL_PREPARE) != 0 ? State.PREPARED
            : (disposition & Exchange.MYSQL_FIELDS) != 0 ? State.FIELDS
            : (disposition & Exchange.MYSQL_TEXT) != 0 ? State.TEXT
            : (disposition & Exchange.MYSQL_ROWS) != 0 ? State.ROWS : State.FIRST;
    }

    /** The packet's first bytes are in {@link #head}: digested (masked, or only the first byte of a noisy reply). */
    private void packetHead(BlockDigester d) {
        if (digesting(d) && headFill > 0) {
            scratch.setBytes(0, head, 0, headFill);
            if ((disposition & Exchange.NOISE) != 0) {
                if (firstPacket) {
                    d.update(scratch, 0, 1);
                }
            } else {
                int at = continuation ? -1 : statusAt();
                int status = 0;
                if (at >= 0 && at + 2 <= headFill) {
                    status = scratch.getUnsignedShortLE(at);
                    scratch.setShortLE(at, status & ~EXECUTION_BITS);
                }
                boolean eof = kind() == 0xfe && payloadLength < 7;
                if ((status & SESSION_STATE_CHANGED) != 0 && !eof && payloadLength <= SESSION_OK_MAX) {
                    collecting = true; // the changes' order is the server's own: digested sorted at the end
                    collectedStatusAt = at;
                    if (collected.length < payloadLength) {
                        collected = new byte[payloadLength];
                    }
                    scratch.getBytes(0, collected, 0, headFill);
                    collectedFill = headFill;
                } else {
                    d.update(scratch, 0, headFill);
                }
            }
        }
        firstPacket = false;
        if (payloadLeft == 0) {
            packetEnd(d);
        }
    }

    /**
     * The collected OK packet with its session state changes sorted (each change: type, then its length-encoded
     * data), as collected when they cannot be parsed. MariaDB lists changed system variables in an order of its own
     * (e.g. {@code character_set_client}, {@code _connection}, {@code _results} on one server, {@code _results}
     * first on another, for the same statement): the order is not compared, the changes are.
     */
    private byte[] canonicalSessionOk() {
        byte[] p = Arrays.copyOf(collected, collectedFill);
        int n = p.length;
        int info = collectedStatusAt + 4; // after the status flags and the warning count
        long[] len = new long[1];
        int at = lenenc(p, info, len);
        if (at < 0 || at + len[0] > n) {
            return p;
        }
        int changes = lenenc(p, at + (int) len[0], len);
        if (changes < 0 || changes + len[0] != n) {
            return p;
        }
        List<byte[]> entries = new ArrayList<>();
        for (int e = changes; e < n; ) {
            int data = lenenc(p, e + 1, len);
            if (data < 0 || data + len[0] > n) {
                return p;
            }
            entries.add(Arrays.copyOfRange(p, e, data + (int) len[0]));
            e = data + (int) len[0];
        }
        entries.sort(java.util.Arrays::compareUnsigned);
        int w = changes;
        for (byte[] e : entries) {
            System.arraycopy(e, 0, p, w, e.length);
            w += e.length;
        }
        return p;
    }

    /**
     * The length-encoded length at {@code p[at]} into {@code out[0]}; the index after it, or -1 past the end or for a
     * length longer than {@code p}.
     */
    private static int lenenc(byte[] p, int at, long[] out) {
        if (at >= p.length) {
            return -1;
        }
        int first = p[at] & 0xff;
        int size = first < 0xfb ? 0 : first == 0xfc ? 2 : first == 0xfd ? 3 : first == 0xfe ? 8 : -1;
        if (size < 0 || at + 1 + size > p.length) {
            return -1;
        }
        long v = size == 0 ? first : 0;
        for (int i = size; i >= 1; i--) {
            v = v << 8 | (p[at + i] & 0xff);
        }
        if (v < 0 || v > p.length) {
            return -1; // no length in a packet is longer than the packet
        }
        out[0] = v;
        return at + 1 + size;
    }

    private int kind() {
        return headFill == 0 ? -1 : head[0] & 0xff;
    }

    /** Where the current packet's status flags are in {@link #head} (an OK or EOF), or -1. */
    private int statusAt() {
        if (auth) {
            return -1;
        }
        int k = kind();
        boolean ok = k == 0x00 && (state == State.FIRST);
        boolean terminator = k == 0xfe && (state == State.FIRST || state == State.ROWS || state == State.COLUMNS_EOF
            || state == State.FIELDS || state == State.PARAMS_EOF || state == State.PREP_COLUMNS_EOF);
        if (!ok && !terminator) {
            return -1;
        }
        if (k == 0xfe && payloadLength < 7) {
            return 3; // EOF: warnings, then status
        }
        int p = skipLenenc(1);
        p = p < 0 ? -1 : skipLenenc(p);
        return p;
    }

    /** The index after the length-encoded integer at {@code p} in {@link #head}, or -1 past what was read. */
    private int skipLenenc(int p) {
        if (p >= headFill) {
            return -1;
        }
        int first = head[p] & 0xff;
        int size = first < 0xfb ? 1 : first == 0xfc ? 3 : first == 0xfd ? 4 : first == 0xfe ? 9 : 1;
        return p + size <= headFill ? p + size : -1;
    }

    private long lenenc(int p) {
        int first = head[p] & 0xff;
        if (first < 0xfb) {
            return first;
        }
        long v = 0;
        int size = first == 0xfc ? 2 : first == 0xfd ? 3 : 8;
        for (int i = size; i >= 1; i--) {
            v = v << 8 | (p + i < headFill ? head[p + i] & 0xff : 0);
        }
        return v;
    }

    private int status() {
        int at = statusAt();
        return at >= 0 && at + 2 <= headFill ? (head[at] & 0xff) | (head[at + 1] & 0xff) << 8 : 0;
    }

    /** A logical packet (its last physical packet) ended: the reply's state moves on. */
    private void packetEnd(BlockDigester d) {
        headerFill = 0;
        if (collecting) {
            collecting = false;
            if (d != null) { // null: the digest stopped while the packet was read
                d.update(Unpooled.wrappedBuffer(canonicalSessionOk()));
            }
        }
        if (nextContinues) {
            return;
        }
        if (auth) {
            authPackets++;
            int k = kind();
            auth = !(authPackets > 1 && (k == 0x00 || k == 0xff));
            frame(true);
            return;
        }
        int k = kind();
        if (k == 0xff && state != State.TEXT) {
            replyEnd(); // an ERR ends the reply wherever it comes
            return;
        }
        switch (state) {
            case FIRST -> first(k);
            case COLUMNS -> {
                if (--left == 0) {
                    state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
                }
            }
            case COLUMNS_EOF -> {
                if (k != 0xfe) {
                    fail();
                } else if ((status() & CURSOR_EXISTS) != 0) {
                    replyEnd();
                } else {
                    state = State.ROWS;
                }
            }
            case ROWS, FIELDS -> {
                if (k == 0xfe && payloadLength < MySqlRequestFramer.MAX_PAYLOAD && !continuation) {
                    terminator();
                }
            }
            case PREPARED -> prepared(k);
            case PARAMS -> {
                if (--left == 0) {
                    afterParams();
                }
            }
            case PARAMS_EOF -> {
                if (k != 0xfe) {
                    fail();
                } else {
                    columnsOrEnd();
                }
            }
            case PREP_COLUMNS -> {
                if (--left == 0) {
                    if (deprecateEof) {
                        replyEnd();
                    } else {
                        state = State.PREP_COLUMNS_EOF;
                    }
                }
            }
            case PREP_COLUMNS_EOF -> {
                if (k != 0xfe) {
                    fail();
                } else {
                    replyEnd();
                }
            }
            case TEXT -> replyEnd();
            default -> { }
        }
    }

    private void first(int k) {
        if (k == 0x00 || k == 0xfe) {
            terminator();
        } else if (k == 0xfb) {
            frame(false); // LOCAL INFILE: the client sends the file, then the server's OK or ERR ends the reply
        } else if (k < 0) {
            fail();
        } else {
            int p = skipLenenc(0);
            long columns = lenenc(0);
            boolean metadata = p < 0 || p >= headFill || head[p] != 0; // MariaDB / MySQL 8 optional metadata
            if (columns == 0 || p < 0) {
                fail();
            } else if (metadata) {
                left = columns;
                state = State.COLUMNS;
            } else {
                state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
            }
        }
    }

    /** An OK or EOF that ends a result: the reply goes on with another one, or ends. */
    private void terminator() {
        if ((status() & MORE_RESULTS) != 0) {
            state = State.FIRST;
        } else {
            replyEnd();
        }
    }

    private void prepared(int k) {
        if (k != 0x00 || headFill < 9) {
            fail();
            return;
        }
        long id = (head[1] & 0xffL) | (head[2] & 0xffL) << 8 | (head[3] & 0xffL) << 16 | (head[4] & 0xffL) << 24;
        if ((disposition & Exchange.NOISE) != 0) {
            if (noisyStatements.size() >= STATEMENTS) {
                noisyStatements.remove(noisyStatements.iterator().next());
            }
            noisyStatements.add(id);
        }
        prepColumns = (head[5] & 0xff) | (head[6] & 0xff) << 8;
        int params = (head[7] & 0xff) | (head[8] & 0xff) << 8;
        boolean metadata = payloadLength <= 12 || headFill <= 12 || head[12] != 0;
        if (!metadata) {
            replyEnd();
        } else if (params > 0) {
            left = params;
            state = State.PARAMS;
        } else {
            columnsOrEnd();
        }
    }

    private void afterParams() {
        if (deprecateEof) {
            columnsOrEnd();
        } else {
            state = State.PARAMS_EOF;
        }
    }

    private void columnsOrEnd() {
        if (prepColumns > 0) {
            left = prepColumns;
            state = State.PREP_COLUMNS;
        } else {
            replyEnd();
        }
    }

    private void replyEnd() {
        inReply = false;
        state = State.FIRST;
        frame((disposition & Exchange.SKIPPED) != 0);
    }

    private void frame(boolean skipped) {
        ledger.frame(offset, skipped);
    }

    private void fail() {
        ledger.fail();
    }

    @Override
    public long requestAt(long digestOffset) {
        return recent.requestAt(digestOffset);
    }

    @Override
    public long frames() {
        return ledger.frames();
    }

    @Override
    public boolean failed() {
        return ledger.failed();
    }
}
