package io.ncp.middlebox.ring;

/** What a {@link ReplicationEvent} says about its session. */
public enum EventType {
    /**
     * The primary accepted the session: replicas should connect ({@code service} set; {@code value} = sessions that
     * had ended before, to wait for on each replica; 0 = none).
     */
    SESSION_OPEN,
    /** Client bytes, in order ({@code data} set; the consumer owns and releases it). */
    DATA,
    /**
     * Client bytes were lost for the replicas: every replica copy of the session is damaged; {@code value} says why
     * ({@link SessionFeed#DAMAGE_RING_FULL}, {@link SessionFeed#DAMAGE_CAPTURE_GAP}).
     */
    DAMAGED,
    /** The client half-closed (FIN): replicas get a FIN after the bytes before it. */
    CLIENT_FIN,
    /** The primary completed answer block {@code value} with CRC32C {@code crc}. */
    PRIMARY_DIGEST,
    /**
     * The first answer bytes of the primary ({@code data}: at most {@link io.ncp.middlebox.digest.Divergence#HEAD},
     * the consumer releases it), sent once, before the first PRIMARY_DIGEST or the PRIMARY_END, so a divergence there
     * is located to the byte; best effort (not sent while the ring is full).
     */
    PRIMARY_HEAD,
    /** The primary's answer stream ended: {@code value} = total length, {@code crc} = CRC32C of the last block. */
    PRIMARY_END,
    /** The front side is done with the session; {@code value} = 1 when it ended by a reset. */
    SESSION_CLOSE,
    /** Lockstep: replica {@code value} held the client's answers too long; its copy is dropped as lagging. */
    LOCKSTEP_DROP,
    /** The session ended at the front: {@code value} = its end number, to report once each copy finished. */
    SESSION_ENDED,
    /**
     * Failover: the replica at position {@code crc} of the session's list carries the session from now on; its
     * answers go to the front from stream offset {@code value} on (the last offset the front reported as received).
     */
    TAKEOVER,
    /** Failover services: the client has received {@code value} answer bytes (copies may drop what they kept). */
    ANSWERS_RELEASED,
    /**
     * Request-aware sessions: replayed request number {@code value} has exchange bits {@code crc}
     * ({@link io.ncp.middlebox.proto.Exchange}); published before the request's bytes.
     */
    EXPECT,
    /** Request-aware sessions: the session is no longer replicated (a notReplicated request); copies close. */
    UNREPLICATED,
    /**
     * A resync's snapshot point continues this PostgreSQL session over a new connection (it is held idle, without
     * server state): {@code data} = its StartupMessage (the consumer releases it), {@code value} = the primary's answer
     * bytes digested so far (-1: not compared), {@code crc} = CRC32C of their incomplete last block.
     */
    CONTINUE
}
