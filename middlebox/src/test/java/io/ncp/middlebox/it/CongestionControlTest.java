package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tcpCongestion}: every connection the middlebox accepts or makes uses the configured algorithm, read back from
 * the kernel with {@code ss -ti}; the test's own client sockets keep the host's default (the contrast that shows the
 * option, not the host, set it). Unknown algorithms are refused at startup.
 */
@ExtendWith(NettyLeakExtension.class)
class CongestionControlTest {

    /** reno is in every kernel and always in net.ipv4.tcp_allowed_congestion_control: settable without privileges. */
    private static final String ALGORITHM = "reno";

    @Test
    void everyMiddleboxConnectionUsesTheConfiguredAlgorithm() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs the epoll transport");
        String hostDefault = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).trim();
        assumeTrue(!ALGORITHM.equals(hostDefault), "the host's default is already " + ALGORITHM);
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(ALGORITHM, Harness.service("redis", primary.hostPort(), CompareMode.BYTES,
                 64L << 20, replica.hostPort()));
             RespClient c1 = new RespClient("127.0.0.1", mb.port("redis"));
             RespClient c2 = new RespClient("127.0.0.1", mb.port("redis"))) {
            assertThat(c1.call("SET", "k", "1")).isEqualTo("OK");
            assertThat(c2.call("SET", "k", "2")).isEqualTo("OK");
            Harness.await("2 replica connections", Duration.ofSeconds(20),
                () -> algorithms("dport = :" + replica.port()).size() == 2,
                () -> ss("dport = :" + replica.port()));

            assertThat(algorithms("dport = :" + primary.port())).as("middlebox -> primary").hasSize(2)
                .containsOnly(ALGORITHM);
            assertThat(algorithms("dport = :" + replica.port())).as("middlebox -> replica").containsOnly(ALGORITHM);
            assertThat(algorithms("sport = :" + mb.port("redis"))).as("middlebox's accepted sockets").hasSize(2)
                .containsOnly(ALGORITHM);
            assertThat(algorithms("dport = :" + mb.port("redis"))).as("the test's client sockets").hasSize(2)
                .containsOnly(hostDefault);
        }
    }

    @Test
    void anUnknownAlgorithmIsRefusedAtStartup() {
        ServiceConfig svc = Harness.service("redis", "127.0.0.1:1", CompareMode.BYTES, 1L << 20);
        assertThatThrownBy(() -> start("no_such_cc", svc)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("tcpCongestion").hasMessageContaining("no_such_cc");
        assertThatThrownBy(() -> start("Bad Name", svc)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("not an algorithm name");
    }

    private static Middlebox start(String algorithm, ServiceConfig svc) {
        return Middlebox.start(new MiddleboxConfig(2, 4096, 64L << 20, null, Duration.ZERO, ReplicaLoop.SHARED,
            Duration.ofSeconds(2), algorithm, List.of(svc)));
    }

    /** The congestion control of every established loopback socket matching the ss {@code filter}. */
    private static List<String> algorithms(String filter) {
        List<String> known = List.of("reno", "cubic", "bbr", "bbr2", "dctcp", "vegas", "westwood", "htcp", "bic");
        List<String> found = new ArrayList<>();
        for (String line : ss(filter).split("\n")) {
            if (!line.startsWith(" ") && !line.startsWith("\t")) {
                continue; // the address line; the indented one after it carries the details
            }
            for (String token : line.trim().split("\\s+")) {
                if (known.contains(token)) {
                    found.add(token);
                    break;
                }
            }
        }
        return found;
    }

    private static String ss(String filter) {
        try {
            Process p = new ProcessBuilder("ss", "-tinH", "state", "established", "( " + filter + " )")
                .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ss failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("ss (iproute2) is needed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
