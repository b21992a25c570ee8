package io.ncp.middlebox.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.app.Appliance;
import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in headless Chromium against the real middlebox ({@code run}'s appliance: admin API with a token)
 * between real Redis servers: it asks for the token, refuses a wrong one, then shows both replicas UP and IN_SYNC;
 * when one replica diverges and the other is stopped, the live page shows the divergence (the first differing byte)
 * and the stopped replica DOWN and STALE with the reason in its history, without a reload. Saves the screenshot as
 * docs/status-page.png.
 */
@ExtendWith(NettyLeakExtension.class)
class StatusPageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void thePageAuthenticatesShowsTheReplicasAndFollowsADivergenceAndAStoppedReplica() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer r1 = RedisServer.start();
             RedisServer r2 = RedisServer.start();
             Appliance app = Appliance.start(Harness.config(ReplicaLoop.SHARED, Harness.service("redis",
                 primary.hostPort(), CompareMode.BYTES, 64L << 20, r1.hostPort(), r2.hostPort()))
                 .withAdmin(new AdminConfig(new HostPort("127.0.0.1", 0), dir.resolve("token"), false, null, null)),
                 new PrintStream(OutputStream.nullOutputStream()));
             Chromium browser = Chromium.start(Files.createDirectories(dir.resolve("chromium")), 1400, 1100)) {
            Middlebox mb = app.middlebox();
            ServiceRuntime svc = mb.service("redis");
            String token = Files.readString(dir.resolve("token")).strip();
            String base = "http://127.0.0.1:" + app.admin().address().getPort() + "/";
            traffic(mb, 0, 40);

            // no token yet: the page asks for it; a wrong one is refused; the right one shows the service
            browser.navigate(base);
            browser.await("the token form", "document.body.dataset.state === 'login' && "
                + "!document.getElementById('login').hidden", WAIT);
            submitToken(browser, "0".repeat(64));
            browser.await("the wrong token refused", "document.getElementById('login-error').textContent"
                + ".includes('refused')", WAIT);
            submitToken(browser, token);
            browser.await("both replicas UP and IN_SYNC", "document.body.dataset.state === 'live' && "
                + rowIs(r1, "UP", "IN_SYNC") + " && " + rowIs(r2, "UP", "IN_SYNC"), WAIT);
            assertThat(browser.eval("document.getElementById('overall').textContent")).isEqualTo("ok");
            assertThat(browser.eval("document.querySelector('[data-primary]').dataset.primary"))
                .isEqualTo(primary.hostPort());
            assertThat(browser.eval("sessionStorage.getItem('ncp-admin-token') === " + quote(token))).isEqualTo("true");

            // a token in the URL fragment is taken and removed from the address bar
            browser.eval("sessionStorage.clear()");
            browser.navigate(base + "#token=" + token);
            browser.await("the token taken from the fragment", "location.hash === '' && "
                + "sessionStorage.getItem('ncp-admin-token') === " + quote(token), WAIT);
            browser.await("live again", "document.body.dataset.state === 'live'", WAIT);

            // replica 1 diverges: written behind the middlebox's back, then read through it
            try (RespClient direct = new RespClient("127.0.0.1", r1.port())) {
                direct.call("SET", "greeting", "hello WORLD");
            }
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("GET", "greeting")).isEqualTo("hello world");
            }
            // replica 2 stops; the next sessions cannot reach it
            r2.close();
            ReplicaTarget second = svc.replicas().get(1);
            for (int round = 0; round < 100 && (second.health().up()
                    || second.consistency().state() != ReplicaConsistency.State.STALE); round++) {
                traffic(mb, 100 + round, 1);
                Thread.sleep(50);
            }
            assertThat(second.consistency().state()).as(Harness.describe(svc))
                .isEqualTo(ReplicaConsistency.State.STALE);
            traffic(mb, 300, 20); // throughput for the sparkline after the change

            browser.await("the page to show the divergence and the stopped replica",
                rowIs(r1, "UP", "STALE") + " && " + rowIs(r2, "DOWN", "STALE")
                + " && document.querySelector('[data-service=redis] [data-status]').textContent === 'degraded'"
                + " && document.querySelector('[data-divergences=\"" + r1.hostPort() + "\"]') !== null", WAIT);
            assertThat(browser.eval("document.querySelector('[data-divergences=\"" + r1.hostPort() + "\"]')"
                + ".textContent")).contains("first difference at byte 11").contains("primary 18 B, replica 18 B");
            assertThat(browser.eval("document.querySelector('[data-history=\"" + r2.hostPort() + "\"]').textContent"))
                .contains("STALE").contains("IN_SYNC: joined with the service");
            assertThat(browser.eval("document.querySelector('tr[data-replica=\"" + r2.hostPort() + "\"]')"
                + ".textContent")).contains("DOWN").contains("STALE");
            assertThat(browser.eval("document.getElementById('overall').textContent")).isEqualTo("degraded");
            assertThat(browser.eval("document.querySelectorAll('svg.spark polyline').length")).isNotEqualTo("0");

            byte[] png = browser.screenshot();
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            Path docs = Path.of("..", "docs");
            if (Files.isDirectory(docs)) {
                Files.write(docs.resolve("status-page.png"), png);
            }
            Files.write(dir.resolve("status-page.png"), png);
        }
    }

    private static void traffic(Middlebox mb, int from, int sessions) {
        for (int i = from; i < from + sessions; i++) {
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("SET", "greeting", "hello world")).isEqualTo("OK");
                assertThat(c.call("SET", "k" + i, "v" + i)).isEqualTo("OK");
            }
        }
    }

    private static void submitToken(Chromium browser, String token) {
        browser.eval("document.getElementById('token').value = " + quote(token)
            + "; document.getElementById('token-form').requestSubmit(); true");
    }

    private static String rowIs(RedisServer replica, String health, String consistency) {
        String row = "document.querySelector('tr[data-replica=\"" + replica.hostPort() + "\"]')";
        return "(" + row + " !== null && " + row + ".dataset.health === '" + health + "' && " + row
            + ".dataset.consistency === '" + consistency + "')";
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
