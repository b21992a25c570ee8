package io.ncp.middlebox.digest;

import io.ncp.middlebox.config.CompareMode;
import io.netty.buffer.ByteBuf;

/**
 * Feeds an answer stream into a {@link BlockDigester}, possibly masking bytes that legitimately differ between
 * servers. One instance per stream; not thread-safe; never retains or releases the buffers it sees.
 */
public interface AnswerFilter {

    /** Digests the readable bytes of {@code buf} (indices unchanged). */
    void feed(ByteBuf buf, BlockDigester digester);

    /**
     * Client bytes of the same session (borrowed, indices unchanged), seen before the answers they cause: a filter
     * that must know the requests (Redis: which replies answer the authentication commands) reads them. Default:
     * ignored.
     */
    default void clientBytes(ByteBuf buf) {
    }

    /** A fresh filter for one stream, or null when answers are not compared. */
    static AnswerFilter forMode(CompareMode mode) {
        switch (mode) {
            case BYTES:
                return (buf, d) -> d.update(buf);
            case POSTGRES:
                return new PostgresKeyMask();
            case NONE:
            default:
                return null;
        }
    }
}
