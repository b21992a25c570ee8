package io.ncp.onos.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ncp.onos.api.NcpService;
import io.ncp.onos.api.ReplicationStatus;
import io.ncp.onos.api.ReplicationStatus.RedirectState;
import io.ncp.onos.api.StatusJson;
import io.ncp.onos.planner.ClientPlan;
import io.ncp.onos.planner.ReplicationSpec;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.onosproject.cli.AbstractShellCommand;

import java.util.stream.Collectors;

/**
 * {@code ncp-list [-j]}: the replication specs with their redirection switches (or {@code NOT PLANNED} / {@code
 * FAIL_OPEN since ...}), rule counts, fail-open events (when any) and push state.
 */
@Service
@Command(scope = "onos", name = "ncp-list", description = "Lists NCP replication specs and their status")
public class NcpListCommand extends AbstractShellCommand {

    @Reference
    NcpService service;

    @Override
    protected void doExecute() {
        NcpService ncp = service != null ? service : get(NcpService.class);
        if (outputJson()) {
            ArrayNode list = mapper().createArrayNode();
            for (ReplicationSpec spec : ncp.getReplications()) {
                ncp.getStatus(spec.name()).ifPresent(s -> list.add(StatusJson.of(s)));
            }
            print("%s", list);
            return;
        }
        for (ReplicationSpec spec : ncp.getReplications()) {
            ReplicationStatus s = ncp.getStatus(spec.name()).orElse(null);
            if (s == null) {
                continue;
            }
            String where = s.redirectState() == RedirectState.FAIL_OPEN
                    ? "FAIL_OPEN since " + s.failOpenSince() + " (middlebox gone, clients go to the primary)"
                    : s.plan().map(p -> "redirect at " + p.clients().stream().map(ClientPlan::redirectionSwitch)
                    .distinct().collect(Collectors.joining(","))).orElse("NOT PLANNED: " + s.planningError());
            print("%s: %s via %s -> %s%s | %s, %d rules%s | push %s%s", spec.name(), spec.selector(),
                    spec.middlebox(), spec.replicas(), spec.tunnel() ? " (tunnel)" : "", where, s.installedRules(),
                    s.failOpenEvents() == 0 ? "" : ", " + s.failOpenEvents() + " fail-open events", s.pushState(),
                    s.pushError() == null ? "" : " (" + s.pushError() + ")");
        }
    }
}
