package io.ncp.middlebox.config;

import java.nio.file.Path;

/**
 * TLS from the middlebox to one backend (the primary or a replica). The backend's certificate must chain to
 * {@code ca} and name {@code serverName} (or the backend's host when none is given: an IP address must then be in
 * the certificate's subjectAltName), unless {@code insecure} is set.
 *
 * @param ca         PEM CA bundle the backend's certificate must chain to; null only with {@code insecure}
 * @param serverName SNI and the name the certificate must carry, or null: the backend's configured host
 * @param cert       PEM client certificate chain presented to the backend, or null (then {@code key} is null too)
 * @param key        its PEM private key, or null
 * @param insecure   no certificate check at all (tests, a backend with a self-signed certificate and no CA)
 */
public record BackendTlsConfig(Path ca, String serverName, Path cert, Path key, boolean insecure) {
}
