package io.ncp.middlebox.resync;

import io.ncp.middlebox.config.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resync hook: a configured command run with a clear environment ({@code PATH}, {@code NCP_SERVICE},
 * {@code NCP_PRIMARY_HOST}/{@code _PORT}, {@code NCP_REPLICA_HOST}/{@code _PORT}), its output in a temporary file
 * that is logged and deleted. Exit 0 is success; a non-zero exit or the deadline (the process and its descendants are
 * killed) is a failure whose message ends with the hook's last stderr line. Blocks the calling (resync) thread.
 */
final class Hook {

    private static final Logger LOG = LoggerFactory.getLogger(Hook.class);
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;

    /** @param name {@code snapshot} or {@code restore} (for messages) */
    Hook(String name, List<String> command, String service, HostPort primary, HostPort replica) {
        this.name = name;
        this.command = command;
        this.env = Map.of("PATH", PATH, "NCP_SERVICE", service, "NCP_PRIMARY_HOST", primary.host(),
            "NCP_PRIMARY_PORT", String.valueOf(primary.port()), "NCP_REPLICA_HOST", replica.host(),
            "NCP_REPLICA_PORT", String.valueOf(replica.port()), "NCP_HOOK", name);
    }

    /**
     * Runs the command until it exits or {@code deadlineNanos} ({@link System#nanoTime}) passes.
     *
     * @return null on success, else why it failed (one line)
     */
    String run(long deadlineNanos) throws InterruptedException {
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("ncp-resync-" + name + "-", ".out");
            err = Files.createTempFile("ncp-resync-" + name + "-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            p = pb.start();
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                kill(p);
                return name + " hook timed out after " + Duration.ofNanos(Math.max(0, left)).toMillis() + " ms"
                    + lastLine(err);
            }
            int code = p.exitValue();
            LOG.info("resync {} hook {} exited {}{}", name, command, code, tail(out));
            if (code != 0) {
                return name + " hook exited " + code + lastLine(err);
            }
            return null;
        } catch (IOException e) {
            return name + " hook could not run " + command + ": " + e.getMessage();
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void kill(Process p) {
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** {@code ": <last non-blank stderr line>"}, or nothing. */
    private static String lastLine(Path err) {
        String t = read(err).strip();
        if (t.isEmpty()) {
            return "";
        }
        String[] lines = t.split("\n");
        String last = lines[lines.length - 1].strip();
        return ": " + (last.length() > 300 ? last.substring(0, 300) + "..." : last);
    }

    private static String tail(Path out) {
        String t = read(out).strip();
        return t.isEmpty() ? "" : ": " + (t.length() > 300 ? "..." + t.substring(t.length() - 300) : t)
            .replace('\n', ' ');
    }

    private static String read(Path f) {
        try {
            return f == null ? "" : Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private static void delete(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", f, e.toString());
            }
        }
    }
}
