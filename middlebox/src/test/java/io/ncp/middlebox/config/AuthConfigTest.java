package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service {@code protocol} and the replicas' {@code auth} (by reference) in the YAML config. */
class AuthConfigTest {

    @TempDir
    Path dir;

    private static String service(String extra, String replica) {
        return "services:\n  - name: s\n    listen: 127.0.0.1:0\n    primary: 127.0.0.1:1\n" + extra
            + "    replicas:\n      - address: 127.0.0.1:2\n" + replica;
    }

    @Test
    void passwordFileAndPasswordEnvAreResolvedAndNeverPrinted() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "file-secret\n");
        ServiceConfig s = ConfigLoader.parse(service("    protocol: postgres\n",
            "        auth: {user: rep, passwordFile: " + pw + "}\n")).services().get(0);
        assertThat(s.protocol()).isEqualTo(Protocol.POSTGRES);
        ReplicaAuth a = s.replicas().get(0).auth();
        assertThat(a.user()).isEqualTo("rep");
        assertThat(new String(a.password(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("file-secret");
        assertThat(s.toString()).doesNotContain("file-secret");
        assertThat(a.toString()).isEqualTo("auth{user=rep, passwordFile=" + pw + "}");

        String home = System.getenv("HOME");
        ReplicaAuth env = ConfigLoader.parse(service("    protocol: redis\n",
            "        auth: {passwordEnv: HOME}\n")).services().get(0).replicas().get(0).auth();
        assertThat(env.user()).isNull();
        assertThat(new String(env.passwordChars())).isEqualTo(home);
        assertThat(env.toString()).isEqualTo("auth{user=null, passwordEnv=HOME}");
        assertThat(ConfigLoader.parse(service("", "")).services().get(0).protocol()).isEqualTo(Protocol.BYTES);
    }

    @Test
    void badSettingsNameTheirField() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "x");
        assertError(service("    protocol: redis\n", "        auth: {password: inline}\n"),
            "services[0].replicas[0].auth.password");
        assertError(service("    protocol: redis\n", "        auth: {user: u}\n"), "services[0].replicas[0].auth");
        assertError(service("    protocol: redis\n", "        auth: {passwordFile: " + pw + ", passwordEnv: HOME}\n"),
            "services[0].replicas[0].auth");
        assertError(service("    protocol: redis\n", "        auth: {passwordFile: " + dir.resolve("no") + "}\n"),
            "services[0].replicas[0].auth.passwordFile");
        assertError(service("    protocol: redis\n", "        auth: {passwordEnv: NCP_SURELY_UNSET_VARIABLE}\n"),
            "services[0].replicas[0].auth.passwordEnv");
        assertError(service("", "        auth: {passwordFile: " + pw + "}\n"), "services[0].replicas[0].auth");
        assertError(service("    protocol: smtp\n", ""), "services[0].protocol");
        assertError(service("    protocol: redis\n    failover: {interval: 1s}\n", "        auth: {passwordFile: "
            + pw + "}\n"), "services[0].replicas[0].auth");
    }

    @Test
    void mysqlMayRunInLockstep() throws Exception {
        ServiceConfig s = ConfigLoader.parse(service("    protocol: mysql\n    mode: lockstep\n", "")).services()
            .get(0);
        assertThat(s.lockstep()).isTrue();
    }

    @Test
    void redisWithCredentialsMayRunInLockstep() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "x");
        ServiceConfig s = ConfigLoader.parse(service("    protocol: redis\n    mode: lockstep\n",
            "        auth: {passwordFile: " + pw + "}\n")).services().get(0);
        assertThat(s.lockstep()).isTrue();
        assertThat(s.protocol()).isEqualTo(Protocol.REDIS);
        assertThat(s.replicas().get(0).auth()).isNotNull();
    }

    @Test
    void postgresWithCredentialsMayRunInLockstep() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "x");
        ServiceConfig s = ConfigLoader.parse(service("    protocol: postgres\n    mode: lockstep\n",
            "        auth: {passwordFile: " + pw + "}\n")).services().get(0);
        assertThat(s.lockstep()).isTrue();
        assertThat(s.protocol()).isEqualTo(Protocol.POSTGRES);
    }

    private static void assertError(String yaml, String field) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml)).isInstanceOf(ConfigException.class)
            .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field));
    }
}
