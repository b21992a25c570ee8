package io.ncp.middlebox.config;

import java.util.Map;

/**
 * A service's TLS settings (in-path {@code run} mode only: a mirror sees ciphertext). Either side may be absent.
 *
 * @param client         TLS towards clients (terminated here), or null: clients speak plaintext
 * @param backendDefault TLS towards every backend without its own setting ({@code backendTls}), or null
 * @param backends       per-backend settings by address: the primary's ({@code primary.tls}) and each replica's
 *                       ({@code replicas[i].tls}); looked up by address, so a promoted replica keeps its own
 */
public record TlsConfig(ClientTlsConfig client, BackendTlsConfig backendDefault,
        Map<HostPort, BackendTlsConfig> backends) {

    public TlsConfig {
        backends = Map.copyOf(backends);
    }

    /** The TLS settings for connections to {@code backend}, or null: plaintext. */
    public BackendTlsConfig backend(HostPort backend) {
        BackendTlsConfig own = backends.get(backend);
        return own != null ? own : backendDefault;
    }

    /**
     * The command line's TLS flags (flags mode: one service); null when none is given.
     *
     * @param cert       {@code --tls-cert}, with {@code key} ({@code --tls-key}): TLS towards clients
     * @param backendCa  {@code --backend-tls-ca}: TLS towards the primary and every replica
     */
    public static TlsConfig fromFlags(java.nio.file.Path cert, java.nio.file.Path key, java.nio.file.Path clientCa,
            java.nio.file.Path backendCa, String serverName, java.nio.file.Path backendCert,
            java.nio.file.Path backendKey, boolean insecure) {
        ClientTlsConfig client = null;
        if (cert != null || key != null || clientCa != null) {
            if (cert == null || key == null) {
                throw new ConfigException(cert == null ? "--tls-cert" : "--tls-key", "missing: TLS towards clients "
                    + "needs both --tls-cert and --tls-key");
            }
            client = new ClientTlsConfig(cert, key, clientCa);
        }
        BackendTlsConfig backend = null;
        if (backendCa != null || serverName != null || backendCert != null || backendKey != null || insecure) {
            backend = TlsSection.backend("--backend-tls", backendCa, serverName, backendCert, backendKey, insecure);
        }
        return client == null && backend == null ? null : new TlsConfig(client, backend, Map.of());
    }

    /** Whether any backend connection uses TLS. */
    public boolean anyBackend() {
        return backendDefault != null || !backends.isEmpty();
    }
}
