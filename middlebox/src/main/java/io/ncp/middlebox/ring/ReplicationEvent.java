package io.ncp.middlebox.ring;

import io.netty.buffer.ByteBuf;

/**
 * A preallocated, reused ring slot. Written only by the producer before publication, read only by the consumer
 * after it; {@link ShardRing} clears the references once the consumer is done with the slot.
 *
 * <p>Ownership: a published {@code data} buffer belongs to the consumer, which must release it exactly once.
 */
public final class ReplicationEvent {

    EventType type;
    long sessionId;
    SessionOpen open;
    ByteBuf data;
    long value;
    int crc;

    public EventType type() {
        return type;
    }

    public long sessionId() {
        return sessionId;
    }

    /** What the replica side needs to open the session ({@link EventType#SESSION_OPEN} only, else null). */
    public SessionOpen open() {
        return open;
    }

    /** The payload ({@link EventType#DATA} only); the consumer must release it. */
    public ByteBuf data() {
        return data;
    }

    public long value() {
        return value;
    }

    public int crc() {
        return crc;
    }

    void set(EventType t, long session, SessionOpen o, ByteBuf buf, long v, int c) {
        type = t;
        sessionId = session;
        open = o;
        data = buf;
        value = v;
        crc = c;
    }

    void clear() {
        open = null;
        data = null;
    }

    @Override
    public String toString() {
        return type + "#" + sessionId + (data != null ? " " + data.readableBytes() + "B" : "") + " v=" + value;
    }
}
