package io.ncp.middlebox.proto.mysql;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Frames a MySQL / MariaDB client stream (protocol 4.1) into packets and commands. The first packet is the
 * HandshakeResponse (its capability flags are reported); packets with a sequence id other than 0 are the client's
 * part of an authentication exchange, LOCAL INFILE data or a long packet's continuation; a packet with sequence id 0
 * starts a command, except in LOCAL INFILE data (sequence ids go on from the server's request, one past the command's
 * last, and wrap; the data ends with an empty packet). Commands the server answers are numbered 1, 2, ... in order,
 * as their replies come. Of a COM_QUERY or COM_STMT_PREPARE the first {@link #CAPTURE} bytes of SQL are kept (noise
 * and name); of a statement command, its statement id.
 *
 * <p>Never throws on any input. An SSLRequest (TLS follows), a HandshakeResponse shorter than a 4.1 one or an empty
 * command packet is a framing error ({@link #failed()}), after which nothing more is framed. Not thread-safe; never
 * retains the buffers it reads.
 */
public final class MySqlRequestFramer {

    /** What the framer found. */
    public interface Listener {
        /** The HandshakeResponse ended; {@code capabilities}: its (lower 32 bits of) capability flags. */
        void handshake(int capabilities);

        /** The command byte of a command packet that starts at stream offset {@code start} was read. */
        void command(int command, long start);

        /**
         * A command ended at stream offset {@code end}: {@code number} (0 when the server does not answer it),
         * {@code sql} (COM_QUERY, COM_STMT_PREPARE: the first {@link #CAPTURE} bytes; else null), {@code statement}
         * (statement commands: the id; else -1).
         */
        void request(long number, int command, String sql, long statement, long end);
    }

    /** SQL bytes kept of a COM_QUERY or COM_STMT_PREPARE. */
    static final int CAPTURE = 64 * 1024;
    /** A packet of this payload length is continued by the next one. */
    static final int MAX_PAYLOAD = 0xffffff;
    static final int CLIENT_SSL = 0x800;
    static final int CLIENT_PROTOCOL_41 = 0x200;
    static final int CLIENT_QUERY_ATTRIBUTES = 1 << 27;

    private final Listener listener;
    private long offset;
    private final byte[] header = new byte[4];
    private int headerFill;
    private long packetStart;
    private int payloadLength;
    private long payloadLeft;
    /** The current packet continues the previous one (which had {@link #MAX_PAYLOAD} bytes). */
    private boolean continuation;
    /** The current logical packet is a command. */
    private boolean inCommand;
    /** The previous logical packet ended a command: a packet with its sequence id + 2 is LOCAL INFILE data. */
    private boolean commandEnded;
    /** LOCAL INFILE data is coming (up to an empty packet): sequence id 0 is a wrapped one, not a command. */
    private boolean infile;
    private int lastSeq;
    private boolean handshaken;
    private int capabilities;
    private int command;
    private byte[] body = new byte[64];
    private int bodyFill;
    private long number;
    private String error;

    public MySqlRequestFramer(Listener listener) {
        this.listener = listener;
    }

    /** Frames the readable bytes of {@code buf} (indices unchanged). */
    public void feed(ByteBuf buf) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && error == null) {
            if (headerFill < 4) {
                if (headerFill == 0) {
                    packetStart = offset;
                }
                header[headerFill++] = buf.getByte(pos++);
                offset++;
                if (headerFill == 4) {
                    packetHeader();
                }
                continue;
            }
            int n = (int) Math.min(payloadLeft, end - pos);
            capture(buf, pos, n);
            pos += n;
            offset += n;
            payloadLeft -= n;
            if (payloadLeft == 0) {
                packetEnd();
            }
        }
    }

    private void packetHeader() {
        payloadLength = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        payloadLeft = payloadLength;
        int seq = header[3] & 0xff;
        if (!continuation) {
            boolean afterCommand = commandEnded;
            commandEnded = false;
            if (handshaken && !infile && afterCommand && seq == ((lastSeq + 2) & 0xff) && seq != 0) {
                infile = true; // the server asked for a LOCAL INFILE (its packet took lastSeq + 1): data follows
            }
            inCommand = handshaken && !infile && seq == 0;
            if (infile && payloadLength == 0) {
                infile = false; // the empty packet that ends the file
            }
            bodyFill = 0;
            if (inCommand && payloadLength == 0) {
                error = "empty command packet";
                return;
            }
        }
        lastSeq = seq;
        if (payloadLeft == 0) {
            packetEnd();
        }
    }

    private void capture(ByteBuf buf, int pos, int n) {
        if (!inCommand && handshaken || n == 0) {
            return; // authentication or LOCAL INFILE data
        }
        if (bodyFill == 0 && inCommand && !continuation) {
            command = buf.getUnsignedByte(pos);
            listener.command(command, packetStart);
        }
        int limit = !handshaken ? 32 : command == MySqlCommands.QUERY || command == MySqlCommands.STMT_PREPARE
            ? CAPTURE + 1 : 5;
        int k = Math.min(n, limit - bodyFill);
        if (k <= 0) {
            return;
        }
        if (bodyFill + k > body.length) {
            byte[] bigger = new byte[Math.min(CAPTURE + 1, Math.max(body.length * 2, bodyFill + k))];
            System.arraycopy(body, 0, bigger, 0, bodyFill);
            body = bigger;
        }
        buf.getBytes(pos, body, bodyFill, k);
        bodyFill += k;
    }

    private void packetEnd() {
        headerFill = 0;
        continuation = payloadLength == MAX_PAYLOAD;
        if (continuation) {
            return; // the logical packet goes on in the next one
        }
        if (!handshaken) {
            handshake();
        } else if (inCommand) {
            inCommand = false;
            commandEnded = true;
            boolean replied = MySqlCommands.replied(command);
            listener.request(replied ? ++number : 0, command, sql(), statementId(), offset);
        }
    }

    private void handshake() {
        if (bodyFill < 4) {
            error = "not a MySQL HandshakeResponse (" + bodyFill + " bytes)";
            return;
        }
        capabilities = (body[0] & 0xff) | (body[1] & 0xff) << 8 | (body[2] & 0xff) << 16 | (body[3] & 0xff) << 24;
        if ((capabilities & CLIENT_SSL) != 0 && payloadLength == 32) {
            error = "the client asked for TLS (SSLRequest): an encrypted session cannot be framed";
        } else if ((capabilities & CLIENT_PROTOCOL_41) == 0 || payloadLength < 32) {
            error = "not a MySQL 4.1 HandshakeResponse (capabilities 0x" + Integer.toHexString(capabilities)
                + ", " + payloadLength + " bytes)";
        } else {
            handshaken = true;
            listener.handshake(capabilities);
        }
    }

    /** The SQL of a COM_QUERY / COM_STMT_PREPARE in {@link #body} (after its query attributes, if none), or null. */
    private String sql() {
        if (command != MySqlCommands.QUERY && command != MySqlCommands.STMT_PREPARE) {
            return null;
        }
        int from = 1;
        if (command == MySqlCommands.QUERY && (capabilities & CLIENT_QUERY_ATTRIBUTES) != 0 && bodyFill >= 3
            && body[1] == 0 && body[2] == 1) {
            from = 3; // no query attributes: parameter count 0, parameter set count 1
        }
        return bodyFill <= from ? "" : new String(body, from, bodyFill - from, StandardCharsets.UTF_8);
    }

    /** The statement id of a statement command in {@link #body}, or -1. */
    private long statementId() {
        if (!MySqlCommands.statement(command) || bodyFill < 5) {
            return -1;
        }
        return (body[1] & 0xffL) | (body[2] & 0xffL) << 8 | (body[3] & 0xffL) << 16 | (body[4] & 0xffL) << 24;
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

    /**
     * The stream offset where a packet that may be a command starts whose command byte has not been read yet (its
     * header is incomplete, or complete with sequence id 0), or -1: the front holds those bytes until it knows
     * whether the command ends the session's replication.
     */
    public long pendingCommand() {
        if (!handshaken || continuation || infile || error != null || headerFill == 0) {
            return -1;
        }
        if (headerFill < 4 || inCommand && bodyFill == 0 && payloadLeft == payloadLength) {
            return packetStart;
        }
        return -1;
    }

    /** Whether the HandshakeResponse went by. */
    public boolean handshaken() {
        return handshaken;
    }
}
