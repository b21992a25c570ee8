package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.stats.DivergenceLog;
import io.ncp.middlebox.stats.ReplicaStats;
import java.time.Instant;

/** One replica's state and counters as JSON (in {@code /stats}, {@code /services}, admin action answers). */
public final class ReplicaView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicaView() {
    }

    /** The replica's JSON without lag in seconds. */
    public static ObjectNode json(ReplicaTarget r) {
        return json(r, Double.NaN);
    }

    /**
     * The replica's JSON. {@code lagSeconds} ({@link StatsHistory#lagSeconds}): NaN leaves it out, infinite is
     * written as null with {@code "lagDraining": false}.
     */
    public static ObjectNode json(ReplicaTarget r, double lagSeconds) {
        ReplicaStats rs = r.stats();
        ObjectNode o = JSON.createObjectNode()
            .put("address", r.label())
            .put("bind", r.config().bind())
            .put("health", r.health().state().name())
            .put("healthReason", r.health().reason())
            .put("consistency", r.consistency().state().name())
            .put("consistencyReason", r.consistency().reason())
            .put("consistencySince", Instant.ofEpochMilli(r.consistency().sinceMillis()).toString())
            .put("consistencyChanges", r.consistency().transitions())
            .put("notInSyncMillis", notInSyncMillis(r))
            .put("sessions", rs.sessions.sum())
            .put("missed", rs.missed.sum())
            .put("connectFailures", rs.connectFailures.sum())
            .put("lagging", rs.lagging.sum())
            .put("stalled", rs.stalled.sum())
            .put("spills", rs.spills.sum())
            .put("spilledBytes", rs.spilledBytes.sum())
            .put("damaged", rs.damaged.sum())
            .put("lost", rs.lost.sum())
            .put("bytesSent", rs.bytesSent.sum())
            .put("bytesAnswered", rs.bytesAnswered.sum())
            .put("backlogBytes", rs.backlogBytes.sum())
            .put("compared", rs.compared.sum())
            .put("uncompared", rs.uncompared.sum())
            .put("divergent", rs.divergent.sum())
            .put("orderWaits", rs.orderWaits.sum())
            .put("orderWaitMillis", rs.orderWaitNanos.sum() / 1_000_000)
            .put("requestOrderWaits", rs.requestOrderWaits.sum())
            .put("requestOrderWaitMillis", rs.requestOrderWaitNanos.sum() / 1_000_000)
            .put("requestOrderDrops", rs.requestOrderDrops.sum())
            .put("requestOrderProbeFailures", rs.requestOrderProbeFailures.sum())
            .put("resyncs", rs.resyncs.sum())
            .put("autoResyncs", rs.autoResyncs.sum())
            .put("resyncFailures", rs.resyncFailures.sum())
            .put("identityChecks", rs.identityChecks.sum());
        ResyncProgress p = r.consistency().resync();
        if (p != null) {
            ObjectNode rp = o.putObject("resync").put("phase", p.phase().name())
                .put("startedAt", Instant.ofEpochMilli(p.startedAtMillis()).toString())
                .put("pauseMillis", p.pauseMillis()).put("journalBytes", p.journalBytes())
                .put("replayedBytes", p.replayedBytes()).put("continuedSessions", p.continuedSessions())
                .put("trigger", p.trigger());
            if (p.primaryDoneBy() != null) {
                rp.put("primaryDoneBy", p.primaryDoneBy());
            }
            if (p.endedAtMillis() > 0) {
                rp.put("endedAt", Instant.ofEpochMilli(p.endedAtMillis()).toString());
            }
            if (p.failure() != null) {
                rp.put("failure", p.failure());
            }
        }
        if (Double.isInfinite(lagSeconds)) {
            o.putNull("lagSeconds");
            o.put("lagDraining", false);
        } else if (!Double.isNaN(lagSeconds)) {
            o.put("lagSeconds", Math.round(lagSeconds * 1000) / 1000.0);
            o.put("lagDraining", true);
        }
        ArrayNode divs = o.putArray("lastDivergences");
        for (DivergenceLog.Entry d : rs.divergences.entries()) {
            ObjectNode e = divs.addObject().put("at", Instant.ofEpochMilli(d.atMillis()).toString())
                .put("session", d.session());
            if (d.exact() >= 0) {
                e.put("offset", d.exact());
            } else {
                e.putNull("offset");
            }
            e.put("from", d.from()).put("to", d.to()).put("block", d.to() / BlockDigester.BLOCK)
                .put("primaryBytes", d.primaryBytes()).put("replicaBytes", d.replicaBytes());
        }
        ArrayNode history = o.putArray("history");
        for (ReplicaConsistency.Transition t : r.consistency().history()) {
            history.addObject().put("at", Instant.ofEpochMilli(t.atMillis()).toString()).put("to", t.to().name())
                .put("reason", t.reason());
        }
        return o;
    }

    /** Time the replica spent STALE, CATCHING_UP or RESYNCING since it joined. */
    static long notInSyncMillis(ReplicaTarget r) {
        return r.consistency().notInSyncMillis();
    }
}
