package io.ncp.middlebox.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.mysql.MySqlAnswerFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The primary-side filters skip exactly the authentication phase, however the stream is cut into reads: the digest
 * of the rest equals the digest of the bytes after the phase.
 */
class AuthSkipTest {

    private static final byte[] AFTER = "the answers after authentication".getBytes(StandardCharsets.US_ASCII);

    @Test
    void postgresSkipsTheSslAnswerAndEverythingUpToTheFirstReadyForQuery() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write('N');
        pg(s, 'R', new byte[] {0, 0, 0, 10, 'S', 'C', 'R', 'A', 'M', 0, 0});
        pg(s, 'R', new byte[] {0, 0, 0, 0});
        pg(s, 'S', "application_name\0x\0".getBytes(StandardCharsets.US_ASCII));
        pg(s, 'K', new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        pg(s, 'Z', new byte[] {'I'});
        s.writeBytes(AFTER);
        assertSkips(PostgresAuthSkip::new, s.toByteArray(), null);
    }

    @Test
    void mysqlSkipsTheGreetingAndTheAuthExchangeUpToItsOk() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        my(s, 0, "\nversion\0\1\2\3\4scramble-random-bytes\0".getBytes(StandardCharsets.ISO_8859_1));
        my(s, 2, "\u00femysql_native_password\0salt-salt-salt-salt\0".getBytes(StandardCharsets.ISO_8859_1));
        my(s, 4, new byte[] {0, 0, 0, 2, 0, 0, 0});
        s.writeBytes(AFTER);
        assertSkips(() -> new MySqlAnswerFilter(true), s.toByteArray(), null);
    }

    @Test
    void redisSkipsTheRepliesToTheLeadingAuthAndHello() {
        String hello = "%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$2\r\nid\r\n:7\r\n";
        byte[] answers = ("+OK\r\n" + hello + new String(AFTER, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
        String commands = RedisAuthHandlerTest.cmd("AUTH", "pw") + RedisAuthHandlerTest.cmd("HELLO", "3")
            + RedisAuthHandlerTest.cmd("GET", "k");
        assertSkips(RedisAuthSkip::new, answers, commands.getBytes(StandardCharsets.US_ASCII));
    }

    /** Feeds the stream whole and one byte at a time: both digest exactly {@link #AFTER}. */
    private static void assertSkips(Supplier<AnswerFilter> filters, byte[] stream, byte[] client) {
        long[] expected = digest(AFTER);
        for (int step : new int[] {stream.length, 1, 3}) {
            AnswerFilter f = filters.get();
            if (client != null) {
                ByteBuf c = Unpooled.wrappedBuffer(client);
                f.clientBytes(c);
                c.release();
            }
            BlockDigester d = new BlockDigester((i, crc) -> { });
            for (int at = 0; at < stream.length; at += step) {
                ByteBuf b = Unpooled.wrappedBuffer(stream, at, Math.min(step, stream.length - at));
                f.feed(b, d);
                b.release();
            }
            assertThat(new long[] {d.total(), d.partialCrc()}).as("reads of %d bytes", step).isEqualTo(expected);
        }
    }

    private static long[] digest(byte[] bytes) {
        BlockDigester d = new BlockDigester((i, crc) -> { });
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        d.update(b);
        b.release();
        return new long[] {d.total(), d.partialCrc()};
    }

    private static void pg(ByteArrayOutputStream s, char type, byte[] body) {
        int len = body.length + 4;
        s.write(type);
        s.writeBytes(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        s.writeBytes(body);
    }

    private static void my(ByteArrayOutputStream s, int seq, byte[] payload) {
        int len = payload.length;
        s.writeBytes(new byte[] {(byte) len, (byte) (len >>> 8), (byte) (len >>> 16), (byte) seq});
        s.writeBytes(payload);
    }
}
