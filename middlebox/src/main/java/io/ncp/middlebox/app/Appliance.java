package io.ncp.middlebox.app;

import io.ncp.middlebox.admin.AdminServer;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.view.ExitSummary;
import io.ncp.middlebox.view.StatsLine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A middlebox with its admin endpoint and terminal stats line (a legend line first): what {@code run} and
 * {@code demo} start; {@link #summary} is the final table printed when it stops.
 */
public final class Appliance implements AutoCloseable {

    private final Middlebox middlebox;
    private final AdminServer admin;
    private final ScheduledExecutorService reporter;
    private final long startNanos = System.nanoTime();
    private boolean closed;
    private long closedNanos;
    /** The services when it closed (closing the middlebox removes them), for {@link #summary}. */
    private List<ServiceRuntime> lastServices = List.of();

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
            out.println(StatsLine.LEGEND);
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

    /** The final table of counters (after {@link #close}: they no longer move; else as they are now). */
    public synchronized String summary() {
        Duration uptime = Duration.ofNanos((closed ? closedNanos : System.nanoTime()) - startNanos);
        return ExitSummary.render(closed ? lastServices : middlebox.services(), uptime);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        lastServices = middlebox.services();
        closedNanos = System.nanoTime();
        if (reporter != null) {
            reporter.shutdownNow();
        }
        if (admin != null) {
            admin.close();
        }
        middlebox.close();
    }
}
