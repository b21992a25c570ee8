package io.ncp.middlebox.config;

/** What the middlebox knows about a service's application protocol. */
public enum Protocol {
    /** Byte streams only (the default): replayed and compared byte for byte. */
    BYTES,
    /** RESP (Redis): requests and replies are framed; replay policy, noise model, lockstep per exchange. */
    REDIS;

    static Protocol parse(String field, String text) {
        return ConfigEnums.parse(Protocol.class, field, text);
    }
}
