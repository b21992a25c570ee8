package io.ncp.middlebox.proto.http;

import io.ncp.middlebox.proto.ClientPass;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;
import io.netty.buffer.ByteBuf;

/**
 * The front's view of one HTTP/1.1 session's client stream ({@link HttpFramer}): every byte is replayed (there is no
 * replay policy for HTTP), requests are numbered 1, 2, ... as they end, and a {@code HEAD} request is told to the
 * primary's answer filter and to the replicas before its last byte (its response has no body). Two things end the
 * per-exchange view, after which a lockstep gate passes the session's answers through ({@link RequestSink#ungate};
 * counted {@code ungated}) while replication and comparison go on:
 * <ul>
 *   <li>a {@code CONNECT} request (a tunnel follows);</li>
 *   <li>a client stream that is not HTTP/1.x any more (malformed, or a protocol after an {@code Upgrade}): the rest is
 *       replicated as bytes (counted {@code framingErrors}).</li>
 * </ul>
 * Front loop only. {@link #clientBytes} borrows its buffer; what goes to the sink is a retained slice the sink owns.
 */
public final class HttpClientFilter implements RequestFilter, HttpFramer.Listener {

    private final FramingAnswerFilter primary;
    private final RequestSink sink;
    private final ProtocolStats stats;
    private final HttpFramer framer = HttpFramer.requests(this);
    private long number;
    private boolean bytesMode;
    private boolean ungated;
    private String error;
    private final ClientPass pass;

    public HttpClientFilter(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        this.primary = primary;
        this.sink = sink;
        this.stats = stats;
        this.pass = new ClientPass(sink);
    }

    @Override
    public void clientBytes(ByteBuf b) {
        if (bytesMode) {
            sink.replay(b.retainedDuplicate());
            return;
        }
        pass.begin(b, framer.offset());
        try {
            framer.feed(b);
            pass.passTo(pass.bufferEnd());
        } finally {
            pass.end();
        }
    }

    @Override
    public void messageEnd(long end, int status, String name) {
        number++;
        stats.requests.increment();
        if (name.startsWith("HEAD ")) {
            primary.expect(number, Exchange.HEAD);
            pass.passTo(end - 1); // every byte but the last: the replicas cannot answer before the request is whole
            sink.expect(number, Exchange.HEAD);
        } else if (name.startsWith("CONNECT ")) {
            ungate("a CONNECT request");
        }
    }

    @Override
    public void opaque(long offset, String why) {
        bytesMode = true;
        error = why;
        stats.framingErrors.increment();
        ungate("the client stream is not HTTP/1.x any more");
    }

    private void ungate(String why) {
        if (!ungated) {
            ungated = true;
            stats.ungated.increment();
            sink.ungate(why);
        }
    }

    @Override
    public boolean bytesMode() {
        return bytesMode;
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public void close() {
        // nothing held: every byte is passed on within the call that read it
    }
}
