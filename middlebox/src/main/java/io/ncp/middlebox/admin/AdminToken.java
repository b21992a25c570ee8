package io.ncp.middlebox.admin;

import io.ncp.middlebox.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token: read from its file, or created there on first start (32 random bytes as 64 hex
 * characters, file mode 0600, directory 0700). Requests are checked in constant time. Immutable.
 */
public final class AdminToken {

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    private static final String BEARER = "Bearer ";

    private final byte[] token;
    private final Path file;

    private AdminToken(byte[] token, Path file) {
        this.token = token;
        this.file = file;
    }

    /**
     * The token in {@code file}, created when the file does not exist.
     *
     * @throws ConfigException naming {@code admin.tokenFile} when the file cannot be read, created or is empty
     */
    public static AdminToken loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return load(file);
        } catch (IOException e) {
            throw new ConfigException("admin.tokenFile", "'" + file + "': " + e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwx------")));
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        try {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), HexFormat.of().formatHex(raw) + "\n",
                StandardOpenOption.WRITE);
            LOG.info("admin: created the API token in {} (mode 0600); clients send 'Authorization: Bearer <token>'",
                file);
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: use theirs
        }
    }

    private static AdminToken load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        String first = (nl < 0 ? text : text.substring(0, nl)).strip();
        if (first.isEmpty()) {
            throw new ConfigException("admin.tokenFile", "'" + file + "' is empty (delete it to have a token "
                + "created, or write one)");
        }
        if (first.length() < 16) {
            LOG.warn("admin: the token in {} is only {} characters long; use at least 32 random characters", file,
                first.length());
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("admin: the token file {} is readable by other users ({}); chmod 600 it", file,
                    PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException notPosix) {
            // nothing to check
        }
        return new AdminToken(first.getBytes(StandardCharsets.UTF_8), file);
    }

    /** Whether an {@code Authorization} header value carries this token (constant time in the token's length). */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    /** Where the token lives (for messages; never the token itself). */
    public Path file() {
        return file;
    }
}
