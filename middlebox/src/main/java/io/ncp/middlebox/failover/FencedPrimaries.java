package io.ncp.middlebox.failover;

import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.replay.journal.DurableProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failover leaves for the next run ({@code <journal dir>/<service>/failover}): the fenced primary, the
 * promoted replica, the epoch. Failovers live in memory; without this file a restart with the same configuration
 * would send clients back to the fenced primary, which never received the writes the promoted replica took since,
 * and serve from it as if nothing had happened. Now a service whose configured primary is the one a failover fenced
 * is refused ({@link #check}), naming the promoted replica, until the configuration names another primary (which
 * clears the record) or the operator deletes the file. Thread-safe (each call reads or replaces the file whole).
 */
public final class FencedPrimaries {

    /** The file's name in the service's journal directory. */
    public static final String FILE = "failover";

    private static final Logger LOG = LoggerFactory.getLogger(FencedPrimaries.class);

    private final JournalConfig journal;

    public FencedPrimaries(JournalConfig journal) {
        this.journal = journal;
    }

    /** The record of service {@code service}. */
    public Path file(String service) {
        return journal.serviceDir(service).resolve(FILE);
    }

    /** A failover of {@code service} happened ({@code r}): written and forced to disk before anything else. */
    public void record(String service, FailoverRecord r) {
        Properties p = new Properties();
        p.setProperty("fenced", r.from());
        p.setProperty("promoted", r.to());
        p.setProperty("epoch", Long.toString(r.epoch()));
        p.setProperty("at", Instant.ofEpochMilli(r.atMillis()).toString());
        p.setProperty("reason", r.reason());
        Path file = file(service);
        try {
            DurableProperties.replace(file, p, "NCP: a failover fenced this service's primary; a start whose"
                + " configuration still names it as primary is refused (delete this file to start from it anyway)");
        } catch (IOException e) {
            LOG.error("{}: failover record {} could not be written ({}): a restart with the same configuration would"
                + " send clients to the fenced primary {}", service, file, e.toString(), r.from());
        }
    }

    /**
     * Before service {@code cfg} starts without a live runtime of the same name in this process (at start, or a PUT
     * after a restart): refuses it when its primary is the one the service's last failover fenced; when it names
     * another primary, the record has been acted on and is deleted.
     *
     * @param field how the service's primary is named in errors
     * @throws ConfigException naming {@code field}
     */
    public void check(ServiceConfig cfg, String field) {
        Path file = file(cfg.name());
        Properties p;
        try {
            p = DurableProperties.read(file);
        } catch (IOException e) {
            throw new ConfigException(field, "the failover record " + file + " cannot be read: " + e.getMessage());
        }
        if (p == null) {
            return;
        }
        String fenced = p.getProperty("fenced");
        String primary = cfg.primary().toString();
        if (primary.equals(fenced)) {
            throw new ConfigException(field, "'" + primary + "' was fenced by a failover at " + p.getProperty("at")
                + " (epoch " + p.getProperty("epoch") + "): " + p.getProperty("promoted") + " was promoted and took"
                + " writes " + primary + " may never have received. Make " + p.getProperty("promoted") + " the"
                + " primary (" + primary + " can rejoin as a replica and be resynced), or delete " + file
                + " to start from " + primary + " anyway");
        }
        try {
            Files.deleteIfExists(file);
            LOG.info("{}: primary {} (the last failover fenced {}, promoted {}): failover record {} cleared",
                cfg.name(), primary, fenced, p.getProperty("promoted"), file);
        } catch (IOException e) {
            LOG.warn("{}: failover record {} could not be deleted: {}", cfg.name(), file, e.toString());
        }
    }
}
