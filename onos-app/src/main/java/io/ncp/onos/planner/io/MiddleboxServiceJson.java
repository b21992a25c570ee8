package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.MiddleboxTarget;
import io.ncp.onos.planner.ReplicaTarget;
import io.ncp.onos.planner.ReplicationSpec;

/**
 * The service object the ONOS app PUTs to the middlebox admin API ({@code PUT /services/{name}}, ARCHITECTURE
 * "Contracts": one {@code services[]} entry of the middlebox YAML, in JSON). {@code listen} is
 * {@code <middlebox ip>:<listenPort>} in tunnel mode (sessions are rewritten to that address) and
 * {@code 0.0.0.0:<primary port>} with {@code "transparent": true} otherwise (sessions still carry the primary's
 * address: the middlebox host's TPROXY rules, {@link MiddleboxHostSetup}, hand them to its IP_TRANSPARENT listener).
 * The service's {@code protocol}, {@code tls}, {@code backendTls}, the primary's TLS ({@code primary: {address, tls}})
 * and each replica's {@code auth} and {@code tls} are passed through as references (file paths, variable names):
 * the middlebox reads the files. Stateless.
 */
public final class MiddleboxServiceJson {

    private MiddleboxServiceJson() {
    }

    /** The service object for {@code spec}. */
    public static ObjectNode of(ReplicationSpec spec) {
        return of(spec, null);
    }

    /**
     * The service object for {@code spec}; with {@code staleReason} it also says {@code "join": "stale"}: the
     * middlebox marks every replica of the service STALE (clients reached the primary without it, e.g. during a
     * fail-open period, so the replicas missed those sessions).
     */
    public static ObjectNode of(ReplicationSpec spec, String staleReason) {
        MiddleboxTarget m = spec.middlebox();
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", spec.name());
        n.put("listen", (spec.tunnel() ? m.host().toString() : "0.0.0.0") + ":" + m.listenPort());
        if (m.primaryTls() == null) {
            n.put("primary", spec.selector().primary().toString());
        } else {
            ObjectNode p = n.putObject("primary");
            p.put("address", spec.selector().primary().toString());
            SecurityJson.put(p, "tls", m.primaryTls());
        }
        if (!spec.tunnel()) {
            n.put("transparent", true);
        }
        n.put("mode", m.mode());
        if (m.replicaBacklog() != null) {
            n.put("replicaBacklog", m.replicaBacklog());
        }
        if (!"bytes".equals(m.protocol())) {
            n.put("protocol", m.protocol());
        }
        SecurityJson.put(n, "tls", m.tls());
        SecurityJson.put(n, "backendTls", m.backendTls());
        ArrayNode replicas = n.putArray("replicas");
        for (ReplicaTarget r : spec.replicas()) {
            ObjectNode rn = replicas.addObject();
            rn.put("address", r.address().toString());
            if (r.bind() != null) {
                rn.put("bind", r.bind().toString());
            }
            SecurityJson.put(rn, "auth", r.auth());
            SecurityJson.put(rn, "tls", r.tls());
        }
        if (staleReason != null) {
            n.put("join", "stale");
            n.put("joinReason", staleReason);
        }
        return n;
    }
}
