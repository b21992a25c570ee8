package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.config.BackendTlsConfig;
import io.ncp.middlebox.config.ClientTlsConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.TlsConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.tls.TestPki;
import io.ncp.middlebox.tls.TlsRedis;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RespClient;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis over TLS through the middlebox: real redis-servers with {@code --tls-port}, certificates made by the test,
 * redis-benchmark {@code --tls} as the client.
 */
@ExtendWith(NettyLeakExtension.class)
class TlsRedisTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private TestPki pki;
    private TestPki.Pair clientCa;
    private TestPki.Pair backendCa;

    @BeforeEach
    void certificates() {
        pki = new TestPki();
        clientCa = pki.ca("client-side-ca");
        backendCa = pki.ca("backend-ca");
    }

    @AfterEach
    void cleanUp() {
        pki.close();
    }

    @Test
    void redisBenchmarkOverTlsLeavesTheReplicaIdenticalToThePrimary() {
        TestPki.Pair front = pki.leaf(clientCa, "middlebox");
        try (TlsRedis primary = new TlsRedis(pki.leaf(backendCa, "primary"), backendCa.cert());
             TlsRedis replica = new TlsRedis(pki.leaf(backendCa, "replica"), backendCa.cert());
             Middlebox mb = Harness.start(service(front, primary, replica, Map.of()))) {
            String out = TlsRedis.benchmark(mb.port("redis"), clientCa.cert(), "set,incr,lpush,hset", 5000);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);

            assertThat(primary.dbSize()).as(out).isGreaterThan(500);
            assertThat(replica.digest()).isEqualTo(primary.digest());
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(svc.stats().sessions.sum());
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.bytesSent.sum()).isEqualTo(svc.stats().bytesIn.sum()); // the ring saw plaintext
            assertThat(svc.tls().clientHandshakes.sum()).isEqualTo(svc.stats().sessions.sum()).isPositive();
            assertThat(svc.tls().clientFailures.sum() + svc.tls().backendFailures.sum()).isZero();
        }
    }

    @Test
    void aReplicaWithAnUntrustedCertificateIsDownWithTheReasonAndTheClientIsServed() {
        TestPki.Pair front = pki.leaf(clientCa, "middlebox");
        TestPki.Pair rogue = pki.leaf(pki.ca("rogue-ca"), "replica");
        try (TlsRedis primary = new TlsRedis(pki.leaf(backendCa, "primary"), backendCa.cert());
             TlsRedis replica = new TlsRedis(rogue, backendCa.cert());
             Middlebox mb = Harness.start(service(front, primary, replica, Map.of()))) {
            TlsRedis.benchmark(mb.port("redis"), clientCa.cert(), "set", 200);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);

            assertThat(primary.dbSize()).isPositive(); // the client's sessions were served
            assertThat(replica.dbSize()).isZero();
            BackendHealth health = svc.replicas().get(0).health();
            assertThat(health.state()).isEqualTo(BackendHealth.State.DOWN);
            assertThat(health.reason()).startsWith("TLS handshake failed: ");
            assertThat(svc.replicas().get(0).consistency().state()).isEqualTo(ReplicaConsistency.State.STALE);
            assertThat(svc.primaryHealth().up()).isTrue();
            assertThat(svc.tls().backendFailures.sum()).isPositive();
        }
    }

    @Test
    void aClientThatFailsTheHandshakeNeverReachesThePrimary() {
        TestPki.Pair front = pki.leaf(clientCa, "middlebox");
        try (TlsRedis primary = new TlsRedis(pki.leaf(backendCa, "primary"), backendCa.cert());
             TlsRedis replica = new TlsRedis(pki.leaf(backendCa, "replica"), backendCa.cert());
             Middlebox mb = Harness.start(service(front, primary, replica, Map.of()))) {
            ServiceRuntime svc = mb.service("redis");
            try (RespClient plain = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThatThrownBy(() -> plain.call("SET", "k", "v")).isInstanceOf(RuntimeException.class);
            }
            Harness.await("the failed handshake counted", Duration.ofSeconds(30),
                () -> svc.tls().clientFailures.sum() == 1, () -> svc.tls().json().toString());
            Harness.awaitSettled(svc, SETTLE);
            assertThat(svc.stats().accepted.sum()).isZero();
            assertThat(svc.stats().sessions.sum()).isZero();
            assertThat(svc.primaryHealth().reason()).isEqualTo("no connection tried yet");
            assertThat(primary.dbSize()).isZero();
        }
    }

    @Test
    void aReloadServesTheNewCertificateToNewSessionsAndABadOneKeepsTheOld() throws Exception {
        TestPki.Pair first = pki.leaf(clientCa, "middlebox");
        TestPki.Pair second = pki.leaf(clientCa, "middlebox");
        Path cert = pki.dir().resolve("live.pem");
        Path key = pki.dir().resolve("live.key");
        copy(first, cert, key);
        try (TlsRedis primary = new TlsRedis(pki.leaf(backendCa, "primary"), backendCa.cert());
             Middlebox mb = Harness.start(service(new TestPki.Pair(cert, key), primary, null, Map.of()))) {
            ServiceRuntime svc = mb.service("redis");
            int port = mb.port("redis");
            assertThat(servedSerial(port)).isEqualTo(serial(first.cert()));
            copy(second, cert, key);
            assertThat(servedSerial(port)).as("not reloaded yet").isEqualTo(serial(first.cert()));
            svc.tls().reload();
            assertThat(servedSerial(port)).isEqualTo(serial(second.cert()));

            Files.writeString(key, "garbage\n");
            assertThatThrownBy(() -> svc.tls().reload()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("has no PEM private key");
            assertThat(servedSerial(port)).as("a failed reload keeps the old context").isEqualTo(
                serial(second.cert()));
            assertThat(svc.tls().reloads.sum()).isEqualTo(1);
        }
    }

    /** The serial number of the certificate the middlebox presents to a new TLS client on {@code port}. */
    private BigInteger servedSerial(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", load(clientCa.cert()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] pong = new byte[7];
            int n = s.getInputStream().readNBytes(pong, 0, pong.length);
            assertThat(new String(pong, 0, n, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static BigInteger serial(Path cert) throws Exception {
        return load(cert).getSerialNumber();
    }

    private static X509Certificate load(Path pem) throws Exception {
        try (InputStream in = new FileInputStream(pem.toFile())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void copy(TestPki.Pair from, Path cert, Path key) throws IOException {
        Files.copy(from.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(from.key(), key, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A service terminating TLS with {@code front}, TLS to its backends (trusting the backend CA). */
    private ServiceConfig service(TestPki.Pair front, TlsRedis primary, TlsRedis replica,
            Map<HostPort, BackendTlsConfig> own) {
        ServiceConfig s = replica == null
            ? Harness.service("redis", primary.tlsHostPort(), CompareMode.BYTES, 64L << 20)
            : Harness.service("redis", primary.tlsHostPort(), CompareMode.BYTES, 64L << 20, replica.tlsHostPort());
        return s.withTls(new TlsConfig(new ClientTlsConfig(front.cert(), front.key(), null),
            new BackendTlsConfig(backendCa.cert(), null, null, null, false), own));
    }
}
