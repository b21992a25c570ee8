package io.ncp.onos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.onos.impl.NcpFixture;
import io.ncp.onos.planner.io.SpecJson;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.onlab.junit.TestUtils;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** ncp-add / ncp-list / ncp-remove / ncp-plan: doExecute with the service injected, output captured. */
public class NcpCommandsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;
    private NcpFixture fx;

    @Before
    public void setUp() {
        fx = new NcpFixture(true);
        fx.activate();
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @After
    public void tearDown() {
        System.setOut(stdout);
        System.setErr(stderr);
        fx.deactivate();
    }

    private String out() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    /** What the commands wrote to stderr (the log lines of NCP's own threads left out). */
    private String err() {
        String s = err.toString(StandardCharsets.UTF_8).replaceAll("(?m)^\\[onos-ncp-[^\\n]*\\n", "");
        err.reset();
        return s;
    }

    private NcpAddCommand add(String name, String src) {
        NcpAddCommand add = new NcpAddCommand();
        add.service = fx.manager;
        add.name = name;
        add.src = src;
        add.primary = "10.0.0.2:6379";
        add.middlebox = "10.0.0.3";
        add.replicas = List.of("10.0.0.4:6379");
        add.listenPort = 7000;
        return add;
    }

    @Test
    public void addInstallsTheSpecAndPrintsItsRedirectionSwitch() {
        NcpAddCommand add = add("redis", "10.0.0.1");
        add.admin = "127.0.0.1:9090";
        add.adminTokenFile = "/etc/ncp/admin.token";
        add.mode = "async";
        add.protocol = "mysql";

        add.doExecute();

        assertEquals("", err());
        assertEquals("redis: 3 rules on [of:s1, of:s3]\n  client 00:00:00:00:00:01/None: redirect at of:s1\n", out());
        assertEquals(3, fx.flows.installed().size());
        assertEquals("async", fx.manager.getReplication("redis").orElseThrow().middlebox().mode());
        assertEquals("mysql", fx.manager.getReplication("redis").orElseThrow().middlebox().protocol());
        assertEquals("127.0.0.1:9090", fx.manager.getReplication("redis").orElseThrow().middlebox().admin()
                .toString());
        assertEquals("/etc/ncp/admin.token", fx.manager.getReplication("redis").orElseThrow().middlebox()
                .adminTokenFile());
    }

    @Test
    public void addReportsTheBadFieldAndInstallsNothing() {
        NcpAddCommand add = add("redis", "10.0.0.1");
        add.primary = "10.0.0.2:0";

        add.doExecute();

        assertEquals("ncp-add: selector.dstPort: must be 1..65535, got 0\n", err());
        assertTrue(fx.manager.getReplications().isEmpty());

        NcpAddCommand relative = add("redis", "10.0.0.1");
        relative.admin = "127.0.0.1:9090";
        relative.adminTokenFile = "admin.token";
        relative.doExecute();
        assertEquals("ncp-add: middlebox.adminTokenFile: must be an absolute path (a file on the ONOS host holding "
                + "the token), got 'admin.token'\n", err());

        NcpAddCommand noTunnel = add("redis", "10.0.0.1");
        noTunnel.noTunnel = true;
        noTunnel.doExecute();
        assertTrue(err().startsWith("ncp-add: middlebox.listenPort: without tunnel mode"));

        NcpAddCommand r4 = add("redis", "10.0.0.1");
        r4.replicas = List.of("10.0.0.2:6380");
        r4.doExecute();
        assertTrue(err().startsWith("ncp-add: replicas[0].address: R4: replica 10.0.0.2:6380 shares the primary's"));

        NcpAddCommand protocol = add("redis", "10.0.0.1");
        protocol.protocol = "http";
        protocol.doExecute();
        assertEquals("ncp-add: middlebox.protocol: must be bytes, redis, postgres or mysql, got 'http'\n", err());
        assertTrue(fx.flows.applied.isEmpty());
    }

    @Test
    public void listShowsStatusAndJson() throws Exception {
        add("redis", "10.0.0.1").doExecute();
        out();
        NcpListCommand list = new NcpListCommand();
        list.service = fx.manager;

        list.doExecute();

        assertEquals("redis: tcp 10.0.0.1/32 -> 10.0.0.2:6379 via 10.0.0.3:7000 (async) -> [10.0.0.4:6379] (tunnel)"
                + " | redirect at of:s1, 3 rules | push NOT_CONFIGURED\n", out());

        TestUtils.setField(list, "json", true);
        list.doExecute();
        JsonNode json = new ObjectMapper().readTree(out());
        assertEquals("redis", json.get(0).get("name").asText());
        assertEquals(3, json.get(0).get("status").get("rules").asInt());
    }

    @Test
    public void listShowsFailOpen() throws Exception {
        fx.fastHealthProbes();
        NcpAddCommand add = add("redis", "10.0.0.1");
        add.admin = NcpFixture.closedAdmin();
        add.doExecute();
        out();
        // fail-open is recorded before its rules are removed: wait for both (and the failed push)
        NcpFixture.awaitTrue("FAIL_OPEN, its rules removed and a failed push", () -> fx.manager.getStatus("redis")
                .orElseThrow().failOpenSince() != null && fx.manager.getStatus("redis").orElseThrow()
                .installedRules() == 0 && fx.manager.getStatus("redis").orElseThrow().pushError() != null);
        NcpListCommand list = new NcpListCommand();
        list.service = fx.manager;

        list.doExecute();

        String since = fx.manager.getStatus("redis").orElseThrow().failOpenSince().toString();
        String text = out();
        assertTrue(text, text.startsWith("redis: tcp 10.0.0.1/32 -> 10.0.0.2:6379 via 10.0.0.3:7000 (async, admin "
                + add.admin + ") -> [10.0.0.4:6379] (tunnel) | FAIL_OPEN since " + since + " (middlebox gone, "
                + "clients go to the primary), 0 rules, 1 fail-open events | push PENDING ("));
        assertTrue(text, text.contains("ConnectException"));
    }

    @Test
    public void removeRemovesTheRulesOrSaysWhatIsMissing() {
        add("redis", "10.0.0.1").doExecute();
        NcpRemoveCommand remove = new NcpRemoveCommand();
        remove.service = fx.manager;
        remove.name = "redis";

        remove.doExecute();

        assertTrue(out().endsWith("redis: removed\n"));
        assertTrue(fx.flows.installed().isEmpty());
        remove.doExecute();
        assertEquals("ncp-remove: no replication spec named 'redis'\n", err());
    }

    @Test
    public void planShowsTheInstalledRulesOrPreviewsAFile() throws Exception {
        add("redis", "10.0.0.1").doExecute();
        out();
        NcpPlanCommand plan = new NcpPlanCommand();
        plan.service = fx.manager;
        plan.name = "redis";

        plan.doExecute();

        String text = out();
        assertTrue(text, text.startsWith("redis (tunnel)\n  client 00:00:00:00:00:01/None: redirect at of:s1; "
                + "primary route [of:s1, of:s2, of:s4]; middlebox route [of:s1, of:s3]\n"));
        assertTrue(text, text.contains("  of:s1 redirect 40100 in_port=1,tcp,10.0.0.1->10.0.0.2:6379 => "
                + "eth_dst=00:00:00:00:00:03,ip_dst=10.0.0.3,tcp_dst=7000,output:3\n"));

        Path file = tmp.newFile("other.json").toPath();
        Files.writeString(file, SpecJson.write(NcpFixture.spec("other", "10.0.0.5", false, null)).toString());
        NcpPlanCommand preview = new NcpPlanCommand();
        preview.service = fx.manager;
        preview.file = file.toString();
        preview.doExecute();
        assertTrue(out().contains("client 00:00:00:00:00:05/None: redirect at of:s2"));
        assertTrue(fx.manager.getReplication("other").isEmpty());

        TestUtils.setField(plan, "json", true);
        plan.doExecute();
        assertEquals("return-rewrite", new ObjectMapper().readTree(out()).get("rules").get(2).get("role").asText());

        plan.name = "nope";
        plan.doExecute();
        assertEquals("ncp-plan: no replication spec named 'nope'\n", err());
    }
}
