package io.ncp.replay.journal;

import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;

/**
 * One journal record as read back.
 *
 * @param position byte offset of the record in its file
 * @param offset stream offset (DATA, GAP, CLOSE)
 * @param aux GAP: lost byte count
 * @param payload OPEN: encoded {@link SessionInfo}; DATA: the bytes; otherwise empty
 */
public record JournalRecord(long position, RecordType type, long sessionId, Direction direction, int flags,
        long timestampNanos, long offset, long aux, byte[] payload) {

    /** CLOSE records: why the direction ended. */
    public CloseReason closeReason() {
        return CloseReason.ofCode(flags);
    }
}
