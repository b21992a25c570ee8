package io.ncp.middlebox.stats;

/** Prometheus text exposition (format 0.0.4) helpers shared by every metrics writer. */
public final class Prometheus {

    private Prometheus() {
    }

    /** Appends the {@code # HELP} and {@code # TYPE} lines of metric {@code name}. */
    public static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** {@code value} escaped for a label value (backslash, double quote, newline). */
    public static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
