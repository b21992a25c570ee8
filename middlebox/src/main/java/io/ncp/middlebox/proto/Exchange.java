package io.ncp.middlebox.proto;

/**
 * What an exchange (a request and its reply) is, as bits: the front decides it per request and tells both answer
 * filters (the primary's directly, each replica copy's through the ring for requests that reach the replicas).
 * {@link #COMPARE} (0) is the default and is never sent. {@link #NOISE} and {@link #SKIPPED} mean the same for every
 * protocol; the other bits are RESP's (pub/sub pairing), HTTP's ({@link #HEAD}) and MySQL's (the shape of a reply
 * other than a command's usual one).
 */
public final class Exchange {

    /** The reply is compared byte for byte. */
    public static final int COMPARE = 0;
    /**
     * The reply legitimately differs between servers: only its type byte (RESP) or its messages' type bytes
     * (PostgreSQL) are compared.
     */
    public static final int NOISE = 1;
    /**
     * The replicas' answer streams have no reply to the request (not replayed, or an authentication request whose
     * replies the replicas' handlers swallow): its reply on the primary is neither compared nor waited for.
     */
    public static final int SKIPPED = 2;
    /** RESP: the request gets no reply of its own (SUBSCRIBE and the like: their confirmations are pushes). */
    public static final int UNPAIRED = 4;
    /** RESP: the request puts the session in pub/sub mode: from then on array replies may be pushes. */
    public static final int SUBSCRIBES = 8;
    /** RESP: a PING sent in pub/sub mode (its reply is an array, not a push). */
    public static final int PING = 16;
    /** HTTP: a HEAD request (its response has no body, whatever its headers say). */
    public static final int HEAD = 32;
    /** MySQL: COM_STMT_PREPARE (a prepare OK, then its parameter and column definitions). */
    public static final int MYSQL_PREPARE = 64;
    /** MySQL: COM_FIELD_LIST (column definitions up to an EOF). */
    public static final int MYSQL_FIELDS = 128;
    /** MySQL: COM_STATISTICS (one packet of text). */
    public static final int MYSQL_TEXT = 256;
    /** MySQL: COM_STMT_FETCH (rows up to an EOF). */
    public static final int MYSQL_ROWS = 512;
    /** MySQL: COM_CHANGE_USER (a new authentication exchange: neither stream is framed from its reply on). */
    public static final int MYSQL_AUTH = 1024;

    private Exchange() {
    }
}
