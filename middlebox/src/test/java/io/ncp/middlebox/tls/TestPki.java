package io.ncp.middlebox.tls;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test certificates made with the {@code openssl} command line in a temporary directory: CAs and leaf certificates
 * (EC P-256, PKCS#8 keys, subjectAltName IP:127.0.0.1 and DNS:localhost) signed by them. {@link #close} deletes them.
 */
public final class TestPki implements AutoCloseable {

    private static final Duration RUN = Duration.ofSeconds(30);
    private final Path dir;
    private int serial;

    /** A certificate file and its key file. */
    public record Pair(Path cert, Path key) {
    }

    public TestPki() {
        Binaries.require("openssl", "openssl");
        try {
            this.dir = Files.createTempDirectory("ncp-pki-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** A self-signed CA named {@code name}. */
    public Pair ca(String name) {
        Pair p = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            p.key().toString(), "-out", p.cert().toString(), "-days", "3", "-subj", "/CN=" + name);
        return p;
    }

    /** A certificate for {@code name} (also valid for 127.0.0.1 and localhost) signed by {@code ca}. */
    public Pair leaf(Pair ca, String name) {
        return leaf(ca, name, 3);
    }

    /** As {@link #leaf(Pair, String)}, valid for {@code days} (negative: already expired). */
    public Pair leaf(Pair ca, String name, int days) {
        String base = name + "-" + (++serial);
        Pair p = new Pair(dir.resolve(base + ".pem"), dir.resolve(base + ".key"));
        Path csr = dir.resolve(base + ".csr");
        Path ext = dir.resolve(base + ".ext");
        try {
            Files.writeString(ext, "subjectAltName=DNS:" + name + ",DNS:localhost,IP:127.0.0.1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            p.key().toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
            "-set_serial", String.valueOf(1000 + serial), "-out", p.cert().toString(), "-days", String.valueOf(days),
            "-extfile", ext.toString());
        return p;
    }

    /** {@code key} in the PKCS#1 ("traditional") form, in a new file. */
    public Path traditionalRsaKey() {
        Path k = dir.resolve("rsa-" + (++serial) + ".key");
        openssl("genrsa", "-traditional", "-out", k.toString(), "2048");
        return k;
    }

    /** A file with {@code text} in it. */
    public Path file(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        ManagedProcess.run(cmd, RUN);
    }

    @Override
    public void close() {
        TempDirs.deleteQuietly(dir);
    }
}
