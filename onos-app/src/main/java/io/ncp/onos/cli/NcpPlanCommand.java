package io.ncp.onos.cli;

import io.ncp.onos.api.NcpService;
import io.ncp.onos.api.ReplicationStatus;
import io.ncp.onos.planner.ClientPlan;
import io.ncp.onos.planner.PlannedRule;
import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.io.JsonFiles;
import io.ncp.onos.planner.io.PlanJson;
import io.ncp.onos.planner.io.SpecJson;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;

import java.nio.file.Paths;

/**
 * {@code ncp-plan NAME} shows the installed plan of a spec; {@code ncp-plan --file SPEC} previews a spec file on
 * the current topology without installing anything. {@code -j} prints the plan JSON.
 */
@Service
@Command(scope = "onos", name = "ncp-plan", description = "Shows the redirection plan of an NCP spec")
public class NcpPlanCommand extends AbstractShellCommand {

    @Argument(index = 0, name = "name", description = "Spec name (omit with --file)")
    @Completion(ReplicationNameCompleter.class)
    String name;

    @Option(name = "--file", aliases = "-f", description = "Preview this spec file (JSON or YAML) instead")
    String file;

    @Reference
    NcpService service;

    @Override
    protected void doExecute() {
        NcpService ncp = service != null ? service : get(NcpService.class);
        ReplicationPlan plan;
        try {
            plan = file != null ? ncp.plan(SpecJson.read(JsonFiles.read(Paths.get(file)))) : installed(ncp);
        } catch (SpecException | PlanningException e) {
            error("ncp-plan: %s", e.getMessage());
            return;
        }
        if (plan == null) {
            return;
        }
        if (outputJson()) {
            print("%s", PlanJson.write(plan, null));
            return;
        }
        print("%s (%s)", plan.spec().name(), plan.spec().tunnel() ? "tunnel" : "special routing");
        for (ClientPlan c : plan.clients()) {
            print("  client %s: redirect at %s; primary route %s; middlebox route %s", c.client().name(),
                    c.redirectionSwitch(), c.primaryRoute(), c.middleboxRoute());
        }
        for (PlannedRule r : plan.rules()) {
            print("  %s", r);
        }
    }

    private ReplicationPlan installed(NcpService ncp) {
        if (name == null) {
            error("ncp-plan: give a spec name or --file SPEC");
            return null;
        }
        ReplicationStatus status = ncp.getStatus(name).orElse(null);
        if (status == null) {
            error("ncp-plan: no replication spec named '%s'", name);
            return null;
        }
        if (status.plan().isEmpty()) {
            error("ncp-plan: '%s' is not planned: %s", name, status.planningError());
            return null;
        }
        return status.plan().get();
    }
}
