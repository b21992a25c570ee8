package io.ncp.onos.planner;

/** An IPv4 CIDR prefix such as {@code 10.0.0.0/24}; a bare address is a {@code /32}. Immutable. */
public final class Ipv4Prefix {

    private final Ipv4 address;
    private final int length;

    private Ipv4Prefix(Ipv4 address, int length) {
        this.address = address;
        this.length = length;
    }

    /** The {@code /32} prefix of one address. */
    public static Ipv4Prefix host(Ipv4 address) {
        return new Ipv4Prefix(address, 32);
    }

    /**
     * Parses {@code a.b.c.d} or {@code a.b.c.d/n}.
     *
     * @throws IllegalArgumentException when malformed, or when bits beyond the prefix length are set
     */
    public static Ipv4Prefix parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing IPv4 address or prefix");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return host(Ipv4.parse(text));
        }
        Ipv4 address = Ipv4.parse(text.substring(0, slash));
        String len = text.substring(slash + 1).trim();
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)
                || Integer.parseInt(len) > 32) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "' (0..32)");
        }
        int length = Integer.parseInt(len);
        if ((address.bits() & ~mask(length)) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
                    + Ipv4.of(address.bits() & mask(length)) + "/" + length + "?");
        }
        return new Ipv4Prefix(address, length);
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** The network address. */
    public Ipv4 address() {
        return address;
    }

    /** The prefix length, 0..32. */
    public int length() {
        return length;
    }

    /** True when the address is inside this prefix. */
    public boolean contains(Ipv4 ip) {
        return (ip.bits() & mask(length)) == address.bits();
    }

    /** {@code a.b.c.d/n}, always with the length. */
    @Override
    public String toString() {
        return address + "/" + length;
    }

    /** {@code a.b.c.d} for a {@code /32}, else {@code a.b.c.d/n} (ovs-ofctl accepts both). */
    public String toShortString() {
        return length == 32 ? address.toString() : toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Prefix && ((Ipv4Prefix) o).address.equals(address)
                && ((Ipv4Prefix) o).length == length;
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 33 + length;
    }
}
