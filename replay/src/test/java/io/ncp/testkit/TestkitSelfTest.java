package io.ncp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit itself: real servers start, answer and stop; the leak tracker really sees leaks. */
class TestkitSelfTest {

    @Test
    void redisStartsAnswersAndDigestsChangeWithData() {
        try (RedisServer redis = RedisServer.start()) {
            String empty = redis.digest();
            try (RespClient c = redis.client()) {
                assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
                assertThat(c.call("GET", "k")).isEqualTo("v");
            }
            assertThat(redis.digest()).isNotEqualTo(empty);
            assertThat(redis.dbSize()).isEqualTo(1);
        }
    }

    @Test
    void postgresStartsAndHashesTables() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            try (var c = pg.connect(); var s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int primary key, v text)");
                String before = pg.tableHash("t", "id");
                s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
                assertThat(pg.tableHash("t", "id")).isNotEqualTo(before).startsWith("2:");
            }
        }
    }

    @Test
    void missingBinaryNamesThePackage() {
        assertThatThrownBy(() -> Binaries.require("no-such-binary-ncp", "ncp-pkg"))
            .hasMessageContaining("apt-get install ncp-pkg");
    }

    @Test
    void leakTrackerReportsAnUnreleasedBuffer() {
        assertThat(NettyLeakTracker.isInstalled()).isTrue();
        NettyLeakTracker.collectLeaks();
        leakOne();
        List<String> leaks = NettyLeakTracker.collectLeaks();
        assertThat(leaks).isNotEmpty();
    }

    private static void leakOne() {
        ByteBuf leaked = Unpooled.directBuffer(16);
        leaked.writeInt(42);
        leaked.touch("deliberately leaked by TestkitSelfTest");
    }
}
