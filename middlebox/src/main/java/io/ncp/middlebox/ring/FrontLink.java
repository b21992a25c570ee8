package io.ncp.middlebox.ring;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * What the replica side tells a session's front beyond lockstep progress, for a service with failover: when a
 * replica's answers end (a primary end held meanwhile may then be the session's legitimate end), and once a promoted
 * replica's copy carries the session, that copy's answers and end. Implementations hop to the front loop: callable
 * from any thread.
 */
public interface FrontLink extends AnswerProgress {

    /** The answers of the replica at {@code replica} (position in the session's replica list) ended. */
    void replicaEnded(int replica);

    /**
     * The promoted replica's copy carries the session from now on; {@code channel} reads its answers (the front may
     * pause its reading for back-pressure); the replica had produced {@code answered} answer bytes by then.
     */
    void carrying(Channel channel, long answered);

    /** Answer bytes of the new primary, in order; the front owns {@code answer} (releases it). */
    void carried(ByteBuf answer);

    /** The new primary's answers ended: by a FIN or close, or ({@code reset}) by a reset or a lost copy. */
    void carriedEnd(boolean reset);

    /** The promoted replica's copy could not carry the session ({@code why}): the session is reset. */
    void notCarried(String why);
}
