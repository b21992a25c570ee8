package io.ncp.middlebox.proto.mysql;

import io.ncp.middlebox.proto.ClientPass;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.proto.SqlText;
import io.ncp.middlebox.stats.ProtocolStats;
import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * The front's view of one MySQL / MariaDB session's client stream ({@link MySqlRequestFramer}): every byte is
 * replayed (no replay policy); the client's capability flags are told to the primary's answer filter and to the
 * replicas once its HandshakeResponse is framed ({@code expect(0, capabilities)}), and every command whose reply has
 * another shape than OK / ERR / result sets, or is noise ({@link MySqlNoise}; a COM_STMT_EXECUTE of a statement whose
 * SQL is noisy), before its last byte. A write whose SQL is noisy is told to the sink as nondeterministic and its
 * answer compared (affected rows and insert id do not show the value), unless it has {@code RETURNING}. Two things
 * end the per-exchange view:
 * <ul>
 *   <li>COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID or COM_REGISTER_SLAVE (a replica or binlog reader attaching through the
 *       middlebox): the session is not replicated from that command on (counted {@code unreplicated});</li>
 *   <li>a framing error: the rest is replicated as bytes and passed through by a lockstep gate (counted
 *       {@code framingErrors}).</li>
 * </ul>
 * A COM_CHANGE_USER makes both answer streams stop framing (its reply is a new authentication exchange, which the
 * replicas' handlers do not redo): the session goes on as bytes, compared as such. Front loop only. {@link
 * #clientBytes} borrows its buffer; what goes to the sink is a retained slice the sink owns; the first bytes of a
 * packet that may be a command are held until its command byte is read (at most 4), released by {@link #close}.
 */
public final class MySqlClientFilter implements RequestFilter, MySqlRequestFramer.Listener {

    /** Statement id 0xFFFFFFFF (MariaDB): the statement prepared last, e.g. in the same pipeline. */
    static final long LAST_PREPARED = 0xffffffffL;

    private final FramingAnswerFilter primary;
    /** The primary's filter when it is a MySQL one (the noise of prepared statements by id), or null. */
    private final MySqlAnswerFilter statements;
    private final RequestSink sink;
    private final ProtocolStats stats;
    private final MySqlRequestFramer framer = new MySqlRequestFramer(this);
    private boolean unreplicated;
    private boolean bytesMode;
    private String error;
    private boolean lastPrepareNoisy;
    /** What is passed on; holds the start of a packet that may be a replication command. */
    private final ClientPass pass;

    public MySqlClientFilter(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        this.primary = primary;
        this.statements = primary instanceof MySqlAnswerFilter m ? m : null;
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
                sink.ungate("framing error");
            }
            long pending = bytesMode ? -1 : framer.pendingCommand();
            if (pending < 0) {
                pass.passTo(pass.bufferEnd());
            } else {
                pass.holdFrom(pending); // the start of a packet that may be a replication command
            }
        } finally {
            pass.end();
        }
    }

    @Override
    public void handshake(int capabilities) {
        primary.expect(0, capabilities);
        sink.expect(0, capabilities);
    }

    @Override
    public void command(int command, long start) {
        if (!unreplicated && MySqlCommands.replication(command)) {
            pass.flushHeld(start);
            pass.passTo(start);
            unreplicated = true;
            stats.unreplicated.increment();
            sink.unreplicate(MySqlCommands.name(command));
        }
    }

    @Override
    public void request(long number, int command, String sql, long statement, long end) {
        if (unreplicated || number == 0) {
            return;
        }
        stats.requests.increment();
        boolean noisy = switch (command) {
            case MySqlCommands.QUERY -> MySqlNoise.noisy(sql);
            case MySqlCommands.STMT_PREPARE -> lastPrepareNoisy = MySqlNoise.noisy(sql);
            case MySqlCommands.STMT_EXECUTE, MySqlCommands.STMT_FETCH, MySqlCommands.STMT_BULK_EXECUTE ->
                statement == LAST_PREPARED ? lastPrepareNoisy : statements != null
                    && statements.noisyStatement(statement);
            case MySqlCommands.STATISTICS -> true;
            default -> false;
        };
        if (noisy && sql != null && SqlText.write(sql)) {
            sink.nondeterministic((command == MySqlCommands.STMT_PREPARE ? "PREPARE " : "") + SqlText.name(sql));
            // a write's answer (affected rows, insert id) does not show the value: compared, unless it returns rows
            noisy = sql.toLowerCase(Locale.ROOT).contains("returning");
            if (command == MySqlCommands.STMT_PREPARE) {
                lastPrepareNoisy = noisy;
            }
        }
        int bits = MySqlCommands.shape(command) | (noisy ? Exchange.NOISE : 0);
        if (noisy) {
            stats.noisy.increment();
        }
        if (bits != 0) {
            primary.expect(number, bits);
            pass.passTo(end - 1); // every byte but the last: the replicas cannot answer before the request is whole
            sink.expect(number, bits);
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

    /** Whether the session is not replicated (a replication client). */
    public boolean unreplicated() {
        return unreplicated;
    }

    @Override
    public String error() {
        return error;
    }
}
