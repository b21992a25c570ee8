package io.ncp.middlebox.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.core.TproxyRecipe;
import io.ncp.middlebox.it.Harness;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transparent mode for real: a client in its own namespace opens sessions to the primary's address; the middlebox host
 * between them (namespace M, C -- M -- S) takes them in through the TPROXY rules of {@link TproxyRecipe} and its
 * IP_TRANSPARENT listener, forwards them to the real redis-server primary and replays them to a redis-server replica
 * (both in S). Checked: every answer, the primary's view of its peer (the middlebox's address, or with
 * {@code spoofClient} the client's own), the replica's {@code DEBUG DIGEST} equal to the primary's, and the sessions in
 * the middlebox's {@code /stats}. The middlebox runs as a child JVM inside M (an in-process one could not enter the
 * namespace) with paranoid leak detection; its log must show no leak. Root only; skipped (with the reason) when not
 * root or when the kernel lacks nftables TPROXY / socket matching.
 */
class TransparentModeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PRIMARY_PORT = 6379;
    private static final int REPLICA_PORT = 6380;
    private static final int SESSIONS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NetnsLab lab;
    private static Path dir;
    private static ManagedProcess primary;
    private static ManagedProcess replica;
    private ManagedProcess middlebox;
    private Path middleboxLog;

    @BeforeAll
    static void createLab() throws IOException {
        assumeTrue(NetnsLab.root(), "needs root (network namespaces, nft, IP_TRANSPARENT); CI runs the tests as root");
        Binaries.require("nft", "nftables");
        Binaries.require("redis-cli", "redis-tools");
        Binaries.require("curl", "curl");
        Path redis = Binaries.require("redis-server", "redis-server");
        dir = Files.createTempDirectory("ncp-tproxy-");
        lab = NetnsLab.create();
        try {
            lab.sh("m", recipe());
        } catch (IllegalStateException e) {
            boolean kernel = String.valueOf(e.getMessage()).contains("Could not process rule");
            closeLab();
            assumeTrue(!kernel, "the kernel lacks nftables TPROXY or socket matching (CONFIG_NFT_TPROXY, "
                + "CONFIG_NFT_SOCKET): " + e.getMessage());
            throw e;
        }
        primary = startRedis(redis, PRIMARY_PORT);
        replica = startRedis(redis, REPLICA_PORT);
    }

    /** The host rules for the service {@code redis}: sessions to the primary go to the listener on port 6379. */
    private static String recipe() {
        return TproxyRecipe.commands("redis", new HostPort(NetnsLab.SERVER, PRIMARY_PORT),
            new InetSocketAddress("0.0.0.0", PRIMARY_PORT));
    }

    private static ManagedProcess startRedis(Path bin, int port) {
        ManagedProcess p = lab.start("s", "redis-server:" + port, dir.resolve("redis-" + port + ".log"), List.of(
            bin.toString(), "--port", String.valueOf(port), "--save", "", "--appendonly", "no",
            "--enable-debug-command", "local", "--protected-mode", "no", "--daemonize", "no", "--dir", dir.toString()));
        Harness.await("redis-server on " + port, WAIT, () -> p.isAlive() && "PONG".equals(tryRedis(port, "PING")),
            p::tail);
        return p;
    }

    @BeforeEach
    void emptyServers() {
        assertThat(redis(PRIMARY_PORT, "FLUSHALL")).isEqualTo("OK");
        assertThat(redis(REPLICA_PORT, "FLUSHALL")).isEqualTo("OK");
    }

    @AfterEach
    void stopMiddlebox() {
        if (middlebox != null) {
            middlebox.close();
            middlebox = null;
            assertThat(readLog()).as("middlebox log").doesNotContain("LEAK:");
        }
    }

    @AfterAll
    static void closeLab() {
        for (ManagedProcess p : new ManagedProcess[] {primary, replica}) {
            if (p != null) {
                p.close();
            }
        }
        primary = null;
        replica = null;
        if (lab != null) {
            lab.close();
            lab = null;
        }
        if (dir != null) {
            TempDirs.deleteQuietly(dir);
        }
    }

    @Test
    void sessionsToThePrimaryReachItThroughTheTransparentListenerAndAreReplicated() {
        startMiddlebox("transparent: true");
        replicateSessions();
        assertThat(peerSeenByPrimary()).as("the primary's peer: the middlebox's own address")
            .isEqualTo(NetnsLab.M_SERVER_SIDE);
        JsonNode svc = service();
        assertThat(svc.get("transparent").asBoolean()).isTrue();
        assertThat(svc.get("spoofClient").asBoolean()).isFalse();
    }

    @Test
    void withSpoofClientThePrimarySeesTheClientsOwnAddress() {
        startMiddlebox("transparent: true\n    spoofClient: true");
        replicateSessions();
        assertThat(peerSeenByPrimary()).as("the primary's peer: the client itself").isEqualTo(NetnsLab.CLIENT);
        assertThat(service().get("spoofClient").asBoolean()).isTrue();
    }

    /** SESSIONS client sessions of writes to the primary's address; answers, digests and the middlebox's counters. */
    private void replicateSessions() {
        for (int i = 1; i <= SESSIONS; i++) {
            String out = lab.exec("c", "redis-cli", "-h", NetnsLab.SERVER, "-p", String.valueOf(PRIMARY_PORT),
                "INCR", "counter").trim();
            assertThat(out).as("answer of session %d", i).isEqualTo(String.valueOf(i));
            lab.exec("c", "redis-cli", "-h", NetnsLab.SERVER, "-p", String.valueOf(PRIMARY_PORT),
                "RPUSH", "list", "item" + i);
        }
        String sessions = String.valueOf(2 * SESSIONS);
        Harness.await("the replica's digest to equal the primary's", WAIT,
            () -> redis(REPLICA_PORT, "DEBUG DIGEST").equals(redis(PRIMARY_PORT, "DEBUG DIGEST")),
            () -> "primary " + redis(PRIMARY_PORT, "DEBUG DIGEST") + ", replica " + redis(REPLICA_PORT, "DEBUG DIGEST")
                + "; middlebox " + stats());
        assertThat(redis(REPLICA_PORT, "GET counter")).isEqualTo(String.valueOf(SESSIONS));
        assertThat(redis(REPLICA_PORT, "LLEN list")).isEqualTo(String.valueOf(SESSIONS));
        Harness.await("the middlebox to count " + sessions + " sessions, all compared", WAIT, () -> {
            JsonNode s = service().get("stats");
            JsonNode r = s.get("replicas").get(0);
            return s.get("sessions").asText().equals(sessions) && r.get("compared").asText().equals(sessions);
        }, this::stats);
        JsonNode r = service().get("stats").get("replicas").get(0);
        assertThat(r.get("divergent").asLong()).as(stats()).isZero();
        assertThat(r.get("damaged").asLong()).as(stats()).isZero();
    }

    /** The address the primary sees for a session opened by the client (CLIENT INFO, through the middlebox). */
    private static String peerSeenByPrimary() {
        String info = lab.exec("c", "redis-cli", "-h", NetnsLab.SERVER, "-p", String.valueOf(PRIMARY_PORT),
            "CLIENT", "INFO");
        for (String field : info.trim().split(" ")) {
            if (field.startsWith("addr=")) {
                return field.substring("addr=".length(), field.lastIndexOf(':'));
            }
        }
        throw new AssertionError("no addr= in CLIENT INFO: " + info);
    }

    /** Starts the middlebox in M with one service {@code redis} (listener 0.0.0.0:6379) plus {@code settings}. */
    private void startMiddlebox(String settings) {
        Path config = dir.resolve("middlebox.yaml");
        String yaml = String.join("\n", "threads: 2", "admin: {address: 127.0.0.1:9090, tokenFile: " + tokenFile()
            + "}", "statsInterval: 0", "services:",
            "  - name: redis", "    listen: 0.0.0.0:" + PRIMARY_PORT,
            "    primary: " + NetnsLab.SERVER + ":" + PRIMARY_PORT,
            "    " + settings, "    replicas:", "      - " + NetnsLab.SERVER + ":" + REPLICA_PORT, "");
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        middleboxLog = dir.resolve("middlebox-" + System.nanoTime() + ".log");
        ManagedProcess p = lab.start("m", "middlebox", middleboxLog,
            NetnsLab.javaCommand("-Dio.netty.leakDetectionLevel=paranoid", "io.ncp.middlebox.cli.Main", "run",
                "--config", config.toString()));
        middlebox = p;
        Harness.await("the middlebox's admin API", WAIT, () -> p.isAlive() && admin("/stats") != null, p::tail);
        assertThat(p.tail()).contains("transparent listener on").contains("tproxy to :" + PRIMARY_PORT);
    }

    private JsonNode service() {
        String body = admin("/services/redis");
        if (body == null) {
            throw new AssertionError("GET /services/redis failed; middlebox log:\n" + middlebox.tail());
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String stats() {
        String s = admin("/stats");
        return s == null ? "(no /stats)" : s;
    }

    private Path tokenFile() {
        return dir.resolve("admin-token");
    }

    /** GET {@code path} from the middlebox's admin API inside M, with its bearer token; null unless HTTP 200. */
    private String admin(String path) {
        if (!Files.exists(tokenFile())) {
            return null; // the middlebox creates it at start
        }
        String token;
        try {
            token = Files.readString(tokenFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] answer = curl("http://127.0.0.1:9090" + path, "-H", "Authorization: Bearer " + token);
        return answer != null && answer[1].equals("200") ? answer[0] : null;
    }

    /** {body, HTTP status} of a curl GET inside M, or null when curl could not connect. */
    private static String[] curl(String url, String... headers) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(headers));
        cmd.add(url);
        try {
            String out = lab.exec("m", cmd.toArray(new String[0]));
            int nl = out.lastIndexOf('\n');
            return new String[] {out.substring(0, Math.max(nl, 0)), out.substring(nl + 1).trim()};
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private String readLog() {
        try {
            return Files.readString(middleboxLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A redis-cli command (split on spaces) to a server in S, from S itself; its trimmed answer. */
    private static String redis(int port, String command) {
        String r = tryRedis(port, command);
        if (r == null) {
            throw new AssertionError("redis-cli -p " + port + " " + command + " failed");
        }
        return r;
    }

    private static String tryRedis(int port, String command) {
        try {
            String[] words = command.split(" ");
            String[] cmd = new String[3 + words.length];
            cmd[0] = "redis-cli";
            cmd[1] = "-p";
            cmd[2] = String.valueOf(port);
            System.arraycopy(words, 0, cmd, 3, words.length);
            return lab.exec("s", cmd).trim();
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
