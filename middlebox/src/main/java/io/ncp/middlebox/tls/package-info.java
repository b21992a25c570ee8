/**
 * TLS termination: the {@code SslContext}s of a service (built from PEM files, reloaded on demand:
 * {@link io.ncp.middlebox.tls.ServiceTls}), the client-side gate that finishes the TLS handshake (and PostgreSQL's
 * {@code SSLRequest}) before a session starts ({@link io.ncp.middlebox.tls.ClientTlsGate}), and the backend side that
 * makes a connection to the primary or a replica ready only once its TLS is up
 * ({@link io.ncp.middlebox.tls.BackendTlsStart}). Everything above this package (the ring, the digests, the
 * comparison) sees plaintext only. Depends on {@code config}, {@code stats} and {@code net} only.
 */
package io.ncp.middlebox.tls;
