package io.ncp.middlebox.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Who may use the admin API: token, Host header on loopback, network addresses, HTTPS. Real server, real sockets. */
@ExtendWith(NettyLeakExtension.class)
class AdminSecurityTest {

    @TempDir
    Path dir;

    @Test
    void theTokenIsCreatedPrivatelyAndEveryRequestButHealthNeedsIt() throws Exception {
        Path tokenFile = dir.resolve("ncp/admin-token");
        try (Middlebox mb = Harness.startAllowing("127.0.0.1", "127.0.0.1");
             AdminServer admin = AdminServer.start(config(tokenFile), mb)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent())))
                .isEqualTo("rwx------");
            String token = Files.readString(tokenFile).strip();
            assertThat(token).matches("[0-9a-f]{64}");
            AdminClient c = new AdminClient(admin.address());
            String local = "127.0.0.1:" + admin.address().getPort();
            assertThat(AdminClient.status(c.call("GET", "/health", local, null, null))).isEqualTo(200);
            String refused = c.call("GET", "/stats", local, null, null);
            assertThat(AdminClient.status(refused)).isEqualTo(401);
            assertThat(refused).containsIgnoringCase("WWW-Authenticate: Bearer").contains(tokenFile.toString())
                .doesNotContain(token);
            assertThat(AdminClient.status(c.call("GET", "/stats", local, "0".repeat(64), null))).isEqualTo(401);
            assertThat(AdminClient.status(c.call("GET", "/stats", local, token, null))).isEqualTo(200);
            assertThat(AdminClient.status(c.call("GET", "/metrics", local, null, null))).isEqualTo(401);
            assertThat(AdminClient.status(c.call("GET", "/metrics", local, token, null))).isEqualTo(200);
            // the status page's files carry no data: served without the token, under a strict CSP; its data is not
            String page = c.call("GET", "/", local, null, null);
            assertThat(AdminClient.status(page)).isEqualTo(200);
            assertThat(page).containsIgnoringCase("Content-Type: text/html").contains("default-src 'none'")
                .containsIgnoringCase("X-Frame-Options: DENY").contains("<script src=\"/ui/status.js\"")
                .doesNotContain(token);
            assertThat(AdminClient.status(c.call("GET", "/ui/status.js", local, null, null))).isEqualTo(200);
            assertThat(AdminClient.status(c.call("GET", "/ui/status.css", local, null, null))).isEqualTo(200);
            assertThat(AdminClient.status(c.call("POST", "/", local, null, null))).isEqualTo(401);
            assertThat(AdminClient.status(c.call("GET", "/stats/history", local, null, null))).isEqualTo(401);
            String history = c.call("GET", "/stats/history", local, token, null);
            assertThat(AdminClient.status(history)).isEqualTo(200);
            assertThat(history).contains("\"intervalMillis\"").contains("\"at\"");
            assertThat(AdminClient.status(c.call("GET", "/", "evil.example", null, null))).isEqualTo(403);
            String put = "{\"listen\":\"127.0.0.1:0\",\"primary\":\"127.0.0.1:9\"}";
            assertThat(AdminClient.status(c.call("PUT", "/services/x", local, null, put))).isEqualTo(401);
            assertThat(mb.service("x")).isNull();
            assertThat(AdminClient.status(c.call("PUT", "/services/x", local, token, put))).isEqualTo(201);
            // DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends its own Host name
            assertThat(AdminClient.status(c.call("GET", "/stats", "evil.example:" + admin.address().getPort(), token,
                null))).isEqualTo(403);
            assertThat(AdminClient.status(c.call("GET", "/health", "evil.example", null, null))).isEqualTo(403);
            assertThat(AdminClient.status(c.call("GET", "/stats", "localhost:" + admin.address().getPort(), token,
                null))).isEqualTo(200);
            assertThat(AdminClient.status(c.call("GET", "/stats", "[::1]", token, null))).isEqualTo(200);
        }
        String before = Files.readString(tokenFile);
        try (Middlebox mb = Harness.start(); AdminServer admin = AdminServer.start(config(tokenFile), mb)) {
            assertThat(Files.readString(tokenFile)).as("an existing token is kept").isEqualTo(before);
            assertThat(AdminClient.status(new AdminClient(admin.address()).call("GET", "/stats", null, before.strip(),
                null))).isEqualTo(200);
        }
    }

    @Test
    void metricsCanBeOpenedForAScraper() {
        try (Middlebox mb = Harness.start();
             AdminServer admin = AdminServer.start(config(dir.resolve("t")).withMetricsOpen(true), mb)) {
            AdminClient c = new AdminClient(admin.address());
            assertThat(AdminClient.status(c.call("GET", "/metrics", null, null, null))).isEqualTo(200);
            assertThat(AdminClient.status(c.call("GET", "/stats", null, null, null))).isEqualTo(401);
        }
    }

    @Test
    void aNetworkAddressNeedsATokenAndSkipsTheLoopbackHostCheck() throws Exception {
        try (Middlebox mb = Harness.start()) {
            assertThatThrownBy(() -> AdminServer.start(new AdminConfig(new HostPort("0.0.0.0", 0), null, false, null,
                null), mb)).isInstanceOf(ConfigException.class).hasMessageContaining("admin.tokenFile")
                .hasMessageContaining("loopback");
            try (AdminServer admin = AdminServer.start(config(dir.resolve("t")).withAddress(new HostPort("0.0.0.0",
                0)), mb)) {
                String token = Files.readString(dir.resolve("t")).strip();
                assertThat(admin.url()).startsWith("http://0.0.0.0:");
                AdminClient c = new AdminClient(new java.net.InetSocketAddress("127.0.0.1", admin.address().getPort()));
                assertThat(AdminClient.status(c.call("GET", "/stats", "mb.example:9090", token, null))).isEqualTo(200);
                assertThat(AdminClient.status(c.call("GET", "/stats", "mb.example:9090", null, null))).isEqualTo(401);
            }
            try (AdminServer admin = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0), null, false, null,
                null), mb)) {
                assertThat(AdminClient.status(new AdminClient(admin.address()).call("GET", "/stats", null, null,
                    null))).as("authentication off on loopback").isEqualTo(200);
            }
        }
    }

    @Test
    void httpsWithTheConfiguredCertificate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ManagedProcess.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out",
            cert.toString()), Duration.ofSeconds(60));
        try (Middlebox mb = Harness.start();
             AdminServer admin = AdminServer.start(config(dir.resolve("t")).withTls(cert, key), mb)) {
            String token = Files.readString(dir.resolve("t")).strip();
            assertThat(admin.url()).startsWith("https://127.0.0.1:");
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(admin.url() + "stats"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"services\"");
            String plain = new AdminClient(admin.address()).call("GET", "/health", null, null, null);
            assertThat(plain).as("plain HTTP to the HTTPS port").doesNotStartWith("HTTP/1.1 200");
        }
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        try (Middlebox mb = Harness.start()) {
            assertThatThrownBy(() -> AdminServer.start(config(dir.resolve("t")).withTls(cert, key), mb))
                .isInstanceOf(ConfigException.class).hasMessageContaining("admin.tls").hasMessageContaining("key");
            assertThatThrownBy(() -> AdminServer.start(config(dir.resolve("t")).withTls(cert, dir.resolve("none")),
                mb)).isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        }
    }

    private static AdminConfig config(Path tokenFile) {
        return new AdminConfig(new HostPort("127.0.0.1", 0), tokenFile, false, null, null);
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ks.setCertificateEntry("admin", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
