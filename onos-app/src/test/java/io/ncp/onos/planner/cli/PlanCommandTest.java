package io.ncp.onos.planner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ncp-plan end to end on files: output lines, JSON, exit codes 2 (bad input) and 3 (cannot plan). */
class PlanCommandTest {

    private static final String TOPOLOGY = "{'switches':[{'name':'s1'},{'name':'s2'},{'name':'s3'}],"
            + "'links':[{'src':'s1','srcPort':1,'dst':'s2','dstPort':3},{'src':'s1','srcPort':2,'dst':'s3',"
            + "'dstPort':3}],'hosts':["
            + "{'name':'h1','ip':'10.0.0.1','mac':'00:00:00:00:00:01','switch':'s2','port':1},"
            + "{'name':'h2','ip':'10.0.0.2','mac':'00:00:00:00:00:02','switch':'s2','port':2},"
            + "{'name':'h3','ip':'10.0.0.3','mac':'00:00:00:00:00:03','switch':'s3','port':1},"
            + "{'name':'h4','ip':'10.0.0.4','mac':'00:00:00:00:00:04','switch':'s3','port':2}]}";

    private static final String SPEC = String.join("\n",
            "name: redis",
            "selector:",
            "  src: 10.0.0.1",
            "  dst: 10.0.0.2",
            "  dstPort: 6379",
            "middlebox:",
            "  host: 10.0.0.3",
            "  listenPort: 7000",
            "replicas:",
            "  - address: 10.0.0.4:6379",
            "");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PlanCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String[] files(String topology, String spec) throws IOException {
        return new String[] {"--topology", write("topo.json", topology.replace('\'', '"')).toString(),
            "--spec", write("spec.yaml", spec).toString()};
    }

    @Test
    void printsOvsOfctlLinesForTheTunnelPlan() throws IOException {
        int rc = run(files(TOPOLOGY, SPEC));

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(rc).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("ovs-ofctl -O OpenFlow13 add-flow s2 'cookie=0x4e430001")
                .endsWith(",priority=40100,tcp,in_port=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_dst=6379,"
                        + "actions=set_field:00:00:00:00:00:03->eth_dst,set_field:10.0.0.3->ip_dst,"
                        + "set_field:7000->tcp_dst,output:3'");
        assertThat(lines[3]).contains("add-flow s2 ").endsWith("in_port=3,nw_src=10.0.0.3,tcp_src=7000,"
                + "nw_dst=10.0.0.1,actions=set_field:10.0.0.2->ip_src,set_field:6379->tcp_src,output:1'");
    }

    @Test
    void deleteAndBaseRoutesAndJson() throws IOException {
        String[] args = files(TOPOLOGY, SPEC);
        assertThat(run(concat(args, "--delete"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).hasSize(3)
                .allMatch(l -> l.contains(" del-flows ") && l.endsWith("/-1'"));
        out.reset();
        assertThat(run(concat(args, "--base-routes"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).hasSize(4 * 3 * 2 + 4);
        out.reset();
        assertThat(run(concat(args, "--format", "json"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"redirectionSwitch\" : \"s2\"")
                .contains("\"role\" : \"return-rewrite\"");
    }

    @Test
    void badFilesExitTwoNamingFileAndField() throws IOException {
        assertThat(run(files(TOPOLOGY, SPEC.replace("dstPort: 6379", "dstPort: 0")))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("ncp-plan: " + dir.resolve("spec.yaml") + ": selector.dstPort: must be 1..65535, got 0");
        err.reset();
        assertThat(run(files(TOPOLOGY.replace("'port':2}", "'port':'x'}"), SPEC))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("topo.json: hosts[1].port: must be an integer");
        err.reset();
        assertThat(run(files("{not json", SPEC))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("topo.json: not valid JSON");
        err.reset();
        assertThat(run("--topology", dir.resolve("missing.json").toString(), "--spec", "x.yaml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.json: no such file");
        err.reset();
        assertThat(run("--topology")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ncp-plan: --topology needs a value");
    }

    @Test
    void theAdminTokenFileIsAcceptedOnlyAsAnAbsolutePath() throws IOException {
        String withAdmin = SPEC.replace("  listenPort: 7000\n", "  listenPort: 7000\n  admin: 10.0.0.3:9090\n"
                + "  adminTokenFile: /etc/ncp/admin.token\n");
        assertThat(run(files(TOPOLOGY, withAdmin))).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

        assertThat(run(files(TOPOLOGY, withAdmin.replace("/etc/ncp/admin.token", "admin.token")))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ncp-plan: " + dir.resolve("spec.yaml")
                + ": middlebox.adminTokenFile: must be an absolute path (a file on the ONOS host holding the token), "
                + "got 'admin.token'\n");
    }

    @Test
    void unplannableSpecExitsThree() throws IOException {
        assertThat(run(files(TOPOLOGY, SPEC.replace("host: 10.0.0.3", "host: 10.0.0.9")))).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ncp-plan: cannot plan 'redis': middlebox "
                + "(middlebox.host) 10.0.0.9 is not a host of the topology\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
