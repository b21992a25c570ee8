package io.ncp.replay.reassembly;

/** Why a direction of a flow ended. */
public enum CloseReason {
    /** The sender's FIN was reached: every byte up to it was delivered or reported as a gap. */
    FIN,
    /** A RST was seen (in either direction: it ends both). */
    RST,
    /** No packet for the idle timeout (capture time). */
    IDLE,
    /** Forced out by the flow-count limit. */
    EVICTED,
    /** A new SYN with another initial sequence number reused the flow's addresses and ports. */
    REUSED,
    /** The input ended (end of capture file, capture stopped) with the flow still open. */
    END;

    /** Stable code for the journal format; never renumber. */
    public int code() {
        return ordinal();
    }

    public static CloseReason ofCode(int code) {
        CloseReason[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
