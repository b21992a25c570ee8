package io.ncp.middlebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's first command, in-process and smaller; and the built-in server against a redis client. */
@ExtendWith(NettyLeakExtension.class)
class DemoTest {

    @Test
    void demoReportsReplicasInSync() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = new Demo(4, 2000, false, 2, new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("replicas in sync").contains("identical").doesNotContain("DIFFERENT");
    }

    @Test
    void kvServerSpeaksEnoughRespForRedisClientsAndItsDigestTracksData() {
        try (KvServer kv = KvServer.start()) {
            String empty = kv.digest();
            String[] hp = kv.hostPort().split(":");
            try (RespClient c = new RespClient(hp[0], Integer.parseInt(hp[1]))) {
                assertThat(c.call("SET", "a", "1")).isEqualTo("OK");
                assertThat(c.call("INCR", "a")).isEqualTo(2L);
                assertThat(c.call("GET", "a")).isEqualTo("2");
                assertThat(c.call("LPUSH", "l", "x", "y")).isEqualTo(2L);
                assertThat(c.call("HSET", "h", "f", "v")).isEqualTo(1L);
                assertThat(c.call("ZADD", "z", "1.5", "m")).isEqualTo(1L);
                assertThat(c.call("DBSIZE")).isEqualTo(4L);
                assertThat(c.call("DEL", "a")).isEqualTo(1L);
                assertThat(c.call("DIGEST")).isEqualTo(kv.digest());
            }
            assertThat(kv.digest()).isNotEqualTo(empty);
        }
    }
}
