package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Reads a mirror-mode config: the {@link ConfigLoader} document (services without {@code listen}) plus a
 * {@code mirror} section with the capture settings. Unknown fields are errors naming their path.
 */
public final class MirrorConfigLoader {

    private static final Set<String> MIRROR = Set.of("interface", "pcap", "filter", "snaplen", "bufferSize",
        "queuePackets", "idleTimeout", "drainTimeout");
    /** Path prefix of the section's fields in errors. */
    private static final String AT = "mirror.";

    private MirrorConfigLoader() {
    }

    /** Loads the file at {@code path}; relative {@code mirror.pcap} paths are resolved against the file's folder. */
    public static MirrorSetup load(Path path) {
        try {
            return parse(Files.readString(path), path.toAbsolutePath().getParent());
        } catch (NoSuchFileException e) {
            throw new ConfigException("config", "file '" + path + "' does not exist");
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read '" + path + "': " + e.getMessage());
        }
    }

    /** Parses a mirror-mode document; {@code base} resolves a relative pcap path (null: as given). */
    public static MirrorSetup parse(String text, Path base) {
        JsonNode root = ConfigLoader.root(text);
        JsonNode m = root.get("mirror");
        if (m == null || !m.isObject()) {
            throw new ConfigException("mirror", "a mapping with the capture settings (interface or pcap) is required");
        }
        ConfigLoader.checkFields("mirror.", m, MIRROR);
        MiddleboxConfig cfg = ConfigLoader.parse(root, true);
        String iface = m.has("interface") ? ConfigLoader.text(m, "interface", AT) : null;
        Path pcap = null;
        if (m.has("pcap")) {
            String file = ConfigLoader.text(m, "pcap", AT);
            try {
                pcap = Path.of(file);
            } catch (InvalidPathException e) {
                throw new ConfigException("mirror.pcap", "'" + file + "' is not a valid path: " + e.getReason());
            }
            if (!pcap.isAbsolute() && base != null) {
                pcap = base.resolve(pcap);
            }
        }
        String filter = m.has("filter") ? ConfigLoader.text(m, "filter", AT) : null;
        int snaplen = ConfigLoader.intField(m, "snaplen", AT, MirrorConfig.DEFAULT_SNAPLEN);
        long buffer = m.has("bufferSize") ? Units.parseSize("mirror.bufferSize", ConfigLoader.text(m, "bufferSize", AT))
            : MirrorConfig.DEFAULT_BUFFER_BYTES;
        int queue = ConfigLoader.intField(m, "queuePackets", AT, MirrorConfig.DEFAULT_QUEUE_PACKETS);
        Duration idle = duration(m, "idleTimeout", MirrorConfig.DEFAULT_IDLE_TIMEOUT);
        Duration drain = duration(m, "drainTimeout", MirrorConfig.DEFAULT_DRAIN_TIMEOUT);
        return new MirrorSetup(cfg, new MirrorConfig(iface, pcap, filter, snaplen, buffer, queue, idle, drain));
    }

    private static Duration duration(JsonNode m, String field, Duration dflt) {
        return m.has(field) ? Units.parseDuration(AT + field, ConfigLoader.text(m, field, AT)) : dflt;
    }
}
