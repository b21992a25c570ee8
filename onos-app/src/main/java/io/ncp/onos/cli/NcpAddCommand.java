package io.ncp.onos.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.api.NcpService;
import io.ncp.onos.planner.ClientPlan;
import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.io.SpecJson;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;

import java.util.List;

/**
 * {@code ncp-add NAME SRC PRIMARY MIDDLEBOX REPLICA...}: adds (or replaces) a replication spec. The arguments
 * build the same JSON as a REST body, so validation and messages are the same everywhere.
 */
@Service
@Command(scope = "onos", name = "ncp-add",
        description = "Adds or replaces an NCP replication spec and installs its redirection")
public class NcpAddCommand extends AbstractShellCommand {

    @Argument(index = 0, name = "name", description = "Spec name (also the middlebox service name)",
            required = true)
    String name;

    @Argument(index = 1, name = "src", description = "Client IP or prefix, e.g. 10.0.0.1 or 10.0.0.0/24",
            required = true)
    String src;

    @Argument(index = 2, name = "primary", description = "Primary server ip:port", required = true)
    String primary;

    @Argument(index = 3, name = "middlebox", description = "Middlebox host IP", required = true)
    String middlebox;

    @Argument(index = 4, name = "replicas", description = "Replica servers ip:port", required = true,
            multiValued = true)
    List<String> replicas;

    @Option(name = "--listen-port", aliases = "-l", description = "Middlebox listen port (default: primary port)")
    Integer listenPort;

    @Option(name = "--admin", aliases = "-a", description = "Middlebox admin API ip:port (push the spec there)")
    String admin;

    @Option(name = "--admin-token-file", description = "File on the ONOS host holding the admin API token "
            + "(absolute path; default: the app's adminTokenFile setting)")
    String adminTokenFile;

    @Option(name = "--mode", aliases = "-m", description = "async (default) or lockstep")
    String mode;

    @Option(name = "--backlog", description = "Per-replica backlog, e.g. 64MiB")
    String backlog;

    @Option(name = "--protocol", description = "bytes (default), redis, postgres or mysql (credentials and TLS: use a "
            + "spec file, REST or netcfg)")
    String protocol;

    @Option(name = "--src-port", description = "Only sessions from this client port")
    Integer srcPort;

    @Option(name = "--no-tunnel", description = "Keep the packets' addresses (middlebox accepts the primary's IP)")
    boolean noTunnel;

    @Reference
    NcpService service;

    @Override
    protected void doExecute() {
        ReplicationSpec spec;
        ReplicationPlan plan;
        try {
            spec = SpecJson.read(json());
            plan = ncp().addReplication(spec);
        } catch (SpecException | PlanningException e) {
            error("ncp-add: %s", e.getMessage());
            return;
        }
        print("%s: %d rules on %s", spec.name(), plan.rules().size(), plan.switches());
        for (ClientPlan c : plan.clients()) {
            print("  client %s: redirect at %s", c.client().name(), c.redirectionSwitch());
        }
    }

    private ObjectNode json() {
        int colon = primary.lastIndexOf(':');
        if (colon < 0) {
            throw new SpecException("primary", "must be ip:port, got '" + primary + "'");
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", name);
        ObjectNode sel = root.putObject("selector");
        sel.put("src", src);
        if (srcPort != null) {
            sel.put("srcPort", srcPort);
        }
        sel.put("dst", primary.substring(0, colon));
        sel.put("dstPort", primary.substring(colon + 1));
        ObjectNode mb = root.putObject("middlebox");
        mb.put("host", middlebox);
        if (listenPort != null) {
            mb.put("listenPort", listenPort);
        }
        if (admin != null) {
            mb.put("admin", admin);
        }
        if (adminTokenFile != null) {
            mb.put("adminTokenFile", adminTokenFile);
        }
        if (mode != null) {
            mb.put("mode", mode);
        }
        if (backlog != null) {
            mb.put("replicaBacklog", backlog);
        }
        if (protocol != null) {
            mb.put("protocol", protocol);
        }
        replicas.forEach(root.putArray("replicas")::add);
        root.put("tunnel", !noTunnel);
        return root;
    }

    private NcpService ncp() {
        return service != null ? service : get(NcpService.class);
    }
}
