package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.TlsConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code run}'s TLS flags (flags mode: one service); see docs/tls.md. */
final class TlsOptions {

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "terminate TLS from clients with this certificate "
        + "chain (with --tls-key)")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the private key of --tls-cert (PKCS#8)")
    Path key;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "require client certificates signed by "
        + "this CA bundle")
    Path clientCa;

    @Option(names = "--backend-tls-ca", paramLabel = "PEM", description = "TLS to the primary and every replica; "
        + "their certificates must chain to this CA bundle")
    Path backendCa;

    @Option(names = "--backend-tls-server-name", paramLabel = "NAME", description = "SNI and the name the backends' "
        + "certificates must carry (default: each backend's host)")
    String serverName;

    @Option(names = "--backend-tls-cert", paramLabel = "PEM", description = "client certificate for the backends "
        + "(with --backend-tls-key)")
    Path backendCert;

    @Option(names = "--backend-tls-key", paramLabel = "PEM", description = "the private key of --backend-tls-cert")
    Path backendKey;

    @Option(names = "--backend-tls-insecure", description = "TLS to the backends without any certificate check")
    boolean insecure;

    /** Whether any TLS flag was given (they conflict with a config file). */
    boolean given() {
        return cert != null || key != null || clientCa != null || backendCa != null || serverName != null
            || backendCert != null || backendKey != null || insecure;
    }

    /** The TLS settings the flags give, or null. */
    TlsConfig toConfig() {
        return TlsConfig.fromFlags(cert, key, clientCa, backendCa, serverName, backendCert, backendKey, insecure);
    }
}
