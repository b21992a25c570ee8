package io.ncp.middlebox.config;

/** How replica answers are compared with the primary's. */
public enum CompareMode {
    /** Byte-exact answer streams (digest per block). */
    BYTES,
    /** No comparison (answers are read and dropped). */
    NONE,
    /** PostgreSQL backend protocol: byte-exact except BackendKeyData (random pid/secret), which is masked. */
    POSTGRES;

    static CompareMode parse(String field, String text) {
        return ConfigEnums.parse(CompareMode.class, field, text);
    }
}
