package io.ncp.middlebox.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.tls.ServiceTls;
import io.netty.handler.codec.http.HttpMethod;

/**
 * {@code POST /services/{name}/tls/reload}: reads the service's certificate, key and CA files again and swaps its
 * TLS contexts for new sessions (established ones keep theirs). An error (a missing file, a bad or mismatched key,
 * an expired certificate) answers 400 naming it, and the contexts in use stay. Same authentication as the rest of
 * the API. Any thread (the admin loop).
 */
final class TlsActions {

    /** Path suffix after the service name. */
    static final String RELOAD = "/tls/reload";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TlsActions() {
    }

    static ReplicaActions.Answer reload(Middlebox middlebox, String service, HttpMethod method) {
        ServiceRuntime s = middlebox.service(service);
        if (s == null) {
            return ReplicaActions.Answer.notFound("no service named '" + service + "'");
        }
        if (!method.equals(HttpMethod.POST)) {
            return ReplicaActions.Answer.notAllowed("use POST on /services/" + service + RELOAD);
        }
        ServiceTls tls = s.tls();
        if (tls == null) {
            return new ReplicaActions.Answer(409, JSON.createObjectNode().put("error", "service '" + service
                + "' has no TLS settings (nothing to reload)"));
        }
        try {
            tls.reload();
        } catch (ConfigException e) {
            return new ReplicaActions.Answer(400, JSON.createObjectNode().put("error", e.getMessage())
                .put("field", e.field()).put("kept", "the certificates and keys loaded before stay in use"));
        }
        return ReplicaActions.Answer.ok(tls.json().put("service", service).put("reloaded", true));
    }
}
