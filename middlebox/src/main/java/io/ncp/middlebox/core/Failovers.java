package io.ncp.middlebox.core;

import io.ncp.middlebox.config.Addresses;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ServiceChecks;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.failover.FailoverController;
import io.ncp.middlebox.failover.FencedPrimaries;
import io.ncp.middlebox.failover.PeerVoters;
import io.ncp.middlebox.failover.Prober;
import io.ncp.middlebox.failover.Voters;
import io.ncp.middlebox.net.Transport;
import io.ncp.middlebox.service.ServiceRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failover machinery of a middlebox: one {@link Prober} (its own event loop, made when the first service asks for
 * probes or a peer asks for a vote; its probes leave from {@code probeBind}), a {@link FailoverController} per service
 * with a {@code failover} section, replaced with its service, and for services with {@code voters} a
 * {@link PeerVoters} whose HTTP calls run on two daemon threads of their own. Called under the middlebox's monitor.
 */
final class Failovers implements AutoCloseable {

    private final Transport transport;
    private final InetAddress probeBind;
    private final Path ownToken;
    private final Map<String, FailoverController> controllers = new HashMap<>();
    /** Failovers kept for the next run (null without a journal dir). */
    private final FencedPrimaries fenced;
    private Prober prober;
    private ExecutorService voteThreads;
    private HttpClient http;
    private boolean closed;

    /**
     * @throws ConfigException naming {@code probeBind} when it does not resolve or is not an address of this host
     */
    Failovers(Transport transport, MiddleboxConfig config) {
        this.transport = transport;
        this.probeBind = config.probeBind() == null ? null : bindable(config.probeBind());
        this.ownToken = config.admin() == null ? null : config.admin().tokenFile();
        this.fenced = config.journal() == null ? null : new FencedPrimaries(config.journal());
    }

    private static InetAddress bindable(String host) {
        InetAddress a = Addresses.resolve("probeBind", host).get(0);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(a, 0));
        } catch (IOException e) {
            throw new ConfigException("probeBind", "'" + host + "' (" + a.getHostAddress() + ") is not an address of "
                + "this host: " + e.getMessage());
        }
        return a;
    }

    /**
     * Checks what {@code cfg}'s failover needs before the service is installed, and, unless the service is {@code
     * live} in this process already, that its primary is not the one its last failover fenced
     * ({@link FencedPrimaries}, a record kept from an earlier run).
     *
     * @throws ConfigException naming {@code services.NAME.failover.voterTokenFile} when that file cannot be read, or
     *                         the primary's field when a failover fenced that primary
     */
    void check(ServiceConfig cfg, ServiceChecks.Fields fields, boolean live) {
        if (fenced != null && !live) { // a live runtime keeps its own failover state (PrimaryRole)
            fenced.check(cfg, fields.primary());
        }
        FailoverConfig f = cfg.failover();
        if (f != null && !f.voters().isEmpty() && f.voterTokenFile() != null
                && !Files.isReadable(Path.of(f.voterTokenFile()))) {
            throw new ConfigException("services." + cfg.name() + ".failover.voterTokenFile", "'" + f.voterTokenFile()
                + "' " + (Files.exists(Path.of(f.voterTokenFile())) ? "is not readable" : "does not exist"));
        }
    }

    /** {@code svc} is the service's runtime now (new or replacing one): its controller follows. */
    void serviceChanged(ServiceRuntime svc) {
        stop(svc.name());
        FailoverConfig f = svc.config().failover();
        if (f == null || closed) {
            return;
        }
        FailoverController c = new FailoverController(svc, prober(), voters(f), fenced == null ? r -> { }
            : r -> fenced.record(svc.name(), r));
        controllers.put(svc.name(), c);
        c.start();
    }

    /** The middlebox's prober, made on first use. */
    Prober prober() {
        if (closed) {
            throw new IllegalStateException("the middlebox is closed");
        }
        if (prober == null) {
            prober = new Prober(transport, probeBind);
        }
        return prober;
    }

    private Voters voters(FailoverConfig f) {
        if (f.voters().isEmpty()) {
            return Voters.ALONE;
        }
        if (http == null) {
            AtomicInteger n = new AtomicInteger();
            voteThreads = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "ncp-vote-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(voteThreads).build();
        }
        Path token = f.voterTokenFile() != null ? Path.of(f.voterTokenFile()) : ownToken;
        return new PeerVoters(f.voters(), token, http, voteThreads);
    }

    /** The service is gone. */
    void stop(String name) {
        FailoverController c = controllers.remove(name);
        if (c != null) {
            c.stop();
        }
    }

    @Override
    public void close() {
        closed = true;
        controllers.values().forEach(FailoverController::stop);
        controllers.clear();
        if (voteThreads != null) {
            voteThreads.shutdownNow();
            http = null;
        }
        if (prober != null) {
            prober.close();
        }
    }
}
