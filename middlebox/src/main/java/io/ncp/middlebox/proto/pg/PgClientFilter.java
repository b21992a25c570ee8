package io.ncp.middlebox.proto.pg;

import io.ncp.middlebox.proto.ClientPass;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.proto.SqlText;
import io.ncp.middlebox.stats.ProtocolStats;
import io.netty.buffer.ByteBuf;
import java.util.Locale;
import java.util.Set;

/**
 * The front's view of one PostgreSQL session's client stream ({@link PgRequestFramer}): every byte is replayed (no
 * replay policy), the requests whose replies are noise are told to the primary's answer filter and to the replicas
 * before their last byte, and three things end the per-exchange view:
 * <ul>
 *   <li>a StartupMessage with a {@code replication} parameter (a physical or logical replica attaching through the
 *       middlebox): the session is not replicated (held until the StartupMessage is complete; counted
 *       {@code unreplicated});</li>
 *   <li>a Flush outside COPY: the client may wait for answers that end with no ReadyForQuery, so a lockstep gate
 *       passes the session's answers through from there on ({@link RequestSink#ungate}; counted {@code ungated});</li>
 *   <li>a framing error: the rest is replicated as bytes and passed through by a lockstep gate (counted
 *       {@code framingErrors}).</li>
 * </ul>
 * Front loop only. {@link #clientBytes} borrows its buffer; what goes to the sink is a retained slice the sink owns;
 * bytes held before the StartupMessage is complete are released by {@link #close} (or passed on).
 */
public final class PgClientFilter implements RequestFilter, PgRequestFramer.Listener {

    /** Values of {@code replication} that do not start a replication connection. */
    private static final Set<String> NOT_REPLICATION = Set.of("false", "off", "no", "0");

    private final FramingAnswerFilter primary;
    private final RequestSink sink;
    private final ProtocolStats stats;
    private final PgRequestFramer framer = new PgRequestFramer(this);
    private final ClientPass pass;
    private boolean unreplicated;
    private boolean bytesMode;
    private boolean ungated;
    private String error;

    public PgClientFilter(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        this.primary = primary;
        this.sink = sink;
        this.stats = stats;
        this.pass = new ClientPass(sink);
    }

    @Override
    public void clientBytes(ByteBuf b) {
        if (unreplicated) {
            return;
        }
        if (bytesMode) {
            sink.replay(b.retainedDuplicate());
            return;
        }
        pass.begin(b, framer.offset());
        try {
            framer.feed(b);
            if (unreplicated) {
                return;
            }
            if (framer.failed()) {
                bytesMode = true;
                error = framer.error();
                stats.framingErrors.increment();
                ungate("framing error");
            }
            if (framer.started() || bytesMode) {
                pass.passTo(pass.bufferEnd());
            } else {
                pass.holdRest(); // the StartupMessage is not complete yet
            }
        } finally {
            pass.end();
        }
    }

    @Override
    public void startup(long end, String replication) {
        if (replication != null && !NOT_REPLICATION.contains(replication.toLowerCase(Locale.ROOT))) {
            unreplicated = true;
            pass.release();
            stats.unreplicated.increment();
            sink.unreplicate("a startup message with replication=" + PgNoise.name(replication));
            return;
        }
        pass.passTo(end);
    }

    @Override
    public void request(long number, boolean noisy, String name, long end) {
        if (unreplicated) {
            return;
        }
        stats.requests.increment();
        if (noisy && SqlText.write(name)) {
            sink.nondeterministic(name);
        }
        if (noisy) {
            stats.noisy.increment();
            primary.expect(number, Exchange.NOISE);
            pass.passTo(end - 1); // every byte but the last: the replicas cannot answer before the request is whole
            sink.expect(number, Exchange.NOISE);
        }
    }

    @Override
    public void flush(long end) {
        if (!unreplicated) {
            ungate("a Flush");
        }
    }

    private void ungate(String why) {
        if (!ungated) {
            ungated = true;
            stats.ungated.increment();
            sink.ungate(why);
        }
    }

    @Override
    public void close() {
        pass.release();
    }

    @Override
    public boolean bytesMode() {
        return bytesMode;
    }

    /** Whether the session is not replicated (a replication connection). */
    public boolean unreplicated() {
        return unreplicated;
    }

    @Override
    public String error() {
        return error;
    }
}
