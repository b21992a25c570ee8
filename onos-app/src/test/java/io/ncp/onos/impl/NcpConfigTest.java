package io.ncp.onos.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import org.junit.Test;
import org.onosproject.TestApplicationId;
import org.onosproject.net.config.InvalidFieldException;

import java.io.File;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The network config: the shipped sample parses, and a bad entry is rejected naming its path. */
public class NcpConfigTest {

    private static NcpConfig config(JsonNode json) {
        NcpConfig cfg = new NcpConfig();
        cfg.init(TestApplicationId.create("io.ncp.app"), NcpConfig.KEY, json, new ObjectMapper(), c -> { });
        return cfg;
    }

    @Test
    public void theSampleInConfigsIsValid() throws Exception {
        JsonNode sample = new ObjectMapper().readTree(new File("../configs/onos-netcfg.json"));

        NcpConfig cfg = config(sample.get("apps").get("io.ncp.app").get(NcpConfig.KEY));

        assertTrue(cfg.isValid());
        List<ReplicationSpec> specs = cfg.replications();
        assertEquals(2, specs.size());
        assertEquals("redis", specs.get(0).name());
        assertEquals("/etc/ncp/admin.token", specs.get(0).middlebox().adminTokenFile());
        assertEquals(null, specs.get(1).middlebox().adminTokenFile());
        assertFalse(specs.get(1).tunnel());
        assertEquals("10.0.0.0/24", specs.get(1).selector().src().toString());
    }

    @Test
    public void aBadEntryIsNamedByItsPath() throws Exception {
        JsonNode json = new ObjectMapper().readTree("{\"replications\": [{\"name\": \"a\", \"selector\": {\"src\": "
                + "\"10.0.0.1\", \"dst\": \"10.0.0.2\", \"dstPort\": 6379}, \"middlebox\": {\"host\": \"10.0.0.300\"},"
                + " \"replicas\": [\"10.0.0.4:6379\"]}]}");
        NcpConfig cfg = config(json);

        try {
            cfg.isValid();
            fail("invalid");
        } catch (InvalidFieldException e) {
            assertEquals("replications[0].middlebox.host", e.field());
            assertEquals("not an IPv4 address: '10.0.0.300'", e.reason());
        }
        try {
            cfg.replications();
            fail("invalid");
        } catch (SpecException e) {
            assertEquals("replications[0].middlebox.host", e.field());
            assertEquals("replications[0].middlebox.host: not an IPv4 address: '10.0.0.300'", e.getMessage());
        }
        try {
            config(new ObjectMapper().readTree("{\"replications\": [], \"extra\": 1}")).isValid();
            fail("unknown field");
        } catch (InvalidFieldException e) {
            assertEquals("extra", e.field());
        }
    }

    /** The credentials/TLS sample: every setting is a reference (paths, variable names). */
    @Test
    public void theCredentialsSampleInConfigsIsValid() throws Exception {
        JsonNode sample = new ObjectMapper().readTree(new File("../configs/onos-netcfg-credentials.json"));

        NcpConfig cfg = config(sample.get("apps").get("io.ncp.app").get(NcpConfig.KEY));

        assertTrue(cfg.isValid());
        ReplicationSpec pg = cfg.replications().get(0);
        assertEquals("postgres", pg.middlebox().protocol());
        assertEquals("/etc/ncp/tls/pg.key", pg.middlebox().tls().key());
        assertEquals("db-primary", pg.middlebox().primaryTls().serverName());
        assertEquals("/etc/ncp/pg-replica.pw", pg.replicas().get(0).auth().passwordFile());
        assertEquals("/etc/ncp/tls/ncp-client.key", pg.replicas().get(0).tls().key());
        assertEquals("NCP_PG_REPLICA2_PW", pg.replicas().get(1).auth().passwordEnv());
    }

    @Test
    public void anInlinePasswordInNetcfgIsRefusedNamingItsPath() throws Exception {
        JsonNode json = new ObjectMapper().readTree("{\"replications\": [{\"name\": \"a\", \"selector\": {\"src\": "
                + "\"10.0.0.1\", \"dst\": \"10.0.0.2\", \"dstPort\": 6379}, \"middlebox\": {\"host\": \"10.0.0.3\","
                + " \"protocol\": \"redis\"}, \"replicas\": [{\"address\": \"10.0.0.4:6379\", \"auth\": "
                + "{\"password\": \"hunter2\"}}]}]}");
        try {
            config(json).isValid();
            fail("invalid");
        } catch (InvalidFieldException e) {
            assertEquals("replications[0].replicas[0].auth.password", e.field());
            assertFalse(e.getMessage(), e.getMessage().contains("hunter2"));
        }
    }
}
