package io.ncp.middlebox.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation the middlebox uses: OpenSSL (BoringSSL from {@code netty-tcnative-boringssl-static}) when
 * it loads, else the JDK's. {@code -Dncp.tlsProvider=jdk} (or {@code openssl}) forces one; a forced OpenSSL that does
 * not load falls back to the JDK and says why ({@code OpenSsl.isAvailable()}). Decided once per process; any thread.
 */
public final class TlsProviders {

    private static final Logger LOG = LoggerFactory.getLogger(TlsProviders.class);
    private static volatile SslProvider chosen;

    private TlsProviders() {
    }

    /** The provider every SslContext of this process uses. */
    public static SslProvider provider() {
        SslProvider p = chosen;
        if (p == null) {
            synchronized (TlsProviders.class) {
                if (chosen == null) {
                    chosen = choose();
                }
                p = chosen;
            }
        }
        return p;
    }

    /** The provider's name for logs and the admin API ({@code openssl (BoringSSL ...)} or {@code jdk}). */
    public static String describe() {
        return provider() == SslProvider.OPENSSL ? "openssl (" + OpenSsl.versionString() + ")" : "jdk";
    }

    private static SslProvider choose() {
        String want = System.getProperty("ncp.tlsProvider", "").trim().toLowerCase(Locale.ROOT);
        if (want.equals("jdk")) {
            LOG.info("TLS provider: jdk (-Dncp.tlsProvider=jdk)");
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            LOG.info("TLS provider: openssl ({})", OpenSsl.versionString());
            return SslProvider.OPENSSL;
        }
        Throwable why = OpenSsl.unavailabilityCause();
        LOG.warn("TLS provider: jdk (OpenSSL not available: {})", why == null ? "unknown" : why.toString());
        return SslProvider.JDK;
    }
}
