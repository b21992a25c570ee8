package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.middlebox.service.PrimaryRole;
import io.ncp.middlebox.service.ServiceRuntime;
import java.time.Instant;

/** A service's primary role and failovers as JSON: current primary, epoch, fenced ones, each failover's figures. */
final class FailoverView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FailoverView() {
    }

    /** Adds the current and configured primary, the epoch, the fenced primaries and the failovers to {@code o}. */
    static void add(ObjectNode o, ServiceRuntime svc) {
        PrimaryRole role = svc.primary();
        o.put("primary", role.address().toString());
        o.put("configuredPrimary", svc.config().primary().toString());
        o.put("epoch", role.epoch());
        o.put("failover", svc.config().failover() == null ? "off" : svc.config().failover().promote() ? "on"
            : "detect only");
        if (svc.lastVote() != null) {
            o.put("lastVote", svc.lastVote());
        }
        o.put("failoverVetoes", svc.stats().failoverVetoes.sum());
        ArrayNode fenced = o.putArray("fenced");
        for (HostPort f : role.fenced()) {
            fenced.add(f.toString());
        }
        ArrayNode list = o.putArray("failovers");
        for (FailoverRecord r : svc.failovers()) {
            list.add(json(r));
        }
    }

    static ObjectNode json(FailoverRecord r) {
        return JSON.createObjectNode()
            .put("at", Instant.ofEpochMilli(r.atMillis()).toString())
            .put("from", r.from())
            .put("to", r.to())
            .put("epoch", r.epoch())
            .put("reason", r.reason())
            .put("detectMillis", r.detectMillis())
            .put("promoteMillis", r.promoteMillis())
            .put("firstAnswerMillis", r.firstAnswerMillis())
            .put("sessionsCarried", r.carried())
            .put("sessionsReset", r.reset())
            .put("unreceivedBytes", r.unreceivedBytes())
            .put("unansweredBytes", r.unansweredBytes());
    }
}
