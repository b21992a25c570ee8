package io.ncp.middlebox.replica;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * Replays PostgreSQL's connection negotiation one step at a time. A client sends SSLRequest / GSSENCRequest (8
 * bytes) and waits for the server's one-byte answer before the StartupMessage; a server that finds more bytes
 * buffered behind such a request closes the connection ("received unencrypted data after SSL request"). Since the
 * middlebox writes a replica everything it has, this gate lets such a request through alone and holds the rest
 * until the replica answered. One per replica copy; replica loop only.
 */
final class PostgresStartupGate {

    private static final int REQUEST_LENGTH = 8;
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;

    private boolean open;
    private boolean waiting;
    /** The client half-closed: no more bytes will come. */
    private boolean clientDone;

    /**
     * How many bytes at the head of {@code queue} may be written now.
     *
     * @param queued total readable bytes in {@code queue}
     */
    long allowance(ArrayDeque<ByteBuf> queue, long queued) {
        if (open) {
            return Long.MAX_VALUE;
        }
        if (waiting) {
            return 0;
        }
        if (queued < REQUEST_LENGTH) {
            if (clientDone) { // a short first message that will never grow: let it go as it is
                open = true;
                return Long.MAX_VALUE;
            }
            return 0;
        }
        byte[] head = new byte[REQUEST_LENGTH];
        int filled = 0;
        for (ByteBuf b : queue) {
            int n = Math.min(b.readableBytes(), REQUEST_LENGTH - filled);
            b.getBytes(b.readerIndex(), head, filled, n);
            filled += n;
            if (filled == REQUEST_LENGTH) {
                break;
            }
        }
        int length = readInt(head, 0);
        int code = readInt(head, 4);
        if (length == REQUEST_LENGTH && (code == SSL_REQUEST || code == GSSENC_REQUEST)) {
            waiting = true;
            return REQUEST_LENGTH;
        }
        open = true;
        return Long.MAX_VALUE;
    }

    /** The replica answered: the next step of the negotiation may go. */
    void answered() {
        waiting = false;
    }

    /**
     * The client half-closed: nothing more will come. A request still waiting for the replica's answer keeps the
     * rest held (bytes queued while the copy waited, e.g. for session order, must not follow it at once); the FIN
     * goes after them.
     */
    void openUp() {
        clientDone = true;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
