package io.ncp.middlebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.tls.TestPki;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code PUT /services/{name}} with a tls section, and {@code POST /services/{name}/tls/reload}. */
@ExtendWith(NettyLeakExtension.class)
class TlsReloadEndpointTest {

    @Test
    void aServiceWithTlsIsCreatedShownAndReloadedAndABadReloadKeepsTheOldCertificate() throws Exception {
        try (TestPki pki = new TestPki();
             Middlebox mb = Harness.startAllowing("127.0.0.1", "127.0.0.1")) {
            TestPki.Pair ca = pki.ca("ca");
            TestPki.Pair first = pki.leaf(ca, "first");
            TestPki.Pair second = pki.leaf(ca, "second");
            java.nio.file.Path cert = pki.dir().resolve("live.pem");
            java.nio.file.Path key = pki.dir().resolve("live.key");
            Files.copy(first.cert(), cert);
            Files.copy(first.key(), key);
            EmbeddedChannel ch = new EmbeddedChannel(new AdminHandler(mb, AdminAccess.OPEN));
            String body = "{\"listen\":\"127.0.0.1:0\",\"primary\":{\"address\":\"127.0.0.1:9\",\"tls\":{\"ca\":\""
                + ca.cert() + "\"}},\"tls\":{\"cert\":\"" + cert + "\",\"key\":\"" + key + "\"}}";
            assertThat(call(ch, HttpMethod.PUT, "/services/web", body)).startsWith("201")
                .contains("\"subject\" : \"CN=first\"").doesNotContain("BEGIN");
            assertThat(call(ch, HttpMethod.PUT, "/services/bad", body.replace("live.key", "missing.key")))
                .startsWith("400").contains("services.bad.tls.key: file '" + pki.dir().resolve("missing.key")
                    + "' does not exist");

            Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(call(ch, HttpMethod.POST, "/services/web/tls/reload", null)).startsWith("200")
                .contains("\"subject\" : \"CN=second\"").contains("\"reloaded\" : true");
            Files.copy(first.key(), key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(call(ch, HttpMethod.POST, "/services/web/tls/reload", null)).startsWith("400")
                .contains("does not match the certificate").contains("\"kept\"");
            assertThat(call(ch, HttpMethod.GET, "/services/web", null)).contains("\"subject\" : \"CN=second\"")
                .contains("\"reloads\" : 1");
            assertThat(call(ch, HttpMethod.GET, "/services/web/tls/reload", null)).startsWith("405");
            assertThat(call(ch, HttpMethod.POST, "/services/none/tls/reload", null)).startsWith("404");
            assertThat(call(ch, HttpMethod.PUT, "/services/plain", "{\"listen\":\"127.0.0.1:0\","
                + "\"primary\":\"127.0.0.1:9\"}")).startsWith("201");
            assertThat(call(ch, HttpMethod.POST, "/services/plain/tls/reload", null)).startsWith("409");
            ch.finishAndReleaseAll();
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
