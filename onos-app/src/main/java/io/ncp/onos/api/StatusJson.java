package io.ncp.onos.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.ClientPlan;
import io.ncp.onos.planner.io.PlanJson;
import io.ncp.onos.planner.io.SpecJson;

/**
 * The JSON form of a spec with its status, shared by the REST API and {@code ncp-list -j}:
 * the spec fields (docs/plan-format.md) plus
 * {@code "status": {"planned", "error"?, "rules", "redirectionSwitches", "redirect", "failOpenSince"?,
 * "failOpenEvents", "push", "pushError"?, "pushAttempts"}} ({@code redirect}: INSTALLED, NOT_PLANNED or FAIL_OPEN;
 * {@code failOpenSince}: ISO-8601 UTC, only while in fail-open).
 * Stateless.
 */
public final class StatusJson {

    private StatusJson() {
    }

    /** Spec + status. */
    public static ObjectNode of(ReplicationStatus status) {
        ObjectNode n = SpecJson.write(status.spec());
        ObjectNode s = n.putObject("status");
        s.put("planned", status.plan().isPresent());
        if (status.planningError() != null) {
            s.put("error", status.planningError());
        }
        s.put("rules", status.installedRules());
        status.plan().ifPresent(p -> p.clients().stream().map(ClientPlan::redirectionSwitch).distinct()
                .forEach(s.putArray("redirectionSwitches")::add));
        s.put("redirect", status.redirectState().name());
        if (status.failOpenSince() != null) {
            s.put("failOpenSince", status.failOpenSince().toString());
        }
        s.put("failOpenEvents", status.failOpenEvents());
        s.put("push", status.pushState().name());
        if (status.pushError() != null) {
            s.put("pushError", status.pushError());
        }
        s.put("pushAttempts", status.pushAttempts());
        return n;
    }

    /** Spec + status + the installed plan (rules), for {@code GET /replications/{name}/plan}. */
    public static ObjectNode withPlan(ReplicationStatus status) {
        ObjectNode n = of(status);
        status.plan().ifPresent(p -> n.set("plan", PlanJson.write(p, null)));
        return n;
    }
}
