package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the config file's {@code admin} setting (a {@code host:port}, {@code off}, or a mapping with
 * {@code address}, {@code tokenFile}, {@code metrics}, {@code tls}) and its {@code allow} section.
 */
final class AdminSection {

    private static final Set<String> ADMIN = Set.of("address", "tokenFile", "metrics", "tls");
    private static final Set<String> TLS = Set.of("cert", "key");
    private static final Set<String> ALLOW = Set.of("listen", "backends");

    private AdminSection() {
    }

    /** The admin endpoint, or null when {@code off}; absent: the default (loopback, token). */
    static AdminConfig parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return AdminConfig.at(AdminConfig.DEFAULT_ADDRESS);
        }
        if (!node.isObject()) {
            HostPort address = ConfigLoader.parseAdmin("admin", ConfigLoader.scalar("admin", node));
            return address == null ? null : AdminConfig.at(address);
        }
        ConfigLoader.checkFields("admin.", node, ADMIN);
        HostPort address = node.has("address") ? ConfigLoader.parseAdmin("admin.address",
            ConfigLoader.scalar("admin.address", node.get("address"))) : AdminConfig.DEFAULT_ADDRESS;
        if (address == null) {
            return null;
        }
        AdminConfig a = AdminConfig.at(address);
        if (node.has("tokenFile")) {
            a = a.withTokenFile(tokenFile("admin.tokenFile", ConfigLoader.scalar("admin.tokenFile",
                node.get("tokenFile"))));
        }
        if (node.has("metrics")) {
            a = a.withMetricsOpen(metricsOpen("admin.metrics", ConfigLoader.scalar("admin.metrics",
                node.get("metrics"))));
        }
        JsonNode tls = node.get("tls");
        if (tls != null && !tls.isNull()) {
            if (!tls.isObject()) {
                throw new ConfigException("admin.tls", "must be a mapping with cert and key");
            }
            ConfigLoader.checkFields("admin.tls.", tls, TLS);
            a = a.withTls(tlsFile(tls, "cert"), tlsFile(tls, "key"));
        }
        return a;
    }

    private static Path tlsFile(JsonNode tls, String name) {
        String field = "admin.tls." + name;
        return tls.has(name) ? path(field, ConfigLoader.scalar(field, tls.get(name))) : null;
    }

    /**
     * The command line's admin flags applied to {@code admin} (null values: not given).
     *
     * @throws ConfigException naming the flag when one is given while the admin API is off, or is malformed
     */
    static AdminConfig applyFlags(AdminConfig admin, String tokenFile, String metrics, String cert, String key) {
        String given = tokenFile != null ? "--admin-token-file" : metrics != null ? "--admin-metrics"
            : cert != null ? "--admin-tls-cert" : key != null ? "--admin-tls-key" : null;
        if (given == null) {
            return admin;
        }
        if (admin == null) {
            throw new ConfigException(given, "the admin API is off (--admin off)");
        }
        AdminConfig a = admin;
        if (tokenFile != null) {
            a = a.withTokenFile(tokenFile("--admin-token-file", tokenFile));
        }
        if (metrics != null) {
            a = a.withMetricsOpen(metricsOpen("--admin-metrics", metrics));
        }
        if (cert != null || key != null) {
            Path c = cert != null ? path("--admin-tls-cert", cert) : a.tlsCert();
            Path k = key != null ? path("--admin-tls-key", key) : a.tlsKey();
            if (c == null || k == null) {
                throw new ConfigException(c == null ? "--admin-tls-cert" : "--admin-tls-key",
                    "missing: HTTPS needs both a certificate and a key file");
            }
            a = a.withTls(c, k);
        }
        return a;
    }

    /** {@code none} (no authentication: loopback only) or a file path. */
    static Path tokenFile(String field, String text) {
        return "none".equalsIgnoreCase(text.trim()) ? null : path(field, text);
    }

    /** {@code open} or {@code token}. */
    static boolean metricsOpen(String field, String text) {
        return ConfigEnums.parse(MetricsAccess.class, field, text) == MetricsAccess.OPEN;
    }

    static Path path(String field, String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new ConfigException(field, "missing file name");
        }
        if (t.startsWith("~/")) {
            t = System.getProperty("user.home") + t.substring(1);
        }
        try {
            return Path.of(t);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(field, "'" + text + "' is not a file name: " + e.getReason());
        }
    }

    /** The {@code allow} section, or null when absent (derived from the services). */
    static AllowList allow(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ConfigException("allow", "must be a mapping with listen and backends lists");
        }
        ConfigLoader.checkFields("allow.", node, ALLOW);
        return new AllowList(ranges("allow.listen", node.get("listen")), ranges("allow.backends",
            node.get("backends")), false);
    }

    private static List<AddressRange> ranges(String field, JsonNode list) {
        List<AddressRange> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new ConfigException(field, "must be a list of ADDRESS[/PREFIX][:PORT[-PORT]]");
        }
        for (int i = 0; i < list.size(); i++) {
            String item = field + "[" + i + "]";
            out.add(AddressRange.parse(item, ConfigLoader.scalar(item, list.get(i))));
        }
        return out;
    }

    /** Who may read {@code /metrics}. */
    enum MetricsAccess {
        TOKEN, OPEN
    }
}
