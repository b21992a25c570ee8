package io.ncp.middlebox.tls;

import io.ncp.middlebox.config.BackendTlsConfig;
import io.ncp.middlebox.config.ClientTlsConfig;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The SslContexts of one service, built at once from its {@link TlsConfig} (every file read and checked: either all
 * of them are good or the constructor throws a {@link ConfigException} naming the first problem). Immutable; any
 * thread. A reload builds a new instance.
 */
final class TlsContexts {

    /** Towards clients (server mode), or null. */
    final SslContext client;
    /** The certificate presented to clients, or null. */
    final X509Certificate clientCert;
    private final SslContext backendDefault;
    private final Map<HostPort, SslContext> backends = new HashMap<>();
    private final TlsConfig config;

    TlsContexts(String service, TlsConfig config) {
        this.config = config;
        String at = "services." + service + ".";
        ClientTlsConfig c = config.client();
        if (c != null) {
            List<X509Certificate> chain = PemFiles.chain(at + "tls.cert", c.cert());
            PrivateKey key = PemFiles.key(at + "tls.key", c.key(), chain.get(0), c.cert());
            SslContextBuilder b = SslContextBuilder.forServer(key, chain).sslProvider(TlsProviders.provider());
            if (c.clientCa() != null) {
                b.trustManager(PemFiles.certificates(at + "tls.clientCa", c.clientCa())).clientAuth(ClientAuth.REQUIRE);
            }
            this.client = build(at + "tls", b);
            this.clientCert = chain.get(0);
        } else {
            this.client = null;
            this.clientCert = null;
        }
        this.backendDefault = config.backendDefault() == null ? null
            : backend(at + "backendTls", config.backendDefault());
        for (Map.Entry<HostPort, BackendTlsConfig> e : config.backends().entrySet()) {
            backends.put(e.getKey(), backend(at + "backends[" + e.getKey() + "].tls", e.getValue()));
        }
    }

    /** The context for connections to {@code backend}, or null: plaintext. */
    SslContext backend(HostPort backend) {
        SslContext own = backends.get(backend);
        return own != null ? own : backendDefault;
    }

    /** The settings for {@code backend} (SNI, name check), or null. */
    BackendTlsConfig backendConfig(HostPort backend) {
        return config.backend(backend);
    }

    private static SslContext backend(String at, BackendTlsConfig b) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(TlsProviders.provider());
        if (b.insecure()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            builder.trustManager(PemFiles.certificates(at + ".ca", b.ca())).endpointIdentificationAlgorithm("HTTPS");
        }
        if (b.cert() != null) {
            List<X509Certificate> chain = PemFiles.chain(at + ".cert", b.cert());
            builder.keyManager(PemFiles.key(at + ".key", b.key(), chain.get(0), b.cert()), chain);
        }
        return build(at, builder);
    }

    private static SslContext build(String at, SslContextBuilder b) {
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new ConfigException(at, "cannot set up TLS: " + e.getMessage());
        }
    }
}
