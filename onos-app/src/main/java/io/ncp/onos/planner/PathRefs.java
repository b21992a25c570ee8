package io.ncp.onos.planner;

import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/**
 * Checks of the by-reference settings of a spec: file paths (absolute, on the middlebox host) and environment
 * variable names (of the middlebox process). The referenced files are never read by the app. Stateless.
 */
final class PathRefs {

    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private PathRefs() {
    }

    /**
     * Returns {@code path} when it is an absolute path; null stays null.
     *
     * @throws SpecException naming {@code field} otherwise
     */
    static String absolute(String field, String path) {
        if (path == null) {
            return null;
        }
        try {
            if (path.isEmpty() || !Paths.get(path).isAbsolute()) {
                throw new SpecException(field, "must be an absolute path (a file on the middlebox host), got '"
                        + path + "'");
            }
        } catch (InvalidPathException e) {
            throw new SpecException(field, "not a valid path: " + e.getReason());
        }
        return path;
    }

    /**
     * Returns {@code name} when it is an environment variable name; null stays null.
     *
     * @throws SpecException naming {@code field} otherwise
     */
    static String envName(String field, String name) {
        if (name != null && !ENV.matcher(name).matches()) {
            throw new SpecException(field, "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got '"
                    + name + "'");
        }
        return name;
    }
}
