package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.ncp.replay.journal.FsyncPolicy;
import java.util.Set;

/** Parses the {@code journal} setting: {@code off}, or a mapping with {@code dir}, {@code maxBytes}, {@code fsync}. */
final class JournalSection {

    private static final Set<String> FIELDS = Set.of("dir", "maxBytes", "fsync");

    private JournalSection() {
    }

    /** The journal, or null when {@code off}; absent: the default. */
    static JournalConfig parse(JsonNode node) {
        JournalConfig d = JournalConfig.defaults();
        if (node == null || node.isNull()) {
            return d;
        }
        if (!node.isObject()) {
            String t = ConfigLoader.scalar("journal", node);
            if (t.equalsIgnoreCase("off") || t.equalsIgnoreCase("false")) {
                return null;
            }
            throw new ConfigException("journal", "'" + t + "' is not off or a mapping with dir, maxBytes, fsync");
        }
        ConfigLoader.checkFields("journal.", node, FIELDS);
        JournalConfig j = d;
        if (node.hasNonNull("dir")) {
            j = j.at(AdminSection.path("journal.dir", ConfigLoader.scalar("journal.dir", node.get("dir"))));
        }
        long max = node.hasNonNull("maxBytes") ? Units.parseSize("journal.maxBytes", ConfigLoader.scalar(
            "journal.maxBytes", node.get("maxBytes"))) : j.maxBytes();
        FsyncPolicy fsync = j.fsync();
        if (node.hasNonNull("fsync")) {
            fsync = fsync("journal.fsync", ConfigLoader.scalar("journal.fsync", node.get("fsync")));
        }
        return new JournalConfig(j.dir(), max, fsync);
    }

    static JournalConfig flags(JournalConfig journal, String dir, String max) {
        if (dir != null && (dir.equalsIgnoreCase("off") || dir.equalsIgnoreCase("none"))) {
            if (max != null) {
                throw new ConfigException("--journal-max", "the journal is off (--journal-dir off)");
            }
            return null;
        }
        JournalConfig j = journal != null ? journal : JournalConfig.defaults();
        if (dir != null) {
            j = j.at(AdminSection.path("--journal-dir", dir));
        }
        if (max != null) {
            j = new JournalConfig(j.dir(), Units.parseSize("--journal-max", max), j.fsync());
        }
        return j;
    }

    private static FsyncPolicy fsync(String field, String text) {
        try {
            return FsyncPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, e.getMessage());
        }
    }
}
