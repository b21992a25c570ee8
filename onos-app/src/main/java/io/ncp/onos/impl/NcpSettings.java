package io.ncp.onos.impl;

import io.ncp.onos.planner.MiddleboxTarget;
import org.onlab.util.Tools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Dictionary;

import static io.ncp.onos.impl.OsgiPropertyConstants.ADMIN_TOKEN_FILE;
import static io.ncp.onos.impl.OsgiPropertyConstants.ADMIN_TOKEN_FILE_DEFAULT;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_INTERVAL;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_INTERVAL_DEFAULT;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_MISSES;
import static io.ncp.onos.impl.OsgiPropertyConstants.HEALTH_MISSES_DEFAULT;

/**
 * NcpManager's component configuration, validated: {@code adminTokenFile} (absolute path or empty),
 * {@code healthInterval} (ms, at least {@link #MIN_INTERVAL_MS}), {@code healthMisses} (at least 1). An absent
 * property takes its default; an invalid one is logged (one line naming it) and keeps its previous value. Immutable.
 */
final class NcpSettings {

    static final int MIN_INTERVAL_MS = 50;
    static final NcpSettings DEFAULTS = new NcpSettings(ADMIN_TOKEN_FILE_DEFAULT, HEALTH_INTERVAL_DEFAULT,
            HEALTH_MISSES_DEFAULT);

    private static final Logger LOG = LoggerFactory.getLogger(NcpSettings.class);

    private final String adminTokenFile;
    private final int healthIntervalMs;
    private final int healthMisses;

    NcpSettings(String adminTokenFile, int healthIntervalMs, int healthMisses) {
        this.adminTokenFile = adminTokenFile;
        this.healthIntervalMs = healthIntervalMs;
        this.healthMisses = healthMisses;
    }

    /** The settings in {@code props} (null = all defaults), keeping {@code previous} values for invalid ones. */
    static NcpSettings read(Dictionary<?, ?> props, NcpSettings previous) {
        if (props == null) {
            return DEFAULTS;
        }
        String file = Tools.get(props, ADMIN_TOKEN_FILE);
        if (file == null) {
            file = ADMIN_TOKEN_FILE_DEFAULT;
        } else if (MiddleboxTarget.tokenFileProblem(file) != null) {
            LOG.error("NCP: {} {}; keeping '{}'", ADMIN_TOKEN_FILE, MiddleboxTarget.tokenFileProblem(file),
                    previous.adminTokenFile);
            file = previous.adminTokenFile;
        }
        int interval = integer(props, HEALTH_INTERVAL, HEALTH_INTERVAL_DEFAULT, MIN_INTERVAL_MS,
                previous.healthIntervalMs);
        int misses = integer(props, HEALTH_MISSES, HEALTH_MISSES_DEFAULT, 1, previous.healthMisses);
        return new NcpSettings(file, interval, misses);
    }

    private static int integer(Dictionary<?, ?> props, String name, int absent, int min, int previous) {
        String text = Tools.get(props, name);
        if (text == null) {
            return absent;
        }
        try {
            int v = Integer.parseInt(text);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.error("NCP: {} must be an integer >= {}, got '{}'; keeping {}", name, min, text, previous);
        return previous;
    }

    /** Absolute path of the default admin token file, or "" for none. */
    String adminTokenFile() {
        return adminTokenFile;
    }

    /** Health probe period (and probe timeout). */
    Duration healthInterval() {
        return Duration.ofMillis(healthIntervalMs);
    }

    /** Consecutive misses that make a middlebox gone. */
    int healthMisses() {
        return healthMisses;
    }

    @Override
    public String toString() {
        return ADMIN_TOKEN_FILE + "='" + adminTokenFile + "', " + HEALTH_INTERVAL + "=" + healthIntervalMs + " ms, "
                + HEALTH_MISSES + "=" + healthMisses;
    }
}
