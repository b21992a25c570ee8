package io.ncp.onos.impl;

/**
 * Names and defaults of NcpManager's component configuration properties ({@code cfg set
 * io.ncp.onos.impl.NcpManager NAME VALUE}); the onos-maven-plugin turns them into the component's cfgdef.
 */
public final class OsgiPropertyConstants {

    /** Admin token file for specs without {@code middlebox.adminTokenFile}; empty = none. */
    public static final String ADMIN_TOKEN_FILE = "adminTokenFile";
    public static final String ADMIN_TOKEN_FILE_DEFAULT = "";

    /** Period of the middleboxes' {@code GET /health} probes, and each probe's timeout, in milliseconds. */
    public static final String HEALTH_INTERVAL = "healthInterval";
    public static final int HEALTH_INTERVAL_DEFAULT = 500;

    /** Consecutive unanswered probes after which a middlebox is gone (its specs fail open). */
    public static final String HEALTH_MISSES = "healthMisses";
    public static final int HEALTH_MISSES_DEFAULT = 3;

    private OsgiPropertyConstants() {
    }
}
