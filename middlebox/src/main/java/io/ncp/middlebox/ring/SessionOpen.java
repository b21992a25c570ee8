package io.ncp.middlebox.ring;

import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import java.util.List;

/**
 * What the replica side needs to open a session's copies, fixed when the session opened at the front.
 *
 * @param service  the session's service
 * @param replicas the replicas it is replicated to (the service's replicas at that moment: a failover later does not
 *                 change them), in the order {@link AnswerProgress} indexes them
 * @param link     where the replica side reports to the front (lockstep progress; with failover, replica ends and a
 *                 takeover's answers); null for async sessions of a service without failover
 * @param after    sessions ended before this one opened: each copy holds its bytes until those finished on its
 *                 replica (session order); 0 = no wait
 */
public record SessionOpen(ServiceRuntime service, List<ReplicaTarget> replicas, FrontLink link, long after) {

    /** An async session of {@code service} to its current replicas, without session order. */
    public static SessionOpen of(ServiceRuntime service) {
        return new SessionOpen(service, service.primary().sessionReplicas(), null, 0);
    }
}
