package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.ReplicationSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The service object matches ARCHITECTURE's middlebox config contract (services[] entry, in JSON). */
class MiddleboxServiceJsonTest {

    /** The token file stays on the ONOS side: the service object has no trace of it. */
    @Test
    void tunnelModeListensOnTheMiddleboxAddress() throws Exception {
        ReplicationSpec spec = SpecJson.read(new ObjectMapper().readTree(SpecJsonTest.SPEC));

        assertThat(MiddleboxServiceJson.of(spec).toString()).isEqualTo("{\"name\":\"redis\","
                + "\"listen\":\"10.0.0.3:7000\",\"primary\":\"10.0.0.2:6379\",\"mode\":\"async\","
                + "\"replicaBacklog\":\"64MiB\",\"replicas\":[{\"address\":\"10.0.0.4:6379\",\"bind\":\"10.0.1.1\"},"
                + "{\"address\":\"10.0.0.5:6379\"}]}");
    }

    @Test
    void nonTunnelModeListensTransparentlyOnAnyAddressAtThePrimaryPort() throws Exception {
        ObjectNode n = (ObjectNode) new ObjectMapper().readTree(SpecJsonTest.SPEC);
        n.put("tunnel", false);
        ((ObjectNode) n.get("middlebox")).put("listenPort", 6379);

        ObjectNode service = MiddleboxServiceJson.of(SpecJson.read(n));
        assertThat(service.get("listen").asText()).isEqualTo("0.0.0.0:6379");
        assertThat(service.get("transparent").asBoolean()).as("an IP_TRANSPARENT listener fed by TPROXY").isTrue();
    }

    /** Exactly the references are pushed (the middlebox's field names), and the primary's TLS as {address, tls}. */
    @Test
    void securitySettingsArePushedAsReferences() throws Exception {
        ReplicationSpec spec = SpecJson.read(new ObjectMapper().readTree(SpecJsonSecurityTest.SPEC));

        assertThat(MiddleboxServiceJson.of(spec).toString()).isEqualTo("{\"name\":\"pg\","
                + "\"listen\":\"10.0.0.3:7001\",\"primary\":{\"address\":\"10.0.0.2:5432\","
                + "\"tls\":{\"ca\":\"/etc/ncp/ca.crt\",\"serverName\":\"db-primary\"}},\"mode\":\"async\","
                + "\"protocol\":\"postgres\",\"tls\":{\"cert\":\"/etc/ncp/pg.crt\",\"key\":\"/etc/ncp/pg.key\","
                + "\"clientCa\":\"/etc/ncp/clients.crt\"},\"backendTls\":{\"ca\":\"/etc/ncp/ca.crt\"},"
                + "\"replicas\":[{\"address\":\"10.0.0.4:5432\",\"auth\":{\"user\":\"replicator\","
                + "\"passwordFile\":\"/etc/ncp/r1.pw\"},\"tls\":{\"cert\":\"/etc/ncp/c.crt\","
                + "\"key\":\"/etc/ncp/c.key\",\"insecure\":true}},{\"address\":\"10.0.0.5:5432\","
                + "\"auth\":{\"passwordEnv\":\"NCP_R2_PW\"}}]}");
    }
}
