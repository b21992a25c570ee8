package io.ncp.replay.journal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * Small state files that must survive a crash or a power loss whole or not at all (a replica's consistency, a
 * failover record): written to a temporary sibling, forced to disk, renamed over the file, and the directory forced
 * too. A reader sees the old content or the new one, never a mix.
 */
public final class DurableProperties {

    private DurableProperties() {
    }

    /**
     * Replaces {@code file} with {@code p} (UTF-8, {@link Properties#store} format), creating its directory.
     *
     * @param comment the file's first line (after '#')
     */
    public static void replace(Path file, Properties p, String comment) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8)) {
            p.store(w, comment);
            w.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename itself survives a power loss
        }
    }

    /** What {@code file} holds, or null when there is no such file (or a part of its path is not a directory). */
    public static Properties read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
