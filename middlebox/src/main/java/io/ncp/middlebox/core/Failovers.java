package io.ncp.middlebox.core;

import io.ncp.middlebox.failover.FailoverController;
import io.ncp.middlebox.failover.Prober;
import io.ncp.middlebox.failover.Voters;
import io.ncp.middlebox.net.Transport;
import io.ncp.middlebox.service.ServiceRuntime;
import java.util.HashMap;
import java.util.Map;

/**
 * The failover machinery of a middlebox: one {@link Prober} (its own event loop, made when the first service asks for
 * probes) and a {@link FailoverController} per service with a {@code failover} section, replaced with its service.
 * Called under the middlebox's monitor.
 */
final class Failovers implements AutoCloseable {

    private final Transport transport;
    private final Map<String, FailoverController> controllers = new HashMap<>();
    private Prober prober;

    Failovers(Transport transport) {
        this.transport = transport;
    }

    /** {@code svc} is the service's runtime now (new or replacing one): its controller follows. */
    void serviceChanged(ServiceRuntime svc) {
        stop(svc.name());
        if (svc.config().failover() == null) {
            return;
        }
        if (prober == null) {
            prober = new Prober(transport);
        }
        FailoverController c = new FailoverController(svc, prober, Voters.ALONE);
        controllers.put(svc.name(), c);
        c.start();
    }

    /** The service is gone. */
    void stop(String name) {
        FailoverController c = controllers.remove(name);
        if (c != null) {
            c.stop();
        }
    }

    @Override
    public void close() {
        controllers.values().forEach(FailoverController::stop);
        controllers.clear();
        if (prober != null) {
            prober.close();
        }
    }
}
