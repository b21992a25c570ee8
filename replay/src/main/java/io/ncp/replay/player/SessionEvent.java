package io.ncp.replay.player;

import io.ncp.replay.journal.SessionInfo;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.netty.buffer.ByteBuf;

/**
 * One step of a recorded session, in capture order.
 *
 * @param data DATA only: the bytes, owned by whoever holds the event (release it, or hand it on); null for
 *     server-to-client data when the source keeps only its length
 * @param length DATA: byte count; GAP: lost byte count
 * @param info OPEN only
 * @param reason CLOSE only
 */
public record SessionEvent(Kind kind, long sessionId, Direction direction, long timestampNanos, long offset,
        long length, ByteBuf data, SessionInfo info, CloseReason reason) {

    /** Event kinds, mirroring the journal's record types. */
    public enum Kind { OPEN, DATA, GAP, CLOSE }

    static SessionEvent open(SessionInfo info, long ts) {
        return new SessionEvent(Kind.OPEN, info.sessionId(), Direction.CLIENT_TO_SERVER, ts, 0, 0, null, info, null);
    }

    static SessionEvent data(long id, Direction d, long ts, long offset, long length, ByteBuf data) {
        return new SessionEvent(Kind.DATA, id, d, ts, offset, length, data, null, null);
    }

    static SessionEvent gap(long id, Direction d, long ts, long offset, long length) {
        return new SessionEvent(Kind.GAP, id, d, ts, offset, length, null, null, null);
    }

    static SessionEvent close(long id, Direction d, long ts, long offset, CloseReason reason) {
        return new SessionEvent(Kind.CLOSE, id, d, ts, offset, 0, null, null, reason);
    }

    /** Releases the data buffer, if any. */
    public void release() {
        if (data != null) {
            data.release();
        }
    }
}
