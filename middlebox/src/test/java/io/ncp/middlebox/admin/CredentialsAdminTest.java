package io.ncp.middlebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Replica credentials through the admin API: accepted by reference only, never shown. */
@ExtendWith(NettyLeakExtension.class)
class CredentialsAdminTest {

    private static final String SECRET = "s3cret-never-shown";

    @Test
    void putTakesReferencesOnlyAndNoViewShowsTheSecret(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("replica.pw");
        Files.writeString(pw, SECRET + "\n");
        try (Middlebox mb = Harness.startAllowing("127.0.0.1", "127.0.0.1")) {
            EmbeddedChannel ch = new EmbeddedChannel(new AdminHandler(mb, AdminAccess.OPEN));
            assertThat(call(ch, HttpMethod.PUT, "/services/kv", "{\"listen\":\"127.0.0.1:0\",\"primary\":"
                + "\"127.0.0.1:9\",\"protocol\":\"redis\",\"replicas\":[{\"address\":\"127.0.0.1:10\",\"auth\":"
                + "{\"user\":\"app\",\"password\":\"" + SECRET + "\"}}]}"))
                .as("an inline password").startsWith("400").contains("service.replicas[0].auth.password")
                .doesNotContain(SECRET);
            assertThat(call(ch, HttpMethod.PUT, "/services/kv", "{\"listen\":\"127.0.0.1:0\",\"primary\":"
                + "\"127.0.0.1:9\",\"protocol\":\"redis\",\"replicas\":[{\"address\":\"127.0.0.1:10\",\"auth\":"
                + "{\"user\":\"app\",\"passwordFile\":\"" + dir.resolve("missing") + "\"}}]}"))
                .startsWith("400").contains("service.replicas[0].auth.passwordFile");
            assertThat(call(ch, HttpMethod.PUT, "/services/kv", "{\"listen\":\"127.0.0.1:0\",\"primary\":"
                + "\"127.0.0.1:9\",\"replicas\":[{\"address\":\"127.0.0.1:10\",\"auth\":{\"passwordFile\":\""
                + pw + "\"}}]}")).as("credentials without a protocol").startsWith("400")
                .contains("service.replicas[0].auth");
            assertThat(call(ch, HttpMethod.PUT, "/services/kv", "{\"listen\":\"127.0.0.1:0\",\"primary\":"
                + "\"127.0.0.1:9\",\"protocol\":\"redis\",\"replicas\":[{\"address\":\"127.0.0.1:10\",\"auth\":"
                + "{\"user\":\"app\",\"passwordFile\":\"" + pw + "\"}}]}")).startsWith("201")
                .contains("\"protocol\" : \"redis\"").contains("\"passwordFile\" : \"" + pw + "\"")
                .contains("\"user\" : \"app\"").doesNotContain(SECRET);
            assertThat(mb.service("kv").config().protocol()).isEqualTo(Protocol.REDIS);
            for (String uri : new String[] {"/services", "/services/kv", "/stats", "/metrics"}) {
                assertThat(call(ch, HttpMethod.GET, uri, null)).as(uri).startsWith("200").doesNotContain(SECRET);
            }
            assertThat(mb.service("kv").config().toString()).doesNotContain(SECRET);
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    private static String call(EmbeddedChannel ch, HttpMethod method, String uri, String body) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
            body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        ch.writeInbound(req);
        FullHttpResponse resp = ch.readOutbound();
        try {
            return resp.status().code() + " " + resp.content().toString(StandardCharsets.UTF_8);
        } finally {
            resp.release();
        }
    }
}
