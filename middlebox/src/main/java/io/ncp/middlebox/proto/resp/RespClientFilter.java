package io.ncp.middlebox.proto.resp;

import io.ncp.middlebox.auth.RedisAuthPhase;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * The front's view of one Redis session's client stream: frames each request, applies the replay policy and decides
 * its {@link Exchange} bits, tells the primary's {@link RespAnswerFilter} (every request) and the replicas
 * (through the {@link RequestSink}: requests they get) what each reply is, and passes on to the replicas exactly the
 * bytes of the requests they get. A request that may be skipped is held (retained slices) until it is complete; any
 * other request's bytes pass as soon as its command name is known. After a framing error the rest of the stream is
 * passed on as bytes (counted); after a request of {@code notReplicated} nothing more is.
 *
 * <p>MULTI/EXEC: a queued request that is skipped or noisy makes the EXEC's reply noise (its queued-replies array
 * differs). Pub/sub: SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE (and, once subscribed, their UN- forms) get no reply of
 * their own; a PING in pub/sub mode is marked so that its array reply is paired with it.
 *
 * <p>Authentication ({@code AUTH}, {@code HELLO} before any other replayed request, as
 * {@link RedisAuthPhase} defines it): such requests are replayed (each replica's authentication handler rewrites them
 * with its own credentials and swallows its replies), and they take no number on the replica side: the primary's
 * filter is told they are {@link Exchange#SKIPPED} (reply neither compared nor waited for), the replicas are told
 * nothing and number their replies from the first request after the phase. Request <i>i</i> thus stays paired with
 * reply <i>i</i> on the primary and on every replica, whatever credentials each server needs.
 *
 * <p>Front loop only. {@link #clientBytes} borrows its buffer; what goes to the sink is a retained slice the sink
 * owns; held slices are released here (skipped, or {@link #close}).
 */
public final class RespClientFilter implements RequestFilter, RespRequestFramer.Listener {

    private static final Set<String> SUBSCRIBE = Set.of("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE");
    private static final Set<String> UNSUBSCRIBE = Set.of("UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE");

    private final RespPolicy policy;
    private final FramingAnswerFilter primary;
    private final RequestSink sink;
    private final ProtocolStats stats;
    private final RespRequestFramer framer = new RespRequestFramer(this);
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private boolean passing;
    private boolean unreplicated;
    private boolean bytesMode;
    private long allOrdinal;
    private long replayedOrdinal;
    private boolean inMulti;
    private boolean multiTainted;
    private boolean subscribed;
    /** The replicas' authentication phase lasts (no replayed request other than AUTH/HELLO yet). */
    private boolean authPhase = true;
    private String error;
    // per clientBytes() call
    private ByteBuf buf;
    private long base;
    /** Bytes of {@code buf} before this index are handled (passed on, held or dropped). */
    private int emitFrom;
    /** Start of the run of bytes to pass on ({@code [runFrom, emitFrom)}): one slice per run, not per request. */
    private int runFrom;

    public RespClientFilter(RespPolicy policy, FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        this.policy = policy;
        this.primary = primary;
        this.sink = sink;
        this.stats = stats;
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
        buf = b;
        base = framer.offset();
        emitFrom = b.readerIndex();
        runFrom = emitFrom;
        try {
            framer.feed(b);
            if (unreplicated) {
                return;
            }
            int end = b.writerIndex();
            if (framer.failed()) {
                bytesMode = true;
                error = framer.error();
                stats.framingErrors.increment();
                flushHeld();
                emit(end);
                flushRun();
                return;
            }
            if (emitFrom < end) {
                if (!passing) {
                    String name = framer.currentName();
                    if (name != null && !policy.mayMatter(name)) {
                        passing = true;
                        flushHeld();
                    }
                }
                if (passing) {
                    emit(end);
                } else {
                    flushRun();
                    held.add(b.retainedSlice(emitFrom, end - emitFrom));
                    emitFrom = end;
                    runFrom = end;
                }
            }
            flushRun();
        } finally {
            buf = null;
        }
    }

    @Override
    public void request(RespRequest r) {
        if (unreplicated) {
            return;
        }
        int to = buf.readerIndex() + (int) (r.end() - base);
        if (r.empty()) {
            authPhase = false; // replayed: the replicas' handlers end their phase on it
            flushHeld();
            emit(to); // ignored by redis-server, harmless on the replicas
            passing = false;
            return;
        }
        stats.requests.increment();
        allOrdinal++;
        if (authPhase && RedisAuthPhase.isAuthCommand(r.name(), r.multibulk(), r.argc(), r.end() - r.start())) {
            stats.authentication.increment();
            passing = false;
            primary.expect(allOrdinal, Exchange.SKIPPED); // the replicas' handlers swallow their replies to it
            flushHeld();
            emit(to);
            return;
        }
        RespPolicy.Verdict v = passing ? RespPolicy.Verdict.REPLAY : policy.verdict(r);
        passing = false;
        if (v != RespPolicy.Verdict.SKIP) {
            authPhase = false; // a skipped request never reaches the replicas' handlers: it ends nothing there
        }
        if (v == RespPolicy.Verdict.UNREPLICATE) {
            flushRun();
            unreplicated = true;
            releaseHeld();
            stats.unreplicated.increment();
            sink.unreplicate(r.name());
            return;
        }
        int ex = exchange(r, v == RespPolicy.Verdict.SKIP);
        if (v == RespPolicy.Verdict.SKIP) {
            ex |= Exchange.SKIPPED;
            stats.skipped.increment();
            flushRun();
            releaseHeld();
            emitFrom = to;
            runFrom = to;
        }
        if ((ex & Exchange.NOISE) != 0) {
            stats.noisy.increment();
        }
        if (ex != Exchange.COMPARE) {
            primary.expect(allOrdinal, ex);
        }
        if (v == RespPolicy.Verdict.REPLAY) {
            replayedOrdinal++;
            if (ex != Exchange.COMPARE) {
                sink.expect(replayedOrdinal, ex);
            }
            flushHeld();
            emit(to);
        }
    }

    /** The {@link Exchange} bits of {@code r} (without SKIPPED), tracking MULTI and pub/sub state. */
    private int exchange(RespRequest r, boolean skipped) {
        String name = r.name();
        if (inMulti) {
            if ("EXEC".equals(name)) {
                inMulti = false;
                boolean tainted = multiTainted;
                multiTainted = false;
                return tainted ? Exchange.NOISE : Exchange.COMPARE;
            }
            if ("DISCARD".equals(name)) {
                inMulti = false;
                multiTainted = false;
                return Exchange.COMPARE;
            }
            if (!"MULTI".equals(name) && (skipped || policy.noisy(r))) {
                multiTainted = true; // its reply is +QUEUED (compared); its result is in EXEC's array
            }
            return Exchange.COMPARE;
        }
        if ("MULTI".equals(name)) {
            inMulti = true;
            return Exchange.COMPARE;
        }
        if (SUBSCRIBE.contains(name)) {
            subscribed = true;
            return Exchange.UNPAIRED | Exchange.SUBSCRIBES;
        }
        if (subscribed && UNSUBSCRIBE.contains(name)) {
            return Exchange.UNPAIRED;
        }
        if (subscribed && "PING".equals(name)) {
            return Exchange.PING;
        }
        return policy.noisy(r) ? Exchange.NOISE : Exchange.COMPARE;
    }

    /** Bytes of {@code buf} up to {@code to} are to be passed on (with the run before them, in one slice later). */
    private void emit(int to) {
        emitFrom = Math.max(emitFrom, to);
    }

    /** Passes the pending run on as one slice. */
    private void flushRun() {
        if (emitFrom > runFrom) {
            sink.replay(buf.retainedSlice(runFrom, emitFrom - runFrom));
        }
        runFrom = emitFrom;
    }

    /** Passes held bytes on: they come from earlier buffers, so before any run of this one (which is empty then). */
    private void flushHeld() {
        while (!held.isEmpty()) {
            sink.replay(held.poll());
        }
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            held.poll().release();
        }
    }

    @Override
    public void close() {
        releaseHeld();
    }

    @Override
    public long requestsSent() {
        return bytesMode || unreplicated || subscribed || framer.inRequest() ? -1 : allOrdinal;
    }

    @Override
    public boolean bytesMode() {
        return bytesMode;
    }

    /** Whether the session's replication ended at a {@code notReplicated} request. */
    public boolean unreplicated() {
        return unreplicated;
    }

    @Override
    public String error() {
        return error;
    }
}
