package io.ncp.middlebox.proto;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * What a {@link RequestFilter} passes on of its client stream to its {@link RequestSink}, in stream order: the bytes of
 * the buffer being read up to a stream offset ({@link #passTo}), after any bytes held from earlier buffers (the start
 * of a request whose fate is not known yet: {@link #holdRest}, then passed on or released, {@link #flushHeld}).
 * Front loop only. The buffer being read is borrowed between {@link #begin} and {@link #end}; what goes to the sink
 * is a retained slice the sink owns; held slices are retained until passed on or released ({@link #release}).
 */
public final class ClientPass {

    private final RequestSink sink;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    /** Stream offset of the first held byte. */
    private long heldFrom;
    private ByteBuf buf;
    /** Stream offset of {@code buf}'s reader index. */
    private long base;
    /** Bytes of {@code buf} before this index are passed on or held. */
    private int mark;

    public ClientPass(RequestSink sink) {
        this.sink = sink;
    }

    /** Reading {@code b} (borrowed until {@link #end}); its first readable byte is at stream offset {@code offset}. */
    public void begin(ByteBuf b, long offset) {
        buf = b;
        base = offset;
        mark = b.readerIndex();
    }

    /** The stream offset just past the buffer being read. */
    public long bufferEnd() {
        return base + buf.readableBytes();
    }

    /** Passes on the held bytes, then the buffer's bytes before stream offset {@code to} (not yet passed or held). */
    public void passTo(long to) {
        flushHeld(Long.MAX_VALUE);
        int index = index(to);
        if (index > mark) {
            sink.replay(buf.retainedSlice(mark, index - mark));
            mark = index;
        }
    }

    /** Holds the buffer's bytes from stream offset {@code from} (not before what was passed) to its end. */
    public void holdFrom(long from) {
        int end = buf.writerIndex();
        int stop = Math.max(mark, index(from));
        if (stop > mark) {
            passTo(from);
        }
        if (end > stop) {
            if (held.isEmpty()) {
                heldFrom = base + (stop - buf.readerIndex());
            }
            held.add(buf.retainedSlice(stop, end - stop));
            mark = end;
        }
    }

    /** Holds the buffer's bytes not yet passed or held. */
    public void holdRest() {
        holdFrom(base);
    }

    /** Passes on the held bytes before stream offset {@code to} and releases the others. */
    public void flushHeld(long to) {
        while (!held.isEmpty()) {
            ByteBuf h = held.poll();
            int n = h.readableBytes();
            int keep = (int) Math.max(0, Math.min(n, to - heldFrom));
            if (keep > 0) {
                sink.replay(h.retainedSlice(h.readerIndex(), keep));
            }
            h.release();
            heldFrom += n;
        }
    }

    /** The call that read the buffer is over: it is no longer borrowed. */
    public void end() {
        buf = null;
    }

    /** Releases the held bytes (the session ended, or is not replicated). */
    public void release() {
        while (!held.isEmpty()) {
            heldFrom += held.peek().readableBytes();
            held.poll().release();
        }
    }

    private int index(long offset) {
        return buf.readerIndex() + (int) Math.max(0, Math.min(buf.readableBytes(), offset - base));
    }
}
