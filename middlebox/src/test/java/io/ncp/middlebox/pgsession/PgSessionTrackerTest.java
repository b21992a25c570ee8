package io.ncp.middlebox.pgsession;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tracker fed protocol messages as a client and a server would send them, whole or a byte at a time. */
class PgSessionTrackerTest {

    private final PgSessionTracker t = new PgSessionTracker();

    private static byte[] startup(String... params) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String p : params) {
            b.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        byte[] body = b.toByteArray();
        ByteBuf m = Unpooled.buffer().writeInt(8 + body.length).writeInt(196608).writeBytes(body);
        byte[] out = new byte[m.readableBytes()];
        m.readBytes(out);
        m.release();
        return out;
    }

    private static byte[] msg(char type, byte[] body) {
        ByteBuf m = Unpooled.buffer().writeByte(type).writeInt(4 + body.length).writeBytes(body);
        byte[] out = new byte[m.readableBytes()];
        m.readBytes(out);
        m.release();
        return out;
    }

    private static byte[] cstr(String... s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String x : s) {
            b.writeBytes(x.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return b.toByteArray();
    }

    private static byte[] ready(char status) {
        return msg('Z', new byte[] {(byte) status});
    }

    private void client(byte[] b, boolean byteByByte) {
        feed(b, byteByByte, true);
    }

    private void server(byte[] b, boolean byteByByte) {
        feed(b, byteByByte, false);
    }

    private void feed(byte[] b, boolean byteByByte, boolean client) {
        int step = byteByByte ? 1 : b.length;
        for (int i = 0; i < b.length; i += step) {
            ByteBuf buf = Unpooled.wrappedBuffer(b, i, Math.min(step, b.length - i));
            if (client) {
                t.client(buf);
            } else {
                t.server(buf);
            }
            assertThat(buf.readerIndex()).isZero();
            buf.release();
        }
    }

    private void login(boolean byteByByte) {
        client(new byte[] {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f}, byteByByte); // SSLRequest
        assertThat(t.idle()).isFalse();
        server(new byte[] {'N'}, byteByByte);
        byte[] s = startup("user", "postgres", "database", "postgres");
        client(s, byteByByte);
        assertThat(t.idle()).isFalse();
        server(msg('R', new byte[] {0, 0, 0, 0}), byteByByte);
        server(msg('S', cstr("TimeZone", "UTC")), byteByByte);
        server(msg('K', new byte[8]), byteByByte);
        server(ready('I'), byteByByte);
        assertThat(t.startupMessage()).isEqualTo(s);
    }

    @Test
    void aSessionIsIdleAfterReadyForQueryIdleWithEveryRequestAnswered() {
        for (boolean byteByByte : new boolean[] {false, true}) {
            PgSessionTrackerTest x = new PgSessionTrackerTest();
            x.login(byteByByte);
            assertThat(x.t.continuable()).isTrue();
            x.client(msg('Q', cstr("BEGIN; INSERT INTO t VALUES (1)")), byteByByte);
            assertThat(x.t.idle()).as("a query unanswered").isFalse();
            x.server(msg('C', cstr("INSERT 0 1")), byteByByte);
            x.server(ready('T'), byteByByte);
            assertThat(x.t.idle()).as("in a transaction").isFalse();
            x.client(msg('Q', cstr("COMMIT")), byteByByte);
            x.server(msg('C', cstr("COMMIT")), byteByByte);
            x.server(ready('I'), byteByByte);
            assertThat(x.t.idle()).isTrue();
            assertThat(x.t.state()).isNull();
            x.client(msg('Q', cstr("SELECT 1")), byteByByte);
            x.client(msg('Q', cstr("SELECT 2")), byteByByte);
            x.server(ready('I'), byteByByte);
            assertThat(x.t.idle()).as("pipelined: the second query is unanswered").isFalse();
            x.server(ready('E'), byteByByte);
            assertThat(x.t.idle()).as("failed transaction").isFalse();
        }
    }

    @Test
    void theExtendedProtocolIsIdleOnlyAfterTheSyncWasAnswered() {
        login(false);
        client(msg('P', cstr("", "SELECT $1", "")), false);
        client(msg('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0}), false);
        client(msg('E', new byte[] {0, 0, 0, 0, 0}), false);
        assertThat(t.idle()).isFalse();
        client(msg('S', new byte[0]), false);
        assertThat(t.idle()).isFalse();
        server(msg('1', new byte[0]), false);
        server(ready('I'), false);
        assertThat(t.continuable()).as("an unnamed statement holds no state").isTrue();
    }

    @Test
    void stateIsStickyAndNamed() {
        login(false);
        client(msg('P', cstr("S_1", "SELECT 1", "")), false);
        client(msg('S', new byte[0]), false);
        server(ready('I'), false);
        assertThat(t.state()).isEqualTo("named prepared statement");
        assertThat(t.continuable()).isFalse();

        PgSessionTracker u = new PgSessionTracker();
        PgSessionTrackerTest x = new PgSessionTrackerTest();
        x.login(true);
        x.client(msg('Q', cstr("SET extra_float_digits = 3")), true);
        x.server(ready('I'), true);
        assertThat(x.t.state()).as("a SET answered without CommandComplete SET").isEqualTo("session SET");
        assertThat(x.t.idle()).isFalse();
        assertThat(u.state()).isNull();
    }

    @Test
    void whatIsNotUnderstoodCountsAsState() {
        client(new byte[] {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f}, false);
        server(new byte[] {'S'}, false);
        assertThat(t.state()).isEqualTo("TLS negotiated with the primary");

        PgSessionTrackerTest x = new PgSessionTrackerTest();
        x.client(startup("user", "rep", "replication", "database"), false);
        assertThat(x.t.state()).isEqualTo("replication connection");

        PgSessionTrackerTest y = new PgSessionTrackerTest();
        y.login(false);
        y.client(msg('F', new byte[10]), false);
        assertThat(y.t.state()).isEqualTo("function call");

        PgSessionTrackerTest z = new PgSessionTrackerTest();
        z.login(false);
        ByteBuf big = Unpooled.buffer().writeByte('Q').writeInt(4 + PgSessionTracker.MAX_TEXT + 1);
        z.t.client(big);
        big.release();
        assertThat(z.t.state()).startsWith("statement over");
    }

    /** A simple Query answered with CommandComplete {@code tag} and ReadyForQuery {@code status}. */
    private void exchange(String sql, String tag, char status, boolean byteByByte) {
        client(msg('Q', cstr(sql)), byteByByte);
        if (tag != null) {
            server(msg('C', cstr(tag)), byteByByte);
        }
        server(ready(status), byteByByte);
    }

    private static byte[] error(String message) {
        return msg('E', cstr("SERROR", "C22023", "M" + message, ""));
    }

    @Test
    void plainSessionSetsAreRecordedInOrderReplacedAndReset() {
        for (boolean byteByByte : new boolean[] {false, true}) {
            PgSessionTrackerTest x = new PgSessionTrackerTest();
            x.login(byteByByte);
            x.exchange("SET extra_float_digits = 3", "SET", 'I', byteByByte);
            x.client(msg('Q', cstr("SET application_name = 'PostgreSQL JDBC Driver'")), byteByByte);
            assertThat(x.t.idle()).as("the SET is not answered yet").isFalse();
            x.server(msg('S', cstr("application_name", "PostgreSQL JDBC Driver")), byteByByte);
            x.server(msg('C', cstr("SET")), byteByByte);
            x.server(ready('I'), byteByByte);
            x.exchange("set Search_Path TO app, public;", "SET", 'I', byteByByte);
            x.exchange("SET extra_float_digits TO 2", "SET", 'I', byteByByte);
            assertThat(x.t.continuable()).isTrue();
            assertThat(x.t.state()).isNull();
            assertThat(x.t.sessionSets()).containsExactly("SET application_name = 'PostgreSQL JDBC Driver'",
                "set Search_Path TO app, public;", "SET extra_float_digits TO 2");
            x.exchange("RESET search_path", "RESET", 'I', byteByByte);
            assertThat(x.t.sessionSets()).containsExactly("SET application_name = 'PostgreSQL JDBC Driver'",
                "SET extra_float_digits TO 2");
            assertThat(x.t.continuable()).isTrue();
        }
    }

    @Test
    void theLoginIsTheStartupMessageThenOneQueryPerRecordedSet() {
        login(false);
        assertThat(t.login()).isEqualTo(t.startupMessage());
        exchange("SET extra_float_digits = 3", "SET", 'I', false);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(t.startupMessage());
        want.writeBytes(msg('Q', cstr("SET extra_float_digits = 3")));
        assertThat(t.login()).isEqualTo(want.toByteArray());
    }

    @Test
    void aSetThePrimaryRefusedIsNotRecordedAndHoldsNoState() {
        login(false);
        client(msg('Q', cstr("SET search_path = nosuch, public")), false);
        client(msg('Q', cstr("SET work_mem = 'lots'")), false); // pipelined: not known to be outside a transaction
        server(msg('C', cstr("SET")), false);
        server(ready('I'), false);
        server(error("invalid value for parameter \"work_mem\": \"lots\""), false);
        server(ready('I'), false);
        assertThat(t.state()).as("a SET sent while another request was unanswered").isEqualTo("session SET");

        PgSessionTrackerTest x = new PgSessionTrackerTest();
        x.login(false);
        x.exchange("SET extra_float_digits = 3", "SET", 'I', false);
        x.client(msg('Q', cstr("SET work_mem = 'lots'")), false);
        x.server(error("invalid value for parameter \"work_mem\": \"lots\""), false);
        x.server(ready('I'), false);
        assertThat(x.t.state()).isNull();
        assertThat(x.t.continuable()).isTrue();
        assertThat(x.t.sessionSets()).containsExactly("SET extra_float_digits = 3");
    }

    @Test
    void aSetInATransactionBlockOrOutOfTheOrdinaryStaysState() {
        PgSessionTrackerTest x = new PgSessionTrackerTest();
        x.login(false);
        x.exchange("BEGIN", "BEGIN", 'T', false);
        x.exchange("SET search_path = app", "SET", 'T', false);
        x.exchange("COMMIT", "COMMIT", 'I', false);
        assertThat(x.t.state()).as("SET inside BEGIN ... COMMIT outlives the transaction").isEqualTo("session SET");

        PgSessionTrackerTest y = new PgSessionTrackerTest();
        y.login(false);
        y.exchange("BEGIN; SET search_path = app; COMMIT", "COMMIT", 'I', false);
        assertThat(y.t.state()).as("a SET among other statements").isEqualTo("session SET");

        for (String sql : new String[] {"RESET ALL", "SET ROLE app", "SET SESSION AUTHORIZATION app",
            "SET search_path = current_setting('x')", "SET TIME ZONE 'UTC'"}) {
            PgSessionTrackerTest z = new PgSessionTrackerTest();
            z.login(false);
            z.exchange(sql, sql.startsWith("RESET") ? "RESET" : "SET", 'I', false);
            assertThat(z.t.state()).as(sql).startsWith("session ");
        }

        PgSessionTrackerTest v = new PgSessionTrackerTest();
        v.login(false);
        for (int i = 0; i < PgSessionTracker.MAX_SETS; i++) {
            v.exchange("SET app.p" + i + " = " + i, "SET", 'I', false);
        }
        assertThat(v.t.continuable()).isTrue();
        v.exchange("SET app.p" + PgSessionTracker.MAX_SETS + " = 0", "SET", 'I', false);
        assertThat(v.t.state()).as("one SET over the bound").isEqualTo("session SET");

        PgSessionTrackerTest w = new PgSessionTrackerTest();
        w.login(false);
        w.exchange("SET LOCAL search_path = app", "SET", 'I', false);
        assertThat(w.t.state()).as("SET LOCAL ends with its transaction").isNull();
        assertThat(w.t.sessionSets()).isEmpty();
    }
}
