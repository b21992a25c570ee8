package io.ncp.middlebox.config;

/** Whether the requests of all sessions of a service share one order ({@code order:} of a service). */
public enum RequestOrder {
    /** Each session keeps its own request order only (default): concurrent sessions may interleave differently. */
    SESSION,
    /**
     * One request order per service ({@code protocol: redis} only): requests are numbered as they reach the
     * middlebox, the primary and each replica receive them in that order, and a request on another connection than
     * the previous one is written once every earlier request was consumed by that server.
     */
    SERVICE;

    static RequestOrder parse(String field, String text) {
        return ConfigEnums.parse(RequestOrder.class, field, text);
    }
}
