package io.ncp.middlebox.it;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaAuth;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.RespClient;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Servers with passwords for the credential tests, and services whose replicas authenticate with their own. */
final class AuthServers {

    private AuthServers() {
    }

    /** A password file (0600) in {@code dir} holding {@code password} and a newline. */
    static Path passwordFile(Path dir, String name, String password) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, password + "\n");
            f.toFile().setReadable(false, false);
            f.toFile().setReadable(true, true);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An async service of {@code protocol} whose replica i authenticates with {@code auths[i]} (null: none). */
    static ServiceConfig service(String name, Protocol protocol, String primary, List<String> replicas,
            List<ReplicaAuth> auths) {
        return service(name, "async", protocol, primary, replicas, auths);
    }

    /** A service of {@code protocol} in {@code mode} whose replica i authenticates with {@code auths[i]}. */
    static ServiceConfig service(String name, String mode, Protocol protocol, String primary, List<String> replicas,
            List<ReplicaAuth> auths) {
        List<ReplicaConfig> reps = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            reps.add(ReplicaConfig.parse("replica", replicas.get(i)).withAuth(auths.get(i)));
        }
        return new ServiceConfig(name, new HostPort("127.0.0.1", 0), HostPort.parse("primary", primary), mode,
            CompareMode.BYTES, 256L << 20, reps).withProtocol(protocol);
    }

    static ReplicaAuth auth(String user, Path passwordFile) {
        return ReplicaAuth.resolve("auth", user, passwordFile.toString(), null);
    }

    /** A redis-server with {@code requirepass} on a free loopback port (persistence off, DEBUG on). */
    static final class Redis implements AutoCloseable {
        final int port;
        final String password;
        private final Path dir;
        private final ManagedProcess process;

        Redis(String password) {
            this.port = FreePorts.allocate();
            this.password = password;
            try {
                this.dir = Files.createTempDirectory("ncp-redis-auth-" + port + "-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path bin = Binaries.require("redis-server", "redis-server");
            this.process = ManagedProcess.start("redis-server:" + port, List.of(bin.toString(), "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--enable-debug-command", "local", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode",
                "no", "--requirepass", password), dir.resolve("redis.log"));
            process.awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
        }

        String hostPort() {
            return "127.0.0.1:" + port;
        }

        Object call(String... args) {
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                c.call("AUTH", password);
                return c.call(args);
            }
        }

        String digest() {
            return (String) call("DEBUG", "DIGEST");
        }

        @Override
        public void close() {
            process.close();
            TempDirs.deleteQuietly(dir);
        }
    }
}
