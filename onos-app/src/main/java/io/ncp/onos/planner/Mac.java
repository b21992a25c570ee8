package io.ncp.onos.planner;

import java.util.Locale;
import java.util.regex.Pattern;

/** An Ethernet MAC address, kept in lower-case colon notation. Immutable. */
public final class Mac {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private final String text;

    private Mac(String text) {
        this.text = text;
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (either case, {@code -} accepted as separator).
     *
     * @throws IllegalArgumentException when malformed
     */
    public static Mac parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing MAC address");
        }
        String norm = text.trim().toLowerCase(Locale.ROOT).replace('-', ':');
        if (!FORMAT.matcher(norm).matches()) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        return new Mac(norm);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mac && ((Mac) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
