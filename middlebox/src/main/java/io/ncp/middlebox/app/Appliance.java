package io.ncp.middlebox.app;

import io.ncp.middlebox.admin.AdminServer;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.view.StatsLine;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A middlebox with its admin endpoint and terminal stats line: what {@code run} and {@code demo} start. */
public final class Appliance implements AutoCloseable {

    private final Middlebox middlebox;
    private final AdminServer admin;
    private final ScheduledExecutorService reporter;
    private boolean closed;

    private Appliance(Middlebox middlebox, AdminServer admin, ScheduledExecutorService reporter) {
        this.middlebox = middlebox;
        this.admin = admin;
        this.reporter = reporter;
    }

    /** Starts everything {@code cfg} asks for; stats lines go to {@code out} (when the interval is not zero). */
    public static Appliance start(MiddleboxConfig cfg, PrintStream out) {
        Middlebox m = Middlebox.start(cfg);
        AdminServer admin = null;
        try {
            if (cfg.admin() != null) {
                admin = AdminServer.start(cfg.admin(), m);
                out.println("ncp-middlebox: admin on " + admin.url() + (cfg.admin().authenticated()
                    ? " (bearer token in " + cfg.admin().tokenFile() + ")" : " (no authentication: loopback only)"));
            }
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        ScheduledExecutorService reporter = null;
        if (!cfg.statsInterval().isZero()) {
            reporter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ncp-stats");
                t.setDaemon(true);
                return t;
            });
            StatsLine line = new StatsLine(m);
            long ms = cfg.statsInterval().toMillis();
            reporter.scheduleAtFixedRate(() -> out.println(line.next()), ms, ms, TimeUnit.MILLISECONDS);
        }
        return new Appliance(m, admin, reporter);
    }

    public Middlebox middlebox() {
        return middlebox;
    }

    /** The admin server, or null when off. */
    public AdminServer admin() {
        return admin;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reporter != null) {
            reporter.shutdownNow();
        }
        if (admin != null) {
            admin.close();
        }
        middlebox.close();
    }
}
