package io.ncp.middlebox.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.Transparency;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The startup check of a transparent service, and transparent sockets in-process on loopback (no TPROXY: a
 * transparent listener also takes ordinary connections, and a spoofed primary connection from 127.0.0.1 is an
 * ordinary one, so this runs the middlebox's own code paths in this JVM under leak detection).
 */
@ExtendWith(NettyLeakExtension.class)
class TransparentStartupTest {

    @Test
    void withoutCapNetAdminTheMiddleboxExitsWithTwoNamingTheField() throws Exception {
        List<String> run = List.of("run", "--listen", "127.0.0.1:0", "--primary", "127.0.0.1:1", "--transparent",
            "--admin", "off", "--stats-interval", "0");
        if (!NetnsLab.root()) {
            assertThatThrownBy(() -> Harness.start(Harness.service("redis", "127.0.0.1:1", CompareMode.BYTES, 1 << 20)
                .withTransparency(Transparency.LISTENER))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("services.redis.transparent");
            return;
        }
        // root: the same command in a child JVM whose capability bounding set lacks NET_ADMIN and NET_RAW
        String setpriv = Binaries.require("setpriv", "util-linux").toString();
        List<String> cmd = new ArrayList<>(List.of(setpriv, "--bounding-set=-net_admin,-net_raw",
            "--inh-caps=-net_admin,-net_raw"));
        cmd.addAll(NetnsLab.javaCommand("io.ncp.middlebox.cli.Main"));
        cmd.addAll(run);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("services.default.transparent: cannot set IP_TRANSPARENT")
            .contains("CAP_NET_ADMIN");
    }

    @Test
    void transparentAndSpoofingSocketsCarryLoopbackSessions() {
        assumeTrue(NetnsLab.root(), "IP_TRANSPARENT needs CAP_NET_ADMIN (root); CI runs the tests as root");
        assumeTrue(Epoll.isAvailable(), "needs the epoll transport");
        for (Transparency t : List.of(Transparency.LISTENER, Transparency.SPOOF_CLIENT)) {
            try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
                 Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 1 << 20,
                     replica.hostPort()).withTransparency(t))) {
                assertThat(mb.service("redis").listener().config().getOption(EpollChannelOption.IP_TRANSPARENT))
                    .as(t + ": listener").isTrue();
                for (int i = 1; i <= 5; i++) {
                    try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                        assertThat(c.call("INCR", "n")).as(t + ": answer").isEqualTo((long) i);
                    }
                }
                Harness.awaitSettled(mb.service("redis"), Duration.ofSeconds(30));
                assertThat(replica.digest()).as(t + ": replica digest").isEqualTo(primary.digest());
            }
        }
    }
}
