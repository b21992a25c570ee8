package io.ncp.middlebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin API's routes, status codes and error bodies. */
@ExtendWith(NettyLeakExtension.class)
class AdminHandlerTest {

    @Test
    void servicesCanBeCreatedInspectedAndDeletedAndErrorsNameTheField() throws Exception {
        try (Middlebox mb = Harness.startAllowing("127.0.0.1", "127.0.0.1")) {
            EmbeddedChannel ch = new EmbeddedChannel(new AdminHandler(mb, AdminAccess.OPEN));
            assertThat(call(ch, HttpMethod.GET, "/health", null)).startsWith("200").contains("\"ok\"");
            assertThat(call(ch, HttpMethod.PUT, "/services/web", "{\"listen\":\"127.0.0.1:0\",\"primary\":\"x\"}"))
                .startsWith("400").contains("\"field\" : \"service.primary\"");
            assertThat(call(ch, HttpMethod.PUT, "/services/web", "{\"listen\":\"127.0.0.1:0\","
                + "\"primary\":\"127.0.0.1:9\",\"replicas\":[\"127.0.0.1:10@127.0.0.1\"]}"))
                .startsWith("201").contains("\"bind\" : \"127.0.0.1\"");
            int port = mb.port("web");
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertThat(s.isConnected()).as("the PUT bound a listener").isTrue();
            }
            assertThat(call(ch, HttpMethod.GET, "/services/web", null)).startsWith("200").contains("127.0.0.1:9");
            assertThat(call(ch, HttpMethod.GET, "/services", null)).startsWith("200").contains("\"web\"");
            assertThat(call(ch, HttpMethod.GET, "/stats", null)).startsWith("200").contains("\"services\"");
            assertThat(call(ch, HttpMethod.GET, "/metrics", null)).startsWith("200")
                .contains("ncp_service_sessions_total{service=\"web\"}")
                .contains("ncp_replica_divergent_sessions_total{service=\"web\",replica=\"127.0.0.1:10\"} 0");
            assertThat(call(ch, HttpMethod.PUT, "/services/web", "{\"listen\":\"127.0.0.1:0\","
                + "\"primary\":\"127.0.0.1:9\",\"replicas\":[\"127.0.0.1:10\"],\"join\":\"later\"}"))
                .startsWith("400").contains("service.join");
            assertThat(call(ch, HttpMethod.PUT, "/services/web", "{\"listen\":\"127.0.0.1:0\","
                + "\"primary\":\"127.0.0.1:9\",\"replicas\":[\"127.0.0.1:10\"],\"join\":\"stale\","
                + "\"joinReason\":\"fail-open since 12:00\"}")).startsWith("200");
            assertThat(mb.service("web").replicas().get(0).consistency().reason()).isEqualTo("fail-open since 12:00");
            assertThat(call(ch, HttpMethod.POST, "/services/web/replicas/127.0.0.1:10/readmit",
                "{\"reason\":\"resynced by hand\"}")).startsWith("200").contains("\"consistency\" : \"IN_SYNC\"")
                .contains("\"was\" : \"STALE\"");
            assertThat(call(ch, HttpMethod.POST, "/services/web/replicas/127.0.0.1:11/readmit", null))
                .startsWith("404");
            assertThat(call(ch, HttpMethod.DELETE, "/services/web", null)).startsWith("200");
            assertThat(call(ch, HttpMethod.DELETE, "/services/web", null)).startsWith("404");
            assertThat(call(ch, HttpMethod.GET, "/nope", null)).startsWith("404");
            assertThat(call(ch, HttpMethod.PUT, "/services/relay", "{\"listen\":\"127.0.0.1:0\","
                + "\"primary\":\"127.0.0.2:80\"}")).as("a backend outside the allow-list")
                .startsWith("400").contains("\"field\" : \"service.primary\"").contains("allow.backends");
            assertThat(call(ch, HttpMethod.PUT, "/services/relay", "{\"listen\":\"127.0.0.3:0\","
                + "\"primary\":\"127.0.0.1:80\"}")).startsWith("400").contains("allow.listen");
            assertThat(call(ch, HttpMethod.PUT, "/services/spy", "{\"listen\":\"127.0.0.1:0\","
                + "\"primary\":\"127.0.0.1:80\",\"replicas\":[\"127.0.0.2:80\"]}")).startsWith("400")
                .contains("service.replicas[0].address");
            assertThat(mb.service("relay")).isNull();
            assertThat(mb.service("spy")).isNull();
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    /** Sends one request; returns "status body". */
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
