package io.ncp.middlebox.proto;

import io.netty.buffer.ByteBuf;

/**
 * The front's view of one session's client stream for a request-aware protocol: frames each request, decides its
 * {@link Exchange} bits, tells the primary's {@link FramingAnswerFilter} (every request) and the replicas (through the
 * {@link RequestSink}) what each reply is, and passes on to the replicas exactly the bytes they get. After a framing
 * error the rest of the stream is passed on as bytes (counted). Front loop only; {@link #clientBytes} borrows its
 * buffer; what goes to the sink is a retained slice the sink owns; bytes held meanwhile are released by
 * {@link #close}.
 */
public interface RequestFilter {

    /** Client bytes on their way to the primary ({@code b} borrowed, indices unchanged). */
    void clientBytes(ByteBuf b);

    /** Whether the stream is replicated as bytes (after a framing error). */
    boolean bytesMode();

    /** The framing error, or null. */
    String error();

    /**
     * How many requests went to the primary whole, numbered as the primary's answer filter numbers their replies
     * ({@link FramingAnswerFilter#repliesEnded}); -1 when the protocol does not count them or cannot now (a request
     * is partly sent, the stream is not framed, replies may be pushes).
     */
    default long requestsSent() {
        return -1;
    }

    /** The session ended: releases what is held. */
    void close();
}
