package io.ncp.onos.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads the middlebox admin API's bearer token from its file on the ONOS host: the first line, trimmed (the
 * middlebox writes 32 random bytes as 64 hex characters, mode 0600). The token must be visible ASCII (it goes into
 * an HTTP header). Errors name the file and the problem, never the file's content. Stateless; read again at each
 * call so that a rotated token is picked up.
 */
final class AdminToken {

    /** The first line must end within this many bytes. */
    static final int MAX_BYTES = 4096;

    private AdminToken() {
    }

    /** A token file that cannot be used; the message names the file and never contains the token. */
    static final class TokenFileException extends Exception {
        private static final long serialVersionUID = 1L;

        TokenFileException(String file, String problem) {
            super("admin token file " + file + ": " + problem);
        }
    }

    /**
     * The token in {@code file}.
     *
     * @throws TokenFileException when the file is missing, unreadable, empty or its first line is no usable token
     */
    static String read(String file) throws TokenFileException {
        Path path = Paths.get(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            throw new TokenFileException(file, "does not exist");
        } catch (AccessDeniedException e) {
            throw new TokenFileException(file, "not readable by the ONOS user (permission denied)");
        } catch (IOException e) {
            throw new TokenFileException(file, "cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        int end = 0;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        if (end == head.length && head.length == MAX_BYTES) {
            throw new TokenFileException(file, "first line longer than " + MAX_BYTES + " bytes (not a token file?)");
        }
        String token = new String(head, 0, end, StandardCharsets.ISO_8859_1).trim();
        if (token.isEmpty()) {
            throw new TokenFileException(file, "is empty (the token is its first line)");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new TokenFileException(file, "first line has characters a bearer token cannot contain "
                        + "(only visible ASCII; token not shown)");
            }
        }
        return token;
    }
}
