package io.ncp.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process and its descendants, found through {@code /proc/PID/task/TID/children}, signalled by PID only (never by
 * name): {@link #crash} is a machine crash as a server sees it: every process stops at once (SIGSTOP), then dies
 * (SIGKILL), so none of them can send a last message to its clients.
 */
public final class ProcessTree {

    private ProcessTree() {
    }

    /** {@code pid} and every descendant, parents first. */
    public static List<Long> of(long pid) {
        List<Long> all = new ArrayList<>();
        all.add(pid);
        for (int i = 0; i < all.size(); i++) {
            all.addAll(children(all.get(i)));
        }
        return all;
    }

    /** SIGSTOP to the whole tree, then SIGKILL to it: nothing it runs gets to act on the others' death. */
    public static void crash(long pid) {
        signal("STOP", of(pid));
        signal("KILL", of(pid)); // listed again: nothing stopped can fork, whatever forked before is stopped too
    }

    private static void signal(String sig, List<Long> pids) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        for (long p : pids) {
            cmd.add(String.valueOf(p));
        }
        try {
            ManagedProcess.run(cmd, Duration.ofSeconds(10));
        } catch (IllegalStateException e) {
            // a process of the tree was already gone
        }
    }

    private static List<Long> children(long pid) {
        List<Long> kids = new ArrayList<>();
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        try (DirectoryStream<Path> ts = Files.newDirectoryStream(tasks)) {
            for (Path t : ts) {
                Path c = t.resolve("children");
                if (Files.exists(c)) {
                    for (String s : Files.readString(c).trim().split("\\s+")) {
                        if (!s.isEmpty()) {
                            kids.add(Long.parseLong(s));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return kids; // gone
        }
        return kids;
    }
}
