package io.ncp.onos.planner;

/** An IPv4 address (immutable value). */
public final class Ipv4 implements Comparable<Ipv4> {

    private final int bits;

    private Ipv4(int bits) {
        this.bits = bits;
    }

    /** The address whose 32 bits (network order, most significant = first octet) are {@code bits}. */
    public static Ipv4 of(int bits) {
        return new Ipv4(bits);
    }

    /**
     * Parses dotted-quad notation.
     *
     * @throws IllegalArgumentException naming the text when it is not exactly four decimal octets
     */
    public static Ipv4 parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing IPv4 address");
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4(bits);
    }

    /** The 32 address bits. */
    public int bits() {
        return bits;
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4 && ((Ipv4) o).bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "."
                + (bits & 0xff);
    }
}
