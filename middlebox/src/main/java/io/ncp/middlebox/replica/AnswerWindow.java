package io.ncp.middlebox.replica;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The answer bytes of one replica copy that its session's client may not have received yet, kept (retained slices)
 * so that, should this replica be promoted, the session carries over from exactly where the client is. Bytes below
 * what the client has (reported by the front) are dropped; past {@link #LIMIT} the copy can no longer carry the
 * session ({@link #overflowed}). Replica loop only; owns what it holds.
 */
final class AnswerWindow {

    /** The most a copy keeps. */
    static final long LIMIT = 8L << 20;

    private final ArrayDeque<ByteBuf> kept = new ArrayDeque<>();
    /** Stream offset of the first kept byte. */
    private long start;
    private long bytes;
    private boolean overflowed;

    /** Keeps {@code buf}'s readable bytes (a retained slice; the caller keeps its own reference). */
    void add(ByteBuf buf) {
        if (overflowed || !buf.isReadable()) {
            return;
        }
        kept.add(buf.retainedSlice());
        bytes += buf.readableBytes();
        if (bytes > LIMIT) {
            overflowed = true;
            releaseAll();
        }
    }

    /** The client has every byte below {@code offset}: drops them. */
    void releasedUpTo(long offset) {
        while (!kept.isEmpty() && start + kept.peek().readableBytes() <= offset) {
            ByteBuf b = kept.poll();
            start += b.readableBytes();
            bytes -= b.readableBytes();
            b.release();
        }
    }

    /** Whether every byte from {@code offset} on is still here (nothing was dropped past the limit). */
    boolean covers(long offset) {
        return !overflowed && offset >= start;
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Hands every kept byte from {@code offset} on to {@code sink} (ownership passes) and forgets them all. */
    void drainFrom(long offset, Consumer<ByteBuf> sink) {
        releasedUpTo(offset);
        while (!kept.isEmpty()) {
            ByteBuf b = kept.poll();
            int skip = (int) Math.max(0, offset - start);
            start += b.readableBytes();
            bytes -= b.readableBytes();
            if (skip >= b.readableBytes()) {
                b.release();
                continue;
            }
            b.skipBytes(skip);
            sink.accept(b);
        }
    }

    void releaseAll() {
        while (!kept.isEmpty()) {
            ByteBuf b = kept.poll();
            start += b.readableBytes();
            b.release();
        }
        bytes = 0;
    }
}
