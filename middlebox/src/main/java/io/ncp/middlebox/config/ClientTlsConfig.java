package io.ncp.middlebox.config;

import java.nio.file.Path;

/**
 * TLS towards a service's clients (the middlebox terminates it): the certificate chain and key it presents, and
 * optionally the CA bundle that client certificates must chain to (then a client certificate is required). Files are
 * named by path only; they are read when the service starts and on {@code POST /services/{name}/tls/reload}.
 *
 * @param cert     PEM certificate chain (the service's certificate first)
 * @param key      PEM private key (PKCS#8 {@code BEGIN PRIVATE KEY}; PKCS#1 RSA and SEC1 EC keys where the OpenSSL
 *                 provider is in use)
 * @param clientCa PEM CA bundle for client certificates, or null: clients present none
 */
public record ClientTlsConfig(Path cert, Path key, Path clientCa) {
}
