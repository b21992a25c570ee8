package io.ncp.middlebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /health} reflects the services: ok, degraded (a replica down), down with 503 (primary unreachable). */
@ExtendWith(NettyLeakExtension.class)
class HealthTest {

    @Test
    void healthFollowsThePrimaryAndTheReplicas() throws Exception {
        int deadReplica = FreePorts.allocate();
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("ok", primary.hostPort(), CompareMode.BYTES, 1 << 20,
                 replica.hostPort()), Harness.service("lame", primary.hostPort(), CompareMode.BYTES, 1 << 20,
                 "127.0.0.1:" + deadReplica))) {
            EmbeddedChannel ch = new EmbeddedChannel(new AdminHandler(mb, AdminAccess.OPEN));
            assertThat(get(ch)).startsWith("200").contains("\"status\" : \"ok\"");
            try (RespClient c = new RespClient("127.0.0.1", mb.port("lame"))) {
                assertThat(c.call("PING")).isEqualTo("PONG");
            }
            Harness.await("the dead replica noticed", Duration.ofSeconds(30), () -> get(ch).contains("degraded"),
                () -> get(ch));
            assertThat(get(ch)).startsWith("200");
            primary.close();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", mb.port("ok")), 5000);
                s.setSoTimeout(15_000);
                try (InputStream in = s.getInputStream()) {
                    assertThat(in.read()).as("the middlebox closes the client: no primary").isEqualTo(-1);
                }
            }
            String down = get(ch);
            assertThat(down).startsWith("503").contains("\"status\" : \"down\"").contains("\"health\" : \"DOWN\"");
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    private static String get(EmbeddedChannel ch) {
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health",
            Unpooled.EMPTY_BUFFER));
        FullHttpResponse resp = ch.readOutbound();
        try {
            return resp.status().code() + " " + resp.content().toString(StandardCharsets.UTF_8);
        } finally {
            resp.release();
        }
    }
}
