package io.ncp.replay.journal;

/** Journal record types; the codes are part of the file format. */
public enum RecordType {
    /** A session began; payload: its endpoints ({@link SessionInfo}). */
    OPEN(1),
    /** Stream bytes of one direction at {@code offset}; payload: the bytes. */
    DATA(2),
    /** {@code aux} bytes at {@code offset} of one direction were lost. */
    GAP(3),
    /** One direction ended at {@code offset}; flags: the {@link io.ncp.replay.reassembly.CloseReason} code. */
    CLOSE(4);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or null. */
    public static RecordType of(int code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
