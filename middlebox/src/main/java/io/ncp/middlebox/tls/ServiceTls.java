package io.ncp.middlebox.tls;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.BackendTlsConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.TlsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.atomic.LongAdder;

/**
 * A live service's TLS: its current {@link TlsContexts} (swapped whole by {@link #reload}: new sessions use the new
 * ones, established connections keep theirs), the client-side gate and the backend-side start of each connection,
 * and the handshake failure counters. Any thread (the contexts are read through a volatile field; counters are
 * LongAdders).
 */
public final class ServiceTls {

    private final String service;
    private final TlsConfig config;
    private final boolean postgres;
    private volatile TlsContexts contexts;
    private volatile long loadedMillis = System.currentTimeMillis();
    /** Client handshakes that failed (or clients that left before finishing one). */
    public final LongAdder clientFailures = new LongAdder();
    /** Client handshakes that succeeded. */
    public final LongAdder clientHandshakes = new LongAdder();
    /** Backend (primary or replica) handshakes that failed. */
    public final LongAdder backendFailures = new LongAdder();
    /** Reloads that succeeded. */
    public final LongAdder reloads = new LongAdder();

    private ServiceTls(ServiceConfig cfg) {
        this.service = cfg.name();
        this.config = cfg.tls();
        this.postgres = cfg.compare() == CompareMode.POSTGRES;
        this.contexts = new TlsContexts(service, config);
    }

    /**
     * The TLS of {@code cfg}, every file read and checked, or null when the service has no TLS setting.
     *
     * @throws io.ncp.middlebox.config.ConfigException a file is missing or unreadable, a key is bad or does not match
     *                                                 its certificate, a certificate expired
     */
    public static ServiceTls of(ServiceConfig cfg) {
        return cfg.tls() == null ? null : new ServiceTls(cfg);
    }

    /**
     * Reads every file again and swaps the contexts for new sessions; on an error the old ones stay in use.
     *
     * @throws io.ncp.middlebox.config.ConfigException what is wrong (nothing changed)
     */
    public void reload() {
        TlsContexts fresh = new TlsContexts(service, config);
        contexts = fresh;
        loadedMillis = System.currentTimeMillis();
        reloads.increment();
    }

    /**
     * The handler to put first on an accepted client channel (before the session's own handler), or null when this
     * service's clients speak plaintext and no PostgreSQL {@code SSLRequest} needs an answer.
     *
     * @param admitted called once if the client never gets past the gate (handshake failed, client left): releases
     *                 what admitting it reserved
     */
    public ChannelHandler clientGate(Channel ch, Runnable admitted) {
        SslContext ctx = contexts.client;
        if (ctx == null && !(postgres && config.anyBackend())) {
            return null;
        }
        return new ClientTlsGate(this, ctx, postgres, admitted);
    }

    /**
     * {@code tcp} (a connect to {@code backend}) as a future that completes once the connection is ready for the
     * session's bytes: at once for a plaintext backend, else once its TLS handshake (after PostgreSQL's
     * {@code SSLRequest}) succeeded. A failed handshake fails the future with "TLS handshake failed: reason" and
     * closes the channel; the handlers after this one see neither its activation nor its close.
     */
    public ChannelFuture connect(ChannelFuture tcp, HostPort backend) {
        TlsContexts now = contexts;
        SslContext ctx = now.backend(backend);
        if (ctx == null) {
            return tcp;
        }
        BackendTlsConfig b = now.backendConfig(backend);
        Channel ch = tcp.channel();
        ChannelPromise ready = ch.newPromise();
        String peer = b.serverName() != null ? b.serverName() : backend.host();
        ch.pipeline().addFirst(BackendTlsStart.NAME, new BackendTlsStart(this, ctx, peer, backend.port(), postgres,
            ready));
        tcp.addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
            }
        });
        return ready;
    }

    /** {@link #connect} for a service that may have no TLS ({@code tls} null: {@code tcp} itself). */
    public static ChannelFuture connect(ServiceTls tls, ChannelFuture tcp, HostPort backend) {
        return tls == null ? tcp : tls.connect(tcp, backend);
    }

    String service() {
        return service;
    }

    /** The settings, the certificate shown to clients and the counters (paths only: no key material). */
    public ObjectNode json() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("provider", TlsProviders.describe());
        TlsContexts now = contexts;
        if (config.client() != null) {
            ObjectNode c = o.putObject("client");
            c.put("cert", config.client().cert().toString());
            c.put("key", config.client().key().toString());
            if (config.client().clientCa() != null) {
                c.put("clientCa", config.client().clientCa().toString());
            }
            c.put("subject", now.clientCert.getSubjectX500Principal().getName());
            c.put("serial", now.clientCert.getSerialNumber().toString(16));
            c.put("notAfter", now.clientCert.getNotAfter().toInstant().toString());
        }
        if (config.backendDefault() != null) {
            o.set("backendTls", backend(config.backendDefault()));
        }
        ObjectNode own = o.putObject("backends");
        config.backends().forEach((addr, b) -> own.set(addr.toString(), backend(b)));
        o.put("loadedAt", java.time.Instant.ofEpochMilli(loadedMillis).toString());
        o.put("reloads", reloads.sum());
        o.put("clientHandshakes", clientHandshakes.sum());
        o.put("clientHandshakeFailures", clientFailures.sum());
        o.put("backendHandshakeFailures", backendFailures.sum());
        return o;
    }

    private static ObjectNode backend(BackendTlsConfig b) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (b.ca() != null) {
            o.put("ca", b.ca().toString());
        }
        if (b.serverName() != null) {
            o.put("serverName", b.serverName());
        }
        if (b.cert() != null) {
            o.put("cert", b.cert().toString());
        }
        o.put("insecure", b.insecure());
        return o;
    }
}
