package io.ncp.middlebox.config;

/** Whether sequential sessions keep their order on each replica. */
public enum SessionOrder {
    /**
     * A session that opened after another one had ended at the primary gets its client bytes on a replica only once
     * that one has finished there (default).
     */
    CAUSAL,
    /** Every session is replayed as soon as it opens: sequential sessions may overlap on a lagging replica. */
    NONE;

    static SessionOrder parse(String field, String text) {
        return ConfigEnums.parse(SessionOrder.class, field, text);
    }
}
