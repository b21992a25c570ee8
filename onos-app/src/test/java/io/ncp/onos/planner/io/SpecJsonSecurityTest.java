package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The by-reference security settings of a spec: protocol, TLS files, replica credentials (never a password). */
class SpecJsonSecurityTest {

    static final String SPEC = "{\"name\":\"pg\",\"selector\":{\"src\":\"10.0.0.0/24\",\"dst\":\"10.0.0.2\","
            + "\"dstPort\":5432},\"middlebox\":{\"host\":\"10.0.0.3\",\"listenPort\":7001,"
            + "\"protocol\":\"postgres\",\"tls\":{\"cert\":\"/etc/ncp/pg.crt\",\"key\":\"/etc/ncp/pg.key\","
            + "\"clientCa\":\"/etc/ncp/clients.crt\"},\"backendTls\":{\"ca\":\"/etc/ncp/ca.crt\"},"
            + "\"primaryTls\":{\"ca\":\"/etc/ncp/ca.crt\",\"serverName\":\"db-primary\"}},"
            + "\"replicas\":[{\"address\":\"10.0.0.4:5432\",\"auth\":{\"user\":\"replicator\","
            + "\"passwordFile\":\"/etc/ncp/r1.pw\"},\"tls\":{\"insecure\":true,\"cert\":\"/etc/ncp/c.crt\","
            + "\"key\":\"/etc/ncp/c.key\"}},{\"address\":\"10.0.0.5:5432\",\"auth\":{\"passwordEnv\":\"NCP_R2_PW\"}}],"
            + "\"tunnel\":true}";

    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode spec() throws Exception {
        return (ObjectNode) mapper.readTree(SPEC);
    }

    @Test
    void readsEveryReferenceAndWritesItBack() throws Exception {
        ReplicationSpec spec = SpecJson.read(spec());

        assertThat(spec.middlebox().protocol()).isEqualTo("postgres");
        assertThat(spec.middlebox().tls().clientCa()).isEqualTo("/etc/ncp/clients.crt");
        assertThat(spec.middlebox().backendTls().ca()).isEqualTo("/etc/ncp/ca.crt");
        assertThat(spec.middlebox().primaryTls().serverName()).isEqualTo("db-primary");
        assertThat(spec.replicas().get(0).auth().user()).isEqualTo("replicator");
        assertThat(spec.replicas().get(0).auth().passwordFile()).isEqualTo("/etc/ncp/r1.pw");
        assertThat(spec.replicas().get(0).tls().insecure()).isTrue();
        assertThat(spec.replicas().get(1).auth().passwordEnv()).isEqualTo("NCP_R2_PW");
        assertThat(spec.replicas().get(1).auth().user()).isNull();
        assertThat(SpecJson.read(SpecJson.write(spec))).isEqualTo(spec);
        assertThat(SpecJson.write(spec).get("middlebox").get("primaryTls").toString())
                .isEqualTo("{\"ca\":\"/etc/ncp/ca.crt\",\"serverName\":\"db-primary\"}");
        assertThat(SpecJson.write(spec).get("replicas").get(1).toString())
                .isEqualTo("{\"address\":\"10.0.0.5:5432\",\"auth\":{\"passwordEnv\":\"NCP_R2_PW\"}}");
        ObjectNode changed = spec();
        ((ObjectNode) changed.get("replicas").get(1).get("auth")).put("passwordEnv", "OTHER");
        assertThat(SpecJson.read(changed)).as("references take part in equality").isNotEqualTo(spec);
    }

    @Test
    void withoutSettingsTheProtocolIsBytesAndNothingIsWritten() throws Exception {
        ReplicationSpec spec = SpecJson.read(mapper.readTree(SpecJsonTest.SPEC));

        assertThat(spec.middlebox().protocol()).isEqualTo("bytes");
        assertThat(spec.middlebox().tls()).isNull();
        assertThat(SpecJson.write(spec).get("middlebox").has("protocol")).isFalse();
    }

    @Test
    void anInlinePasswordIsRefusedWithoutEchoingIt() throws Exception {
        ObjectNode n = spec();
        ((ObjectNode) n.get("replicas").get(0).get("auth")).put("password", "s3cret-value");

        assertThatThrownBy(() -> SpecJson.read(n)).isInstanceOf(SpecException.class)
                .hasMessage("replicas[0].auth.password: refused: a password is never written in a spec; give "
                        + "passwordFile (an absolute path on the middlebox host) or passwordEnv (a variable of the "
                        + "middlebox process)")
                .hasMessageNotContaining("s3cret-value");
    }

    @Test
    void errorsNameTheField() throws Exception {
        assertError(n -> auth(n, 0).put("passwordFile", "r1.pw"), "replicas[0].auth.passwordFile",
                "must be an absolute path (a file on the middlebox host), got 'r1.pw'");
        assertError(n -> auth(n, 0).put("passwordEnv", "X"), "replicas[0].auth",
                "needs exactly one of passwordFile, passwordEnv (the password itself is never written in a spec)");
        assertError(n -> auth(n, 1).remove("passwordEnv"), "replicas[1].auth",
                "needs exactly one of passwordFile, passwordEnv (the password itself is never written in a spec)");
        assertError(n -> auth(n, 1).put("passwordEnv", "1-bad"), "replicas[1].auth.passwordEnv",
                "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got '1-bad'");
        assertError(n -> auth(n, 1).put("token", "x"), "replicas[1].auth.token",
                "unknown field (known: passwordEnv, passwordFile, user)");
        assertError(n -> ((ObjectNode) n.get("replicas").get(1)).put("auth", "x"), "replicas[1].auth",
                "must be an object {user, passwordFile | passwordEnv}");
        assertError(n -> mb(n).put("protocol", "http"), "middlebox.protocol",
                "must be bytes, redis, postgres or mysql, got 'http'");
        assertError(n -> mb(n).put("mode", "lockstep"), "middlebox.protocol", "'postgres' needs mode async (a "
                + "replica's authentication exchange differs from the primary's, so lockstep cannot release answers "
                + "byte by byte)");
        assertError(n -> mb(n).put("protocol", "bytes"), "replicas[0].auth", "needs middlebox.protocol (redis, "
                + "postgres or mysql): byte replay cannot authenticate with other credentials");
        assertError(n -> ((ObjectNode) mb(n).get("tls")).remove("key"), "middlebox.tls.key",
                "missing (a PEM file's path)");
        assertError(n -> ((ObjectNode) mb(n).get("tls")).put("clientCa", "ca.crt"), "middlebox.tls.clientCa",
                "must be an absolute path (a file on the middlebox host), got 'ca.crt'");
        assertError(n -> ((ObjectNode) mb(n).get("backendTls")).remove("ca"), "middlebox.backendTls.ca",
                "missing: the CA bundle that the backend's certificate must chain to (or insecure: true, no check "
                        + "at all)");
        assertError(n -> ((ObjectNode) mb(n).get("primaryTls")).put("insecure", true), "middlebox.primaryTls.insecure",
                "true with a ca: give one or the other");
        assertError(n -> ((ObjectNode) mb(n).get("primaryTls")).put("serverName", "a b"),
                "middlebox.primaryTls.serverName", "'a b' is not a host name");
        assertError(n -> ((ObjectNode) n.get("replicas").get(0).get("tls")).remove("key"), "replicas[0].tls.key",
                "missing: a client certificate needs both cert and key");
        assertError(n -> ((ObjectNode) n.get("replicas").get(0).get("tls")).put("insecure", "maybe"),
                "replicas[0].tls.insecure", "must be true or false, got \"maybe\"");
        assertError(n -> ((ObjectNode) mb(n).get("tls")).put("ca", "/x"), "middlebox.tls.ca",
                "unknown field (known: cert, clientCa, key)");
    }

    private static ObjectNode mb(ObjectNode n) {
        return (ObjectNode) n.get("middlebox");
    }

    private static ObjectNode auth(ObjectNode n, int replica) {
        return (ObjectNode) n.get("replicas").get(replica).get("auth");
    }

    private void assertError(Consumer<ObjectNode> change, String field, String problem) throws Exception {
        ObjectNode n = spec();
        change.accept(n);
        JsonNode bad = n;
        assertThatThrownBy(() -> SpecJson.read(bad)).isInstanceOf(SpecException.class)
                .hasMessage(field + ": " + problem)
                .extracting(e -> ((SpecException) e).field()).isEqualTo(field);
    }
}
