package io.ncp.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the server binaries tests need. A missing binary fails the test with the Debian package to
 * install ({@code .ci/run} installs them all); tests never silently skip.
 */
public final class Binaries {

    private Binaries() {
    }

    /**
     * Locates {@code name} on PATH, in the sbin directories and in the newest
     * {@code /usr/lib/postgresql/N/bin}.
     *
     * @throws IllegalStateException naming {@code aptPackage} when the binary is absent
     */
    public static Path require(String name, String aptPackage) {
        for (Path dir : searchPath()) {
            Path candidate = dir.resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("'" + name + "' not found: install it with `apt-get install "
            + aptPackage + "` (or run .ci/run, which installs every test dependency)");
    }

    private static List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(newestPostgresBin());
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                dirs.add(Path.of(entry));
            }
        }
        for (String extra : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/usr/local/bin"}) {
            dirs.add(Path.of(extra));
        }
        dirs.removeIf(d -> d == null);
        return dirs;
    }

    private static Path newestPostgresBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                .map(p -> p.resolve("bin"))
                .orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
