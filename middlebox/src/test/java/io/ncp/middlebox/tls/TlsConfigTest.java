package io.ncp.middlebox.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.cli.Main;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.MirrorConfigLoader;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS settings: the YAML/JSON shape, and the files' checks (each a one-line error naming setting and file). */
class TlsConfigTest {

    private static TestPki pki;
    private static TestPki.Pair ca;
    private static TestPki.Pair server;

    @BeforeAll
    static void certificates() {
        pki = new TestPki();
        ca = pki.ca("test-ca");
        server = pki.leaf(ca, "server");
    }

    @AfterAll
    static void cleanUp() {
        pki.close();
    }

    @Test
    void yamlCarriesClientSideBackendDefaultPrimaryAndReplicaSettings() {
        MiddleboxConfig cfg = ConfigLoader.parse("services:\n"
            + "  - name: r\n"
            + "    listen: 127.0.0.1:0\n"
            + "    primary: {address: 127.0.0.1:7001, tls: {ca: /p/ca.pem, serverName: primary.example}}\n"
            + "    tls: {cert: /c.pem, key: /c.key, clientCa: /cca.pem}\n"
            + "    backendTls: {ca: /b/ca.pem}\n"
            + "    replicas:\n"
            + "      - {address: 127.0.0.1:7002, tls: {insecure: true, cert: /m.pem, key: /m.key}}\n"
            + "      - 127.0.0.1:7003\n");
        ServiceConfig s = cfg.services().get(0);
        TlsConfig t = s.tls();
        assertThat(s.primary()).isEqualTo(new HostPort("127.0.0.1", 7001));
        assertThat(t.client().cert()).isEqualTo(Path.of("/c.pem"));
        assertThat(t.client().clientCa()).isEqualTo(Path.of("/cca.pem"));
        assertThat(t.backend(s.primary()).serverName()).isEqualTo("primary.example");
        assertThat(t.backend(new HostPort("127.0.0.1", 7002)).insecure()).isTrue();
        assertThat(t.backend(new HostPort("127.0.0.1", 7002)).cert()).isEqualTo(Path.of("/m.pem"));
        assertThat(t.backend(new HostPort("127.0.0.1", 7003)).ca()).isEqualTo(Path.of("/b/ca.pem"));
        assertThat(ConfigLoader.parse("services: [{name: r, listen: '127.0.0.1:0', primary: '127.0.0.1:1'}]")
            .services().get(0).tls()).isNull();
    }

    @Test
    void badShapesAreOneLineErrorsNamingTheField() {
        assertBad("tls: {cert: /c.pem}", "services[0].tls.key: missing");
        assertBad("tls: {cert: /c.pem, key: /k, pass: x}", "services[0].tls.pass: unknown field");
        assertBad("backendTls: {serverName: x}", "services[0].backendTls.ca: missing");
        assertBad("backendTls: {ca: /ca.pem, insecure: true}", "services[0].backendTls.insecure: true with a ca");
        assertBad("backendTls: {ca: /ca.pem, cert: /c.pem}", "services[0].backendTls.key: missing");
        assertBad("backendTls: {ca: /ca.pem, insecure: maybe}", "'maybe' is not true or false");
        assertBad("tls: /c.pem", "services[0].tls: must be a mapping");
    }

    @Test
    void aMirroredServiceCannotUseTls() {
        assertThatThrownBy(() -> MirrorConfigLoader.parse("mirror: {pcap: /x.pcap}\nservices:\n"
            + "  - {name: r, primary: '127.0.0.1:1', replicas: ['127.0.0.1:2'], tls: {cert: /c, key: /k}}\n",
            Path.of("/")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("services[0].tls: a mirrored service cannot use TLS: the capture sees ciphertext");
    }

    @Test
    void theFilesAreCheckedWhenTheServiceStarts() {
        TestPki.Pair other = pki.leaf(pki.ca("other-ca"), "other");
        TestPki.Pair expired = pki.leaf(ca, "old", -1);
        assertThat(ServiceTls.of(service(server.cert(), server.key())).json().get("client").get("subject").asText())
            .isEqualTo("CN=server");
        assertFiles(service(Path.of("/nonexistent/c.pem"), server.key()),
            "services.r.tls.cert: file '/nonexistent/c.pem' does not exist");
        assertFiles(service(server.cert(), pki.file("garbage.key", "not a key\n")),
            "services.r.tls.key: '" + pki.dir().resolve("garbage.key") + "' has no PEM private key");
        assertFiles(service(server.cert(), pki.file("broken.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n"
            + "-----END PRIVATE KEY-----\n")), "is not a valid private key");
        assertFiles(service(server.cert(), other.key()), "does not match the certificate in '" + server.cert());
        assertFiles(service(expired.cert(), expired.key()), "services.r.tls.cert: '" + expired.cert()
            + "': the certificate expired on");
        assertFiles(service(server.cert(), pki.traditionalRsaKey()), "a PKCS#1/SEC1 key (convert it");
        assertFiles(service(pki.file("empty.pem", ""), server.key()), "has no PEM certificate");
        ServiceConfig badCa = service(server.cert(), server.key()).withTls(TlsConfig.fromFlags(null, null, null,
            Path.of("/nonexistent/ca.pem"), null, null, null, false));
        assertFiles(badCa, "services.r.backendTls.ca: file '/nonexistent/ca.pem' does not exist");
    }

    @Test
    void theCommandLineExitsWithTwoOnABadKey() {
        String[] args = {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--admin", "off",
            "--tls-cert", server.cert().toString(), "--tls-key", pki.file("bad.key", "nope\n").toString()};
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute(args);
        } finally {
            System.setErr(oldErr);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(Main.EXIT_USAGE);
        assertThat(text).contains("tls.key: '" + pki.dir().resolve("bad.key") + "' has no PEM private key");
        assertThat(text.strip().lines().filter(l -> l.startsWith("ncp-middlebox:"))).hasSize(1);
        String[] half = {"run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:6379", "--tls-cert", "/c.pem"};
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(half)).isEqualTo(Main.EXIT_USAGE);
        } finally {
            System.setErr(oldErr);
        }
    }

    private static ServiceConfig service(Path cert, Path key) {
        return ConfigLoader.service("service", "r", new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 1), null,
            null, 1 << 20, java.util.List.of()).withTls(TlsConfig.fromFlags(cert, key, null, null, null, null, null,
            false));
    }

    private static void assertFiles(ServiceConfig s, String mention) {
        assertThatThrownBy(() -> ServiceTls.of(s)).isInstanceOf(ConfigException.class).hasMessageContaining(mention)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static void assertBad(String extra, String mention) {
        assertThatThrownBy(() -> ConfigLoader.parse("services:\n  - {name: r, listen: '127.0.0.1:0', "
            + "primary: '127.0.0.1:1', " + extra + "}\n")).isInstanceOf(ConfigException.class)
            .hasMessageContaining(mention);
    }
}
