package io.ncp.middlebox.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Who may use the admin API: the bearer token on every request except {@code GET /health}, the status page's static
 * files ({@link UiAssets}: no data) and {@code /metrics} when configured open; and, on a loopback listener, only
 * Host headers that name the loopback (a web page that rebinds its DNS name to 127.0.0.1 still sends its own name).
 * Immutable; thread-safe.
 */
final class AdminAccess {

    /** No token (authentication off: loopback only), metrics behind the token, any Host. */
    static final AdminAccess OPEN = new AdminAccess(null, false, false);

    private final AdminToken token;
    private final boolean metricsOpen;
    private final boolean loopbackHostsOnly;

    /**
     * @param token             null: no authentication
     * @param metricsOpen       {@code /metrics} without the token
     * @param loopbackHostsOnly the listener is on a loopback address: check the Host header
     */
    AdminAccess(AdminToken token, boolean metricsOpen, boolean loopbackHostsOnly) {
        this.token = token;
        this.metricsOpen = metricsOpen;
        this.loopbackHostsOnly = loopbackHostsOnly;
    }

    /** A refusal of {@code req} (to {@code path}), or null when it may proceed. */
    Refusal check(HttpRequest req, String path) {
        if (loopbackHostsOnly && !loopbackHost(req.headers().get(HttpHeaderNames.HOST))) {
            return new Refusal(HttpResponseStatus.FORBIDDEN, "the admin API on a loopback address answers only "
                + "requests for localhost/127.0.0.1/[::1] (Host header '" + req.headers().get(HttpHeaderNames.HOST)
                + "')");
        }
        if (token == null || path.equals("/health") || metricsOpen && path.equals("/metrics")) {
            return null;
        }
        if (req.method().equals(HttpMethod.GET) && UiAssets.get(path) != null) {
            return null; // the status page's files: no data; the page sends the token on its own fetches
        }
        if (!token.accepts(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return new Refusal(HttpResponseStatus.UNAUTHORIZED, req.headers().contains(HttpHeaderNames.AUTHORIZATION)
                ? "wrong token" : "missing 'Authorization: Bearer <token>' (the token is in " + token.file()
                + " on the middlebox host)");
        }
        return null;
    }

    /** A missing Host (HTTP/1.0, non-browser clients) or one naming the loopback, with an optional port. */
    static boolean loopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return true;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 0 && h.substring(1, close).equals("::1") && portOrNothing(h.substring(close + 1));
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !portOrNothing(h.substring(colon))) {
            return false;
        }
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static boolean portOrNothing(String rest) {
        return rest.isEmpty() || rest.matches(":\\d{1,5}");
    }

    /** Why a request is refused. */
    record Refusal(HttpResponseStatus status, String message) {
    }
}
