package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecJsonTest {

    static final String SPEC = "{\"name\":\"redis\",\"selector\":{\"src\":\"10.0.0.0/24\",\"srcPort\":0,"
            + "\"dst\":\"10.0.0.2\",\"dstPort\":6379,\"protocol\":\"tcp\"},\"middlebox\":{\"host\":\"10.0.0.3\","
            + "\"listenPort\":7000,\"admin\":\"127.0.0.1:9090\",\"adminTokenFile\":\"/etc/ncp/admin.token\","
            + "\"mode\":\"async\",\"replicaBacklog\":\"64MiB\"},"
            + "\"replicas\":[{\"address\":\"10.0.0.4:6379\",\"bind\":\"10.0.1.1\"},\"10.0.0.5:6379\"],"
            + "\"tunnel\":true}";

    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode spec() throws Exception {
        return (ObjectNode) mapper.readTree(SPEC);
    }

    @Test
    void readsEveryFieldAndWritesItBack() throws Exception {
        ReplicationSpec spec = SpecJson.read(spec());

        assertThat(spec.name()).isEqualTo("redis");
        assertThat(spec.selector().src().toString()).isEqualTo("10.0.0.0/24");
        assertThat(spec.middlebox().admin().toString()).isEqualTo("127.0.0.1:9090");
        assertThat(spec.middlebox().adminTokenFile()).isEqualTo("/etc/ncp/admin.token");
        assertThat(spec.replicas()).hasSize(2);
        assertThat(spec.replicas().get(0).bind().toString()).isEqualTo("10.0.1.1");
        assertThat(SpecJson.read(SpecJson.write(spec))).isEqualTo(spec);
        assertThat(SpecJson.write(spec).get("replicas").get(1).toString()).isEqualTo("{\"address\":\"10.0.0.5:6379\"}");
    }

    @Test
    void defaultsAreTunnelAsyncAndListenOnThePrimaryPort() throws Exception {
        ObjectNode n = spec();
        n.remove("tunnel");
        ((ObjectNode) n.get("middlebox")).remove("mode");
        ((ObjectNode) n.get("middlebox")).remove("listenPort");

        ReplicationSpec spec = SpecJson.read(n);

        assertThat(spec.tunnel()).isTrue();
        assertThat(spec.middlebox().mode()).isEqualTo("async");
        assertThat(spec.middlebox().listenPort()).isEqualTo(6379);
    }

    @Test
    void errorsNameTheField() throws Exception {
        assertError(n -> ((ObjectNode) n.get("selector")).remove("dstPort"), "selector.dstPort", "missing");
        assertError(n -> ((ObjectNode) n.get("selector")).put("dstPort", "http"), "selector.dstPort",
                "must be an integer, got \"http\"");
        assertError(n -> ((ObjectNode) n.get("selector")).put("dst", "10.0.0"), "selector.dst",
                "not an IPv4 address: '10.0.0'");
        assertError(n -> ((ObjectNode) n.get("selector")).put("protocol", "udp"), "selector.protocol",
                "only tcp is supported, got 'udp'");
        assertError(n -> ((ObjectNode) n.get("middlebox")).put("admin", "localhost"), "middlebox.admin",
                "not an address a.b.c.d:port: 'localhost'");
        assertError(n -> ((ObjectNode) n.get("middlebox")).put("adminTokenFile", "admin.token"),
                "middlebox.adminTokenFile", "must be an absolute path (a file on the ONOS host holding the token), "
                        + "got 'admin.token'");
        assertError(n -> ((ObjectNode) n.get("middlebox")).put("adminTokenFile", "/etc/ncp/\u0000token"),
                "middlebox.adminTokenFile", "not a valid path: Nul character not allowed");
        assertError(n -> ((ObjectNode) n.get("middlebox")).putArray("adminTokenFile"), "middlebox.adminTokenFile",
                "must be a string, got []");
        assertError(n -> ((ObjectNode) n.get("middlebox")).remove("admin"), "middlebox.adminTokenFile",
                "needs middlebox.admin (the token is only sent to the admin API)");
        assertError(n -> ((ObjectNode) n.get("replicas").get(0)).put("address", "10.0.0.4"),
                "replicas[0].address", "not an address a.b.c.d:port: '10.0.0.4'");
        assertError(n -> ((ObjectNode) n.get("middlebox")).put("adminToken", "x"), "middlebox.adminToken",
                "unknown field (known: admin, adminTokenFile, backendTls, host, listenPort, mode, primaryTls, "
                        + "protocol, replicaBacklog, tls)");
        assertError(n -> n.put("selecter", 1), "selecter", "unknown field (known: middlebox, name, replicas, "
                + "selector, tunnel)");
        assertError(n -> n.remove("middlebox"), "middlebox", "missing");
        assertError(n -> n.put("tunnel", "yes"), "tunnel", "must be true or false, got \"yes\"");
    }

    @Test
    void r4ByAddressIsRejectedWithTheReplicaField() throws Exception {
        ObjectNode n = spec();
        ((ObjectNode) n.get("replicas").get(0)).put("address", "10.0.0.2:6380");

        assertThatThrownBy(() -> SpecJson.read(n)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("replicas[0].address: R4: replica 10.0.0.2:6380 shares the primary's host");
    }

    private void assertError(java.util.function.Consumer<ObjectNode> change, String field, String problem)
            throws Exception {
        ObjectNode n = spec();
        change.accept(n);
        JsonNode bad = n;
        assertThatThrownBy(() -> SpecJson.read(bad)).isInstanceOf(SpecException.class)
                .hasMessage(field + ": " + problem)
                .extracting(e -> ((SpecException) e).field()).isEqualTo(field);
    }
}
