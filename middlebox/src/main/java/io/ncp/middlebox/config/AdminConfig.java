package io.ncp.middlebox.config;

import java.nio.file.Path;

/**
 * The admin HTTP endpoint's settings.
 *
 * @param address     where it listens
 * @param tokenFile   the bearer token's file (created with mode 0600 on first start when absent); null: no
 *                    authentication, allowed on a loopback address only
 * @param metricsOpen whether {@code GET /metrics} is served without the token (for a Prometheus scraper)
 * @param tlsCert     PEM certificate chain for HTTPS, or null for plain HTTP
 * @param tlsKey      PEM private key (PKCS#8) matching {@code tlsCert}, or null
 */
public record AdminConfig(HostPort address, Path tokenFile, boolean metricsOpen, Path tlsCert, Path tlsKey) {

    /** Default listen address: loopback only. */
    public static final HostPort DEFAULT_ADDRESS = new HostPort("127.0.0.1", 9090);

    public AdminConfig {
        if (address == null) {
            throw new IllegalArgumentException("address");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ConfigException(tlsCert == null ? "admin.tls.cert" : "admin.tls.key",
                "missing: HTTPS needs both a certificate and a key file");
        }
    }

    /** The default token file: {@code ~/.ncp/admin-token}. */
    public static Path defaultTokenFile() {
        return Path.of(System.getProperty("user.home"), ".ncp", "admin-token");
    }

    /** {@code address} with every other setting at its default (token authentication, HTTP). */
    public static AdminConfig at(HostPort address) {
        return new AdminConfig(address, defaultTokenFile(), false, null, null);
    }

    /** Whether requests must carry the token. */
    public boolean authenticated() {
        return tokenFile != null;
    }

    /** Whether the endpoint speaks HTTPS. */
    public boolean tls() {
        return tlsCert != null;
    }

    public AdminConfig withAddress(HostPort a) {
        return new AdminConfig(a, tokenFile, metricsOpen, tlsCert, tlsKey);
    }

    public AdminConfig withTokenFile(Path file) {
        return new AdminConfig(address, file, metricsOpen, tlsCert, tlsKey);
    }

    public AdminConfig withMetricsOpen(boolean open) {
        return new AdminConfig(address, tokenFile, open, tlsCert, tlsKey);
    }

    public AdminConfig withTls(Path cert, Path key) {
        return new AdminConfig(address, tokenFile, metricsOpen, cert, key);
    }
}
